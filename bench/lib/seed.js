// Seeding in bulk through SQL (one statement per chunk), identical for Gatehouse and the floor.
// Through the API it would take minutes for 100,000 rows; the rows are what Gatehouse itself writes.
import { randomBytes } from 'node:crypto';
import { newId } from '../../packages/server/dist/security/ids.js';

/** A short random tag, so emails of one run never collide with another's. */
export function runTag() {
  return randomBytes(3).toString('hex');
}

/**
 * Insert `count` users, each with a verified primary email `<tag>-<i>@example.com`, in chunks.
 * Ids are made in time order (as Gatehouse makes them), so keyset pages behave as in production.
 * @param {import('./types.js').Target} target
 * @param {number} count
 * @param {string} tag
 * @returns {Promise<string[]>} the user ids, oldest first
 */
export async function seedUsers(target, count, tag) {
  const ids = [];
  const chunk = 5000;
  const start = Date.now() - count; // one millisecond apart, in the past
  for (let from = 0; from < count; from += chunk) {
    const userIds = [];
    const emailIds = [];
    const emails = [];
    for (let i = from; i < Math.min(count, from + chunk); i++) {
      const at = new Date(start + i);
      userIds.push(newId('user', at));
      emailIds.push(newId('email', at));
      emails.push(`${tag}-${i}@example.com`);
    }
    await target.sql(
      `with u as (
         insert into users (id, first_name, last_name, created_at, updated_at)
         select id, 'Bench', 'User ' || n, now(), now() from unnest($1::text[]) with ordinality as t(id, n)
         returning id
       )
       insert into user_emails (id, user_id, email, verified, is_primary, created_at)
       select e.id, e.user_id, e.email, true, true, now()
       from unnest($2::text[], $1::text[], $3::text[]) as e(id, user_id, email)`,
      [userIds, emailIds, emails],
    );
    ids.push(...userIds);
  }
  return ids;
}

/**
 * A counter-based cycle over a list, for `setupRequest` (each call gives the next item).
 * @template T
 * @param {T[]} items
 * @returns {() => T}
 */
export function cycle(items) {
  let i = 0;
  return () => /** @type {T} */ (items[i++ % items.length]);
}

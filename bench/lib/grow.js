// Organizations grown in place by SQL with generate_series (1,000 to 1,000,000 rows and more): users
// with a primary email and a membership each, and audit events. Ids have Gatehouse's shape
// (`<prefix>_` and 26 Crockford base32 characters, time-sortable): 16 characters of a real id made
// now, then a 10-character counter, so each batch sorts after the one before, as rows made later do.
import { newId } from '../../packages/server/dist/security/ids.js';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** The counter part of an id, in JS: the same 10 characters as `bench_b32(n)` in SQL. */
export function b32(/** @type {number} */ n) {
  let out = '';
  for (let i = 9; i >= 0; i--) out += CROCKFORD[Math.floor(n / 32 ** i) % 32];
  return out;
}

const B32_SQL = `create or replace function bench_b32(n bigint) returns text language sql immutable as $$
  select string_agg(substr('${CROCKFORD}', ((n >> (5 * (9 - i))) & 31)::int + 1, 1), '' order by i) from generate_series(0, 9) as i
$$`;

const CHUNK = 100_000;

/**
 * @typedef {object} Grower
 * @property {(size: number) => Promise<void>} members grow the organization to `size` seeded members
 * @property {(size: number) => Promise<void>} events grow its audit log to `size` seeded events
 * @property {(n: number) => string} memberId the id of seeded member n (1-based, in id order)
 * @property {(n: number) => string} eventId the id of seeded event n (1-based, oldest first)
 */

/**
 * @param {import('./types.js').Target} target Gatehouse or the floor (anything with /__bench/sql on Gatehouse's tables)
 * @param {string} orgId an existing organization
 * @param {string} tag unique per run (emails)
 * @returns {Promise<Grower>}
 */
export async function grower(target, orgId, tag) {
  await target.sql(B32_SQL);
  // Made after the organization and its owner, so every seeded id sorts after theirs.
  const head = (/** @type {Parameters<typeof newId>[0]} */ kind) => newId(kind).slice(4, 20);
  const p = { usr: head('user'), eml: head('email'), mem: head('membership'), evt: head('event') };
  let members = 0;
  let events = 0;
  return {
    async members(size) {
      for (let from = members + 1; from <= size; from += CHUNK) {
        const to = Math.min(size, from + CHUNK - 1);
        await target.sql(
          `with u as (
             insert into users (id, first_name, last_name, created_at, updated_at)
             select 'usr_' || $1 || bench_b32(n), 'Bench', 'User ' || n, now(), now() from generate_series($5::bigint, $6::bigint) as n
             returning id
           ), e as (
             insert into user_emails (id, user_id, email, verified, is_primary, created_at)
             select 'eml_' || $2 || substr(u.id, 21), u.id, $7 || '-' || substr(u.id, 21) || '@example.com', true, true, now() from u
           )
           insert into memberships (id, organization_id, user_id, role_id, role_scope, created_at, updated_at)
           select 'mem_' || $3 || substr(u.id, 21), $4, u.id, 'role_member', 'system', now(), now() from u`,
          [p.usr, p.eml, p.mem, orgId, from, to, tag],
        );
      }
      members = Math.max(members, size);
      await target.sql('analyze users; analyze user_emails; analyze memberships');
    },
    async events(size) {
      for (let from = events + 1; from <= size; from += CHUNK) {
        const to = Math.min(size, from + CHUNK - 1);
        await target.sql(
          `insert into audit_events (id, organization_id, action, actor_type, actor_id, target_type, target_id, ip, data, created_at)
           select 'evt_' || $1 || bench_b32(n), $2, 'member.added', 'admin', 'key_bench', 'membership', 'mem_' || $1 || bench_b32(n),
                  null, '{}', now()
             from generate_series($3::bigint, $4::bigint) as n`,
          [p.evt, orgId, from, to],
        );
      }
      events = Math.max(events, size);
      await target.sql('analyze audit_events');
    },
    memberId: (n) => `mem_${p.mem}${b32(n)}`,
    eventId: (n) => `evt_${p.evt}${b32(n)}`,
  };
}

/** A keyset cursor as Gatehouse makes it (base64url of the last id). */
export function cursorOf(/** @type {string} */ id) {
  return Buffer.from(id, 'utf8').toString('base64url');
}

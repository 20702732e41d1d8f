// One big organization per server, shared by the members-* scenarios (seeded once per server:
// 100,000 members take seconds on PostgreSQL and longer on PGlite).
import { newId } from '../../packages/server/dist/security/ids.js';
import { runTag, seedUsers } from './seed.js';
import { signedInUsers } from './sessions.js';
import { expectOk } from './target.js';

/** Members besides the owner; BENCH_MEMBERS overrides it for a quick try. */
export const MEMBERS = Number(process.env.BENCH_MEMBERS || 100_000);

/**
 * @typedef {object} BigOrg
 * @property {string} orgId
 * @property {string} ownerId the owner's user id
 * @property {string} ownerToken a session token of the owner (a member with members:view)
 * @property {string} deepCursor the cursor after the member at 90% of the list
 */

/** @type {Map<string, Promise<BigOrg>>} */
const seeded = new Map();

/**
 * The organization with {@link MEMBERS} members on this server, seeded on first use.
 * @param {import('./types.js').Target} target
 * @returns {Promise<BigOrg>}
 */
export function bigOrg(target) {
  let org = seeded.get(target.url);
  if (!org) {
    org = seed(target);
    seeded.set(target.url, org);
  }
  return org;
}

/** @param {import('./types.js').Target} target */
async function seed(target) {
  const started = Date.now();
  const tag = `org-${runTag()}`;
  const [owner] = await signedInUsers(target, 1, tag);
  if (!owner) throw new Error('no owner');
  let orgId;
  if (target.role === 'gatehouse') {
    const body = { name: `Bench ${tag}`, createdBy: owner.userId };
    orgId = expectOk(
      await target.request('POST', '/backend/v1/organizations', body, target.backendHeaders),
      'POST /backend/v1/organizations',
    ).id;
  } else {
    orgId = newId('organization');
    await target.sql(
      `with o as (insert into organizations (id, name, slug, created_at, updated_at) values ($1, $2, $3, now(), now()) returning id)
       insert into memberships (id, organization_id, user_id, role_id, role_scope, created_at, updated_at)
       select $4, o.id, $5, 'role_owner', 'system', now(), now() from o`,
      [orgId, `Bench ${tag}`, tag, newId('membership'), owner.userId],
    );
  }
  const userIds = await seedUsers(target, MEMBERS, `${tag}-m`);
  const start = Date.now() - MEMBERS - 1000;
  const membershipIds = userIds.map((_, i) => newId('membership', new Date(start + i)));
  // Inserted as Gatehouse's own triggers see them (members_count is kept by a statement trigger).
  const chunk = 5000;
  for (let from = 0; from < MEMBERS; from += chunk) {
    await target.sql(
      `insert into memberships (id, organization_id, user_id, role_id, role_scope, created_at, updated_at)
       select m.id, $1, m.user_id, 'role_member', 'system', now(), now() from unnest($2::text[], $3::text[]) as m(id, user_id)`,
      [orgId, membershipIds.slice(from, from + chunk), userIds.slice(from, from + chunk)],
    );
  }
  await target.sql('analyze');
  const deepCursor = Buffer.from(/** @type {string} */ (membershipIds[Math.floor(MEMBERS * 0.9)]), 'utf8').toString('base64url');
  console.log(`[bench] ${target.role} (${target.engine}): organization with ${MEMBERS} members seeded in ${Date.now() - started} ms`);
  return { orgId, ownerId: owner.userId, ownerToken: owner.token, deepCursor };
}

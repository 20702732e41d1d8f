// POST /v1/organizations/join-codes/join: signed-in users, each joining once by one shared code
// (unlimited uses), so every request is the write path: the use counted, the membership made and
// its audit event written, in one transaction under the organization lock.
import { newId } from '../../packages/server/dist/security/ids.js';
import { randomSecret, sha256 } from '../../packages/server/dist/security/tokens.js';
import { cycle, runTag, seedUsers } from '../lib/seed.js';
import { floorSession, sessionHeaders } from '../lib/sessions.js';
import { missingRoutes } from '../lib/target.js';

/** More joiners than a run answers, so nobody joins twice (env BENCH_JOINERS). */
const JOINERS = Number(process.env.BENCH_JOINERS || 12_000);

// The use, the membership and the audit event in one statement.
const FLOOR_SQL = `with code as (
  update join_codes set uses = uses + 1
   where code_hash = $1 and revoked_at is null and (max_uses is null or uses < max_uses) and (expires_at is null or expires_at > now())
   returning organization_id, role_id, role_scope
), m as (
  insert into memberships (id, organization_id, user_id, role_id, role_scope, created_at, updated_at)
  select $2, organization_id, $3, role_id, role_scope, now(), now() from code
  on conflict (organization_id, user_id) do nothing
  returning organization_id, role_id
), e as (
  insert into audit_events (id, organization_id, action, actor_type, actor_id, target_type, target_id, ip, data, created_at)
  select $4, organization_id, 'member.joined', 'user', $3, 'user', $3, null, '{}', now() from m
)
select organization_id, role_id from m`;

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'join-code',
  title: 'POST /v1/organizations/join-codes/join (a new member each time)',
  kind: 'write',
  floorSql: 'the session select, then one statement counting the use, inserting the membership and its audit event',

  floor(app, db) {
    app.post('/v1/organizations/join-codes/join', async (c) => {
      const session = await floorSession(db, c.req.header('authorization'));
      if (!session) return c.json({ status: 401, message: 'unauthenticated', data: null, session: null, errors: [] }, 401);
      const { code } = await c.req.json();
      const canonical = String(code)
        .toUpperCase()
        .replace(/[\s-]+/g, '');
      const [row] = await db.query('floor_join', FLOOR_SQL, [sha256(canonical), newId('membership'), session.user_id, newId('event')]);
      if (!row) return c.json({ status: 410, message: 'join_code_invalid', data: null, session: null, errors: [] }, 410);
      const data = { organizationId: row.organization_id, role: 'member', roleId: row.role_id, alreadyMember: false };
      return c.json({ status: 200, message: '', data, session: { id: session.session_id, userId: session.user_id }, errors: null });
    });
  },

  unavailable: (gatehouse) => missingRoutes(gatehouse, [['POST', '/v1/organizations/join-codes/join']]),

  // The same rows on both servers, written as Gatehouse writes them: an organization, its code, and
  // users with a live session each.
  async prepare(target) {
    const tag = runTag();
    const orgId = newId('organization');
    await target.sql(`insert into organizations (id, name, slug, created_at, updated_at) values ($1, 'Bench', $2, now(), now())`, [
      orgId,
      `join-${tag}`,
    ]);
    const code = randomSecret(19).slice(0, 30).toUpperCase();
    await target.sql(
      `insert into join_codes (id, organization_id, code_hash, role_id, role_scope, created_by_type, created_by_id, created_at)
       values ($1, $2, $3, 'role_member', 'system', 'admin', 'key_bench', now())`,
      [newId('joinCode'), orgId, sha256(code)],
    );
    const userIds = await seedUsers(target, JOINERS, `join-${tag}`);
    const tokens = [];
    const chunk = 5000;
    for (let from = 0; from < userIds.length; from += chunk) {
      const ids = [];
      const users = [];
      const hashes = [];
      for (const userId of userIds.slice(from, from + chunk)) {
        const id = newId('session');
        const secret = randomSecret(32);
        ids.push(id);
        users.push(userId);
        hashes.push(sha256(secret));
        tokens.push(`${id}.${secret}`);
      }
      await target.sql(
        `insert into sessions (id, user_id, secret_hash, created_at, last_active_at, expires_at, absolute_expires_at)
         select id, user_id, secret_hash, now(), now(), now() + interval '1 day', now() + interval '30 days'
           from unnest($1::text[], $2::text[], $3::text[]) as t(id, user_id, secret_hash)`,
        [ids, users, hashes],
      );
    }
    return { code, tokens };
  },

  requests(_target, state) {
    const next = cycle(state.tokens.map((/** @type {string} */ token) => sessionHeaders(token)));
    return [
      {
        method: 'POST',
        path: '/v1/organizations/join-codes/join',
        body: JSON.stringify({ code: state.code }),
        setupRequest: (req) => ({ ...req, headers: next() }),
      },
    ];
  },
};

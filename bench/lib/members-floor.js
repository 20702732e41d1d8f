// The floor of organizations/members/list: the session select, then one keyset-paged
// select of memberships joined to users (the same columns Gatehouse answers with, the role's
// permissions included). No check that the caller is a member: that is the cost of authorize.
import { bigOrg } from './org.js';
import { floorSession, sessionHeaders } from './sessions.js';
import { missingRoutes } from './target.js';

const COLUMNS = `m.id, m.organization_id, m.user_id, m.role_id, m.created_at, r.key as role_key,
  array(select g.permission_key from role_grants g where g.role_id = m.role_id order by 1) as permissions,
  e.email, u.first_name, u.last_name, u.image_url
  from memberships m join roles r on r.id = m.role_id join users u on u.id = m.user_id
  left join user_emails e on e.user_id = u.id and e.is_primary`;
const FIRST = `select ${COLUMNS} where m.organization_id = $1 order by m.id limit $2`;
const AFTER = `select ${COLUMNS} where m.organization_id = $1 and m.id > $3 order by m.id limit $2`;

export const MEMBERS_FLOOR_SQL =
  'session select (frontend only), then one keyset-paged select of memberships joined to roles, users and primary emails (with the role permissions)';

/** @type {WeakSet<object>} */
const registered = new WeakSet();

/**
 * A page as Gatehouse pages: limit + 1 rows fetched, the cursor is the last id in base64url.
 * @param {import('./types.js').FloorDb} db
 * @param {string} orgId
 * @param {number} limit
 * @param {string | undefined} cursor
 */
async function page(db, orgId, limit, cursor) {
  const after = cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : undefined;
  const rows = after
    ? await db.query('members_after', AFTER, [orgId, limit + 1, after])
    : await db.query('members_first', FIRST, [orgId, limit + 1]);
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  return { data, hasMore, nextCursor: hasMore ? Buffer.from(String(data.at(-1)?.id), 'utf8').toString('base64url') : null };
}

/**
 * Register both floor routes once per app (several members-* scenarios share them).
 * @param {import('hono').Hono} app
 * @param {import('./types.js').FloorDb} db
 */
export function registerMembersFloor(app, db) {
  if (registered.has(app)) return;
  registered.add(app);
  app.post('/v1/organizations/members/list', async (c) => {
    const session = await floorSession(db, c.req.header('authorization'));
    if (!session) return c.json({ status: 401, message: 'unauthenticated', data: null, session: null, errors: [] }, 401);
    const input = await c.req.json();
    const p = await page(db, input.organizationId, input.limit ?? 20, input.cursor);
    return c.json({
      status: 200,
      message: '',
      data: { members: p.data, hasMore: p.hasMore, nextCursor: p.nextCursor },
      session: { id: session.session_id, userId: session.user_id },
      errors: null,
    });
  });
  app.get('/backend/v1/organizations/:orgId/members', async (c) => {
    const limit = Number(c.req.query('limit') ?? 20);
    return c.json(await page(db, c.req.param('orgId'), limit, c.req.query('cursor')));
  });
}

/**
 * A scenario of `organizations/members/list` as the big organization's owner, on the page `cursorOf`
 * names (the first page when it names none).
 * @param {{ name: string, title: string, cursorOf: (org: import('./org.js').BigOrg) => string | undefined }} options
 * @returns {import('./types.js').Scenario}
 */
export function membersListScenario({ name, title, cursorOf }) {
  return {
    name,
    title,
    kind: 'read',
    floorSql: MEMBERS_FLOOR_SQL,
    floor: registerMembersFloor,
    unavailable: (gatehouse) =>
      missingRoutes(gatehouse, [
        ['POST', '/v1/auth/sign-in'],
        ['POST', '/backend/v1/organizations'],
        ['POST', '/v1/organizations/members/list'],
      ]),
    prepare: bigOrg,
    requests: (_target, org) => [
      {
        method: 'POST',
        path: '/v1/organizations/members/list',
        headers: sessionHeaders(org.ownerToken),
        body: JSON.stringify({ organizationId: org.orgId, limit: 20, ...(cursorOf(org) ? { cursor: cursorOf(org) } : {}) }),
      },
    ],
  };
}

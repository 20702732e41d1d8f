// POST /backend/v1/organizations/{orgId}/invitations: a new address every time, no email (the
// backend default), so each request is the write: the role checked, the invitation row with its
// hashed token and the audit event, in one transaction under the organization lock.
import { randomBytes } from 'node:crypto';
import { newId } from '../../packages/server/dist/security/ids.js';
import { sha256 } from '../../packages/server/dist/security/tokens.js';
import { runTag } from '../lib/seed.js';
import { missingRoutes } from '../lib/target.js';

// The invitation and its audit event in one statement; the role must exist (system member role).
const FLOOR_SQL = `with i as (
  insert into invitations (id, organization_id, email, workspace_id, role_id, role_scope, token_hash, status, expiry_days,
                           expires_at, inviter_type, inviter_id, created_at, updated_at)
  select $1, $2, $3, null, r.id, 'system', $4, 'pending', 10, now() + interval '10 days', 'admin', 'key_bench', now(), now()
    from roles r where r.id = 'role_member' and r.scope = 'system'
  on conflict do nothing
  returning id, organization_id, email, role_id, status, expires_at, created_at
), e as (
  insert into audit_events (id, organization_id, action, actor_type, actor_id, target_type, target_id, ip, data, created_at)
  select $5, organization_id, 'invitation.created', 'admin', 'key_bench', 'invitation', id, null, '{}', now() from i
)
select * from i`;

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'invitation-create',
  title: 'POST /backend/v1/organizations/{orgId}/invitations (no email)',
  kind: 'write',
  floorSql: 'one statement inserting the invitation (role looked up, token hashed) and its audit event',

  floor(app, db) {
    app.post('/backend/v1/organizations/:orgId/invitations', async (c) => {
      const body = await c.req.json();
      const token = randomBytes(32).toString('base64url');
      const [row] = await db.query('floor_invite', FLOOR_SQL, [
        newId('invitation'),
        c.req.param('orgId'),
        String(body.email).trim().toLowerCase(),
        sha256(token),
        newId('event'),
      ]);
      if (!row) return c.json({ errors: [{ code: 'invitation_pending', message: 'pending' }] }, 409);
      return c.json({ invitation: row, token, acceptUrl: `http://localhost/accept#token=${token}` });
    });
  },

  unavailable: (gatehouse) => missingRoutes(gatehouse, [['POST', '/backend/v1/organizations/{orgId}/invitations']]),

  async prepare(target) {
    const tag = runTag();
    const orgId = newId('organization');
    await target.sql(`insert into organizations (id, name, slug, created_at, updated_at) values ($1, 'Bench', $2, now(), now())`, [
      orgId,
      `invite-${tag}`,
    ]);
    return { orgId, tag };
  },

  requests(target, state) {
    let n = 0;
    return [
      {
        method: 'POST',
        path: `/backend/v1/organizations/${state.orgId}/invitations`,
        headers: { ...target.backendHeaders, 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: `${state.tag}-${++n}@example.com`, role: 'member' }) }),
      },
    ];
  },
};

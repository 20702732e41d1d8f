// An org API token on the hot path: POST /v1/organizations/get with `Authorization: Bearer
// <key>:<secret>`, rotating over tokens of one organization. Every request reads the token row
// (no cache, so a revoke applies to the next request); lastUsedAt is written at most once a minute.
import { newId } from '../../packages/server/dist/security/ids.js';
import { randomSecret, sha256 } from '../../packages/server/dist/security/tokens.js';
import { cycle, runTag } from '../lib/seed.js';
import { missingRoutes } from '../lib/target.js';

const TOKENS = 20;

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'org-token',
  title: 'POST /v1/organizations/get with an org API token',
  kind: 'read',
  floorSql: 'one select of the live token by key joined to its organization, with the permission, then the SHA-256 of the secret compared',

  floor(app, db) {
    app.post('/v1/organizations/get', async (c) => {
      const bearer = (c.req.header('authorization') ?? '').slice('Bearer '.length);
      const [key, secret] = bearer.split(':');
      const { organizationId } = await c.req.json();
      const [row] = await db.query(
        'floor_org_token',
        `select t.secret_hash, o.id, o.name, o.slug, o.image_url, o.members_count, o.public_metadata, o.created_at, o.updated_at
           from api_tokens t join organizations o on o.id = t.organization_id
          where t.key = $1 and t.organization_id = $2 and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
            and exists (select 1 from api_token_permissions p where p.token_id = t.id and p.permission_key = 'org:view')`,
        [key, organizationId],
      );
      if (!row || row.secret_hash !== sha256(secret ?? '')) {
        return c.json({ status: 401, message: 'unauthenticated', data: null, session: null, errors: [] }, 401);
      }
      const { secret_hash: _, ...organization } = row;
      return c.json({ status: 200, message: '', data: { organization }, session: null, errors: null });
    });
  },

  unavailable: (gatehouse) => missingRoutes(gatehouse, [['POST', '/v1/organizations/get']]),

  // The same rows on both servers, written as Gatehouse writes them.
  async prepare(target) {
    const orgId = newId('organization');
    await target.sql(`insert into organizations (id, name, slug, created_at, updated_at) values ($1, 'Bench', $2, now(), now())`, [
      orgId,
      `bench-${runTag()}`,
    ]);
    const bearers = [];
    for (let i = 0; i < TOKENS; i++) {
      const id = newId('apiToken');
      const key = `gh_live_${randomSecret(10)}`;
      const secret = randomSecret(32);
      await target.sql(
        `insert into api_tokens (id, organization_id, name, env, key, secret_hash, last_four, created_at)
         values ($1, $2, 'Bench', 'live', $3, $4, $5, now())`,
        [id, orgId, key, sha256(secret), secret.slice(-4)],
      );
      await target.sql(
        `insert into api_token_permissions (token_id, permission_key) values ($1, 'org:view'), ($1, 'members:view'), ($1, 'workspaces:view')`,
        [id],
      );
      bearers.push(`${key}:${secret}`);
    }
    return { orgId, bearers };
  },

  requests(_target, state) {
    const next = cycle(
      state.bearers.map((/** @type {string} */ b) => ({ authorization: `Bearer ${b}`, 'content-type': 'application/json' })),
    );
    return [
      {
        method: 'POST',
        path: '/v1/organizations/get',
        body: JSON.stringify({ organizationId: state.orgId }),
        setupRequest: (req) => ({ ...req, headers: next() }),
      },
    ];
  },
};

// Session resolution as a browser does it: POST /v1/session/get with the `__session` cookie and an
// allowed Origin (the CSRF check and CORS run, as for every cookie request), rotating over
// signed-in sessions. Target: >= 0.6x of the floor, p99 <= 25 ms.
import { cycle, runTag } from '../lib/seed.js';
import { BENCH_ORIGIN, floorSession, signedInUsers } from '../lib/sessions.js';
import { missingRoutes } from '../lib/target.js';

const SESSIONS = 20;

// The session and the user as session/get answers them, in one select.
const COLUMNS = `s.created_at as session_created_at, s.last_active_at, s.expires_at, s.active_organization_id,
  u.first_name, u.last_name, u.username, u.image_url, u.public_metadata, u.created_at, u.updated_at,
  (select coalesce(json_agg(json_build_object('id', e.id, 'email', e.email, 'verified', e.verified, 'primary', e.is_primary) order by e.id), '[]')
     from user_emails e where e.user_id = u.id) as emails`;

/** The `__session` cookie's value, or undefined. @param {string | undefined} header */
function sessionCookie(header) {
  const match = /(?:^|;\s*)__session=([^;]+)/.exec(header ?? '');
  return match?.[1];
}

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'session-get',
  title: 'POST /v1/session/get with the session cookie (session resolution)',
  kind: 'read',
  floorSql: 'one select of the live session by id joined to its user (emails aggregated), then the SHA-256 of the secret compared',

  floor(app, db) {
    app.post('/v1/session/get', async (c) => {
      const token = sessionCookie(c.req.header('cookie'));
      const row = token ? await floorSession(db, `Bearer ${token}`, COLUMNS) : undefined;
      if (!row) return c.json({ status: 401, message: 'unauthenticated', data: null, session: null, errors: [] }, 401);
      const { secret_hash: _, session_id, session_created_at, last_active_at, expires_at, active_organization_id, ...user } = row;
      const session = { id: session_id, createdAt: session_created_at, lastActiveAt: last_active_at, expiresAt: expires_at };
      return c.json({
        status: 200,
        message: '',
        data: { session, user },
        session: { id: session_id, userId: row.user_id, activeOrganizationId: active_organization_id },
        errors: null,
      });
    });
  },

  unavailable: (gatehouse) =>
    missingRoutes(gatehouse, [
      ['POST', '/v1/auth/sign-in'],
      ['POST', '/v1/session/get'],
    ]),

  async prepare(target) {
    return { users: await signedInUsers(target, SESSIONS, `sg-${runTag()}`) };
  },

  requests(_target, state) {
    const next = cycle(
      state.users.map((/** @type {{ token: string }} */ u) => ({
        cookie: `__session=${u.token}`,
        origin: BENCH_ORIGIN,
        'content-type': 'application/json',
      })),
    );
    return [{ method: 'POST', path: '/v1/session/get', body: '{}', setupRequest: (req) => ({ ...req, headers: next() }) }];
  },
};

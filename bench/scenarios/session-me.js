// Session resolution on the hot path: POST /v1/me/get with a session token in the header (as the
// SDK and servers send it), rotating over signed-in sessions. Target: p99 <= 25 ms.
import { cycle, runTag } from '../lib/seed.js';
import { floorSession, sessionHeaders, signedInUsers } from '../lib/sessions.js';
import { missingRoutes } from '../lib/target.js';

const SESSIONS = 20;

// The user as me/get answers it: the row and its emails, in the same select as the session.
const USER_COLUMNS = `u.first_name, u.last_name, u.username, u.image_url, u.public_metadata, u.created_at, u.updated_at,
  (select coalesce(json_agg(json_build_object('id', e.id, 'email', e.email, 'verified', e.verified, 'primary', e.is_primary) order by e.id), '[]')
     from user_emails e where e.user_id = u.id) as emails`;

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'session-me',
  title: 'POST /v1/me/get (session resolution)',
  kind: 'read',
  floorSql: 'one select of the live session by id joined to its user (emails aggregated), then the SHA-256 of the secret compared',

  floor(app, db) {
    app.post('/v1/me/get', async (c) => {
      const row = await floorSession(db, c.req.header('authorization'), USER_COLUMNS);
      if (!row) return c.json({ status: 401, message: 'unauthenticated', data: null, session: null, errors: [] }, 401);
      const { secret_hash: _, ...user } = row;
      return c.json({ status: 200, message: '', data: { user }, session: { id: row.session_id, userId: row.user_id }, errors: null });
    });
  },

  unavailable: (gatehouse) =>
    missingRoutes(gatehouse, [
      ['POST', '/v1/auth/sign-in'],
      ['POST', '/v1/me/get'],
    ]),

  async prepare(target) {
    return { users: await signedInUsers(target, SESSIONS, `me-${runTag()}`) };
  },

  requests(_target, state) {
    const next = cycle(state.users.map((/** @type {{ token: string }} */ u) => sessionHeaders(u.token)));
    return [{ method: 'POST', path: '/v1/me/get', body: '{}', setupRequest: (req) => ({ ...req, headers: next() }) }];
  },
};

// GET /backend/v1/users/{id} over a few thousand users, a different id on every request.
import { cycle, runTag, seedUsers } from '../lib/seed.js';

const USERS = 2000;

// The user resource is the row plus its emails and phones: one round trip, as Gatehouse does it.
const FLOOR_SQL = `select u.id, u.first_name, u.last_name, u.username, u.image_url, u.password_hash is not null as has_password,
  u.public_metadata, u.private_metadata, u.created_at, u.updated_at,
  (select coalesce(json_agg(json_build_object('id', e.id, 'email', e.email, 'verified', e.verified, 'primary', e.is_primary) order by e.id), '[]')
     from user_emails e where e.user_id = u.id) as emails,
  (select coalesce(json_agg(json_build_object('id', p.id, 'phone', p.phone, 'verified', p.verified, 'primary', p.is_primary) order by p.id), '[]')
     from user_phones p where p.user_id = u.id) as phones
from users u where u.id = $1`;

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'users-get',
  title: 'GET /backend/v1/users/{id}',
  kind: 'read',
  floorSql: 'one select of the user by primary key, its emails and phones aggregated in subqueries',

  floor(app, db) {
    app.get('/backend/v1/users/:userId', async (c) => {
      const [row] = await db.query('users_get', FLOOR_SQL, [c.req.param('userId')]);
      if (!row) return c.json({ error: 'not_found' }, 404);
      return c.json(row);
    });
  },

  async prepare(target) {
    return { ids: await seedUsers(target, USERS, `get-${runTag()}`) };
  },

  requests(target, state) {
    const next = cycle(state.ids);
    return [
      {
        method: 'GET',
        path: '/backend/v1/users/',
        headers: target.backendHeaders,
        setupRequest: (req) => ({ ...req, path: `/backend/v1/users/${next()}` }),
      },
    ];
  },
};

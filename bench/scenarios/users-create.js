// POST /backend/v1/users without a password (no argon2): a unique email on every request.

import { newId } from '../../packages/server/dist/security/ids.js';
import { runTag } from '../lib/seed.js';

// Both rows in one statement (the email row is part of a user); Gatehouse runs a transaction.
const FLOOR_SQL = `with u as (
  insert into users (id, first_name, last_name, created_at, updated_at) values ($1, $3, $4, $5, $5)
  returning id, first_name, last_name, created_at, updated_at
), e as (
  insert into user_emails (id, user_id, email, verified, is_primary, created_at) values ($2, $1, $6, true, true, $5)
  returning id, email
)
select u.*, e.id as email_id, e.email from u, e`;

/** @type {import('../lib/types.js').Scenario} */
export default {
  name: 'users-create',
  title: 'POST /backend/v1/users (no password)',
  kind: 'write',
  floorSql: 'one statement inserting the user row and its primary email row (two inserts in a CTE)',

  floor(app, db) {
    app.post('/backend/v1/users', async (c) => {
      const body = await c.req.json();
      const now = new Date();
      const email = String(body.email).trim().toLowerCase();
      const [row] = await db.query('users_create', FLOOR_SQL, [
        newId('user', now),
        newId('email', now),
        body.firstName ?? null,
        body.lastName ?? null,
        now,
        email,
      ]);
      return c.json(row);
    });
  },

  async prepare() {
    return { tag: `create-${runTag()}` };
  },

  requests(target, state) {
    let n = 0;
    return [
      {
        method: 'POST',
        path: '/backend/v1/users',
        headers: { ...target.backendHeaders, 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: `${state.tag}-${++n}@example.com`, firstName: 'Bench' }) }),
      },
    ];
  },
};

// Signed-in sessions for scenarios that need them. On Gatehouse: a user with a password through
// the backend API, then `POST /v1/auth/sign-in` with the header transport (the real path). On the
// floor, which has no sign-in: the same rows written directly (a token is `<session id>.<secret>`,
// the row keeps the SHA-256 of the secret).
import { newId } from '../../packages/server/dist/security/ids.js';
import { randomSecret, sha256 } from '../../packages/server/dist/security/tokens.js';
import { seedUsers } from './seed.js';
import { expectOk } from './target.js';

export const BENCH_PASSWORD = 'bench horse battery staple';

/** The browser origin of cookie requests; bench/run.js puts it in Gatehouse's ALLOWED_ORIGINS. */
export const BENCH_ORIGIN = 'https://app.bench.example';

/**
 * Headers of a frontend request with a session token (as the SDK sends them).
 * @param {string} token
 */
export function sessionHeaders(token) {
  return { authorization: `Bearer ${token}`, 'gatehouse-token-transport': 'header', 'content-type': 'application/json' };
}

/**
 * Sign in an existing user with a password on Gatehouse; the session token.
 * @param {import('./types.js').Target} target
 * @param {string} email
 * @param {string} [password]
 */
export async function signIn(target, email, password = BENCH_PASSWORD) {
  const res = await target.request('POST', '/v1/auth/sign-in', { email, password }, { 'gatehouse-token-transport': 'header' });
  expectOk(res, 'POST /v1/auth/sign-in');
  const token = res.headers.get('gatehouse-session-token');
  if (!token) throw new Error('POST /v1/auth/sign-in answered 200 without a Gatehouse-Session-Token header');
  return token;
}

/**
 * `count` users with a live session each.
 * @param {import('./types.js').Target} target
 * @param {number} count
 * @param {string} tag unique per run
 * @returns {Promise<Array<{ userId: string, email: string, token: string }>>}
 */
export async function signedInUsers(target, count, tag) {
  const out = [];
  if (target.role === 'gatehouse') {
    for (let i = 0; i < count; i++) {
      const email = `${tag}-s${i}@example.com`;
      const user = expectOk(
        await target.request('POST', '/backend/v1/users', { email, password: BENCH_PASSWORD, firstName: 'Bench' }, target.backendHeaders),
        'POST /backend/v1/users',
      );
      out.push({ userId: user.id, email, token: await signIn(target, email) });
    }
    return out;
  }
  const userIds = await seedUsers(target, count, `${tag}-s`);
  for (const [i, userId] of userIds.entries()) {
    const id = newId('session');
    const secret = randomSecret(32);
    await target.sql(
      `insert into sessions (id, user_id, secret_hash, created_at, last_active_at, expires_at, absolute_expires_at)
       values ($1, $2, $3, now(), now(), now() + interval '1 day', now() + interval '30 days')`,
      [id, userId, sha256(secret)],
    );
    out.push({ userId, email: `${tag}-s-${i}@example.com`, token: `${id}.${secret}` });
  }
  return out;
}

/**
 * The floor's session check (one indexed select, here by session id, then the SHA-256 of
 * the secret compared): the live session's row joined to its user, or undefined.
 * @param {import('./types.js').FloorDb} db
 * @param {string | undefined} authorization the Authorization header
 * @param {string} [extraColumns] more columns of `u` (users) or `s` (sessions) to select
 */
export async function floorSession(db, authorization, extraColumns = '') {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  const dot = token.indexOf('.');
  if (dot < 0) return undefined;
  const [row] = await db.query(
    'floor_session',
    `select s.id as session_id, s.secret_hash, s.user_id${extraColumns ? `, ${extraColumns}` : ''}
       from sessions s join users u on u.id = s.user_id
      where s.id = $1 and s.revoked_at is null and s.expires_at > now()`,
    [token.slice(0, dot)],
  );
  if (!row || row.secret_hash !== sha256(token.slice(dot + 1))) return undefined;
  return row;
}

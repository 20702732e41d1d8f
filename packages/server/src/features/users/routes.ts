import * as ops from '@gatehouse/contract';
import type { Hono } from 'hono';
import { decodeCursor, toPage } from '../../db/pagination.js';
import { retryTransaction } from '../../db/retry.js';
import type { Deps } from '../../deps.js';
import { bindBackend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { hashPassword } from '../../security/passwords.js';
import { actorOf } from '../audit/record.js';
import { releaseMembershipsOfDeletedUser } from '../organizations/user-deletion.js';
import { addContact, type ContactKind, listContacts, makeContactPrimary, removeContact, setContactVerified } from './contacts.js';
import { presentBackendUser, presentContact } from './present.js';
import * as q from './queries.js';

export function registerUserRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock } = deps;

  bindBackend(app, deps, ops.listUsers, async ({ query }) => {
    const rows = await q.listUsers(db, { ...query, after: decodeCursor(query.cursor) });
    return toPage(rows, query.limit, (r) => r.id, presentBackendUser);
  });

  bindBackend(app, deps, ops.createUser, async ({ body }) => {
    // Hash before the transaction: argon2 takes tens of milliseconds and holds no lock.
    const passwordHash = body.password ? await hashPassword(body.password) : null;
    return presentBackendUser(await q.insertUser(db, { ...body, passwordHash }, clock.now()));
  });

  bindBackend(app, deps, ops.getUser, async ({ params }) => presentBackendUser(await q.getUser(db, params.userId)));

  bindBackend(app, deps, ops.updateUser, async ({ params, body }) => {
    const { password, ...profile } = body;
    const passwordHash = password ? await hashPassword(password) : undefined;
    if (!(await q.updateUser(db, params.userId, { ...profile, passwordHash }, clock.now())))
      throw new ApiError('not_found', 'No such user.');
    return presentBackendUser(await q.getUser(db, params.userId));
  });

  bindBackend(app, deps, ops.deleteUser, async ({ params }, c) => {
    // Memberships, sessions, emails and phones go with the user (ON DELETE CASCADE), but never the
    // last owner of an organization: its row is locked before owners are counted.
    await retryTransaction(() =>
      db.transaction().execute(async (tx) => {
        await q.lockUser(tx, params.userId);
        const who = { actor: actorOf(c.get('principal')!), ip: c.get('ip'), now: clock.now() };
        await releaseMembershipsOfDeletedUser(tx, params.userId, who);
        await q.deleteUser(tx, params.userId);
      }),
    );
    return { id: params.userId, deleted: true as const };
  });

  registerContactRoutes(app, deps, 'email', {
    list: ops.listUserEmails,
    create: ops.createUserEmail,
    update: ops.updateUserEmail,
    remove: ops.deleteUserEmail,
    makePrimary: ops.makeUserEmailPrimary,
  });
  // The phone operations have the email operations' shapes but for the value's name.
  registerContactRoutes(app, deps, 'phone', {
    list: ops.listUserPhones,
    create: ops.createUserPhone,
    update: ops.updateUserPhone,
    remove: ops.deleteUserPhone,
    makePrimary: ops.makeUserPhonePrimary,
  } as unknown as ContactOps);
}

interface ContactOps {
  list: typeof ops.listUserEmails;
  create: typeof ops.createUserEmail;
  update: typeof ops.updateUserEmail;
  remove: typeof ops.deleteUserEmail;
  makePrimary: typeof ops.makeUserEmailPrimary;
}

/** The five routes of a user's emails or phones. */
function registerContactRoutes(app: Hono<AppEnv>, deps: Deps, kind: ContactKind, contactOps: ContactOps): void {
  const { db, clock } = deps;
  const idOf = (params: Record<string, string>) => params[kind === 'email' ? 'emailId' : 'phoneId'] as string;
  const present = (row: Parameters<typeof presentContact>[1]) => presentContact(kind, row);

  bindBackend(app, deps, contactOps.list, async ({ params }) => {
    await q.getUser(db, params.userId);
    const rows = await listContacts(db, kind, params.userId);
    return { data: rows.map(present), hasMore: false, nextCursor: null };
  });

  bindBackend(app, deps, contactOps.create, async ({ params, body }) => {
    const value = (body as Record<string, unknown>)[kind] as string;
    return present(await addContact(db, kind, params.userId, { value, verified: body.verified, primary: body.primary }, clock.now()));
  });

  bindBackend(app, deps, contactOps.update, async ({ params, body }) =>
    present(await setContactVerified(db, kind, params.userId, idOf(params), body.verified)),
  );

  bindBackend(app, deps, contactOps.remove, async ({ params }) => {
    await removeContact(db, kind, params.userId, idOf(params));
    return { id: idOf(params), deleted: true as const };
  });

  bindBackend(app, deps, contactOps.makePrimary, async ({ params }) =>
    present(await makeContactPrimary(db, kind, params.userId, idOf(params))),
  );
}

import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.js';
import { ApiError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { lockUser } from './queries.js';

/**
 * Emails and phones behave alike: a user has at most one primary of each (a partial unique
 * index), values are unique across the instance (a unique index), and every change locks the
 * user's row first so concurrent changes to one user serialize.
 */
export type ContactKind = 'email' | 'phone';

const tables = { email: 'user_emails', phone: 'user_phones' } as const;

/** A contact row in one shape for both kinds. */
export interface ContactRow {
  id: string;
  value: string;
  verified: boolean;
  is_primary: boolean;
}

// Both tables have the same columns but for the value's name; Kysely types one of them.
function table(db: Db) {
  return db as unknown as Kysely<Pick<Database, 'user_emails'>>;
}

function valueColumn(kind: ContactKind) {
  return kind as 'email';
}

function selectContacts(db: Db, kind: ContactKind) {
  return table(db)
    .selectFrom(tables[kind] as 'user_emails')
    .select(['id', `${valueColumn(kind)} as value`, 'verified', 'is_primary'])
    .$castTo<ContactRow>();
}

export function listContacts(db: Db, kind: ContactKind, userId: string) {
  return selectContacts(db, kind).where('user_id', '=', userId).orderBy('id').execute();
}

async function getContact(db: Db, kind: ContactKind, userId: string, contactId: string): Promise<ContactRow> {
  const row = await selectContacts(db, kind).where('user_id', '=', userId).where('id', '=', contactId).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `No such ${kind}.`);
  return row;
}

async function clearPrimary(db: Db, kind: ContactKind, userId: string): Promise<void> {
  await table(db)
    .updateTable(tables[kind] as 'user_emails')
    .set({ is_primary: false })
    .where('user_id', '=', userId)
    .where('is_primary', '=', true)
    .execute();
}

/**
 * Add a contact. For phones the first one becomes primary; an email can be primary only when
 * verified, since the primary email is where sign-in and recovery mail goes.
 */
export async function addContact(
  db: Kysely<Database>,
  kind: ContactKind,
  userId: string,
  input: { value: string; verified: boolean; primary: boolean },
  now: Date,
): Promise<ContactRow> {
  if (kind === 'email' && input.primary && !input.verified) {
    throw new ApiError('invalid_request', 'Only a verified email address can be primary.', [
      { path: 'body.primary', message: 'requires verified: true' },
    ]);
  }
  return db.transaction().execute(async (tx) => {
    await lockUser(tx, userId);
    const existing = await listContacts(tx, kind, userId);
    const primary = input.primary || (kind === 'phone' && existing.length === 0);
    if (primary) await clearPrimary(tx, kind, userId);
    const id = newId(kind, now);
    await table(tx)
      .insertInto(tables[kind] as 'user_emails')
      .values({
        id,
        user_id: userId,
        [valueColumn(kind)]: input.value,
        verified: input.verified,
        is_primary: primary,
        created_at: now,
      } as never)
      .execute();
    return { id, value: input.value, verified: input.verified, is_primary: primary };
  });
}

/** Mark verified or not. The primary email cannot be unverified: make another one primary first. */
export async function setContactVerified(db: Kysely<Database>, kind: ContactKind, userId: string, contactId: string, verified: boolean) {
  return db.transaction().execute(async (tx) => {
    await lockUser(tx, userId);
    const row = await getContact(tx, kind, userId, contactId);
    if (kind === 'email' && row.is_primary && !verified) {
      throw new ApiError('conflict', 'The primary email address must stay verified. Make another address primary first.');
    }
    await table(tx)
      .updateTable(tables[kind] as 'user_emails')
      .set({ verified })
      .where('id', '=', contactId)
      .execute();
    return { ...row, verified };
  });
}

/**
 * Remove a contact. The primary email can never be removed (sign-in and recovery need it); the
 * primary phone only when it is the last phone.
 */
export async function removeContact(
  db: Kysely<Database>,
  kind: ContactKind,
  userId: string,
  contactId: string,
  /** Runs in the change's transaction, after it (the audit event of a user's own change). */
  after?: (tx: Db) => Promise<unknown>,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await lockUser(tx, userId);
    const row = await getContact(tx, kind, userId, contactId);
    if (row.is_primary) {
      const all = await listContacts(tx, kind, userId);
      if (kind === 'email' || all.length > 1) {
        throw new ApiError('conflict', `The primary ${kind} cannot be removed. Make another ${kind} primary first.`);
      }
    }
    await table(tx)
      .deleteFrom(tables[kind] as 'user_emails')
      .where('id', '=', contactId)
      .execute();
    await after?.(tx);
  });
}

/** Make a contact primary (exactly one primary afterwards). Emails must be verified. */
export async function makeContactPrimary(
  db: Kysely<Database>,
  kind: ContactKind,
  userId: string,
  contactId: string,
  /** Runs in the change's transaction when it changed something (the audit event of a user's own change). */
  after?: (tx: Db) => Promise<unknown>,
): Promise<ContactRow> {
  return db.transaction().execute(async (tx) => {
    await lockUser(tx, userId);
    const row = await getContact(tx, kind, userId, contactId);
    if (kind === 'email' && !row.verified) throw new ApiError('conflict', 'Verify this email address before making it primary.');
    if (row.is_primary) return row;
    await clearPrimary(tx, kind, userId);
    await table(tx)
      .updateTable(tables[kind] as 'user_emails')
      .set({ is_primary: true })
      .where('id', '=', contactId)
      .execute();
    await after?.(tx);
    return { ...row, is_primary: true };
  });
}

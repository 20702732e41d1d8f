import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { compiledQuery } from '../../db/compiled.js';
import type { Db } from '../../db/schema.js';
import { ApiError, describeUniqueConstraint } from '../../http/errors.js';
import { newId } from '../../security/ids.js';

describeUniqueConstraint('user_emails_email_key', 'This email address is already in use.');
describeUniqueConstraint('user_phones_phone_key', 'This phone number is already in use.');
describeUniqueConstraint('users_username_key', 'This username is taken.');

/** Users with their emails, phones and second factors, in one round trip. */
export function selectUsers(db: Db) {
  return db
    .selectFrom('users')
    .selectAll('users')
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('user_emails')
          .select(['user_emails.id', 'user_emails.email', 'user_emails.verified', 'user_emails.is_primary'])
          .whereRef('user_emails.user_id', '=', 'users.id')
          .orderBy('user_emails.id'),
      ).as('emails'),
      jsonArrayFrom(
        eb
          .selectFrom('user_phones')
          .select(['user_phones.id', 'user_phones.phone', 'user_phones.verified', 'user_phones.is_primary'])
          .whereRef('user_phones.user_id', '=', 'users.id')
          .orderBy('user_phones.id'),
      ).as('phones'),
      eb
        .exists(
          eb
            .selectFrom('totp_authenticators')
            .select('totp_authenticators.id')
            .whereRef('totp_authenticators.user_id', '=', 'users.id')
            .where('totp_authenticators.verified_at', 'is not', null),
        )
        .as('totp_enabled'),
      eb
        .selectFrom('backup_codes')
        .select((b) => b.fn.countAll<number>().as('n'))
        .whereRef('backup_codes.user_id', '=', 'users.id')
        .where('backup_codes.used_at', 'is', null)
        .as('backup_codes_remaining'),
    ]);
}

const userById = compiledQuery((db: Db, userId: string) => selectUsers(db).where('users.id', '=', userId));

export type UserRow = Awaited<ReturnType<typeof userById>>[number];

/** A user with emails and phones (`me/get` and every answer that shows a user). */
export async function findUser(db: Db, userId: string): Promise<UserRow | undefined> {
  return (await userById(db, userId))[0];
}

export async function getUser(db: Db, userId: string): Promise<UserRow> {
  const user = await findUser(db, userId);
  if (!user) throw new ApiError('not_found', 'No such user.');
  return user;
}

/** `%`, `_` and `\` match literally in a search string. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

export function listUsers(db: Db, filter: { search?: string; email?: string; after?: string; limit: number }) {
  let query = selectUsers(db)
    .orderBy('users.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.after) query = query.where('users.id', '<', filter.after);
  if (filter.email) {
    const email = filter.email;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_emails')
          .select('user_emails.id')
          .whereRef('user_emails.user_id', '=', 'users.id')
          .where('user_emails.email', '=', email),
      ),
    );
  }
  if (filter.search) {
    const pattern = likePattern(filter.search);
    query = query.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('user_emails')
            .select('user_emails.id')
            .whereRef('user_emails.user_id', '=', 'users.id')
            .where('user_emails.email', 'ilike', pattern),
        ),
        eb('users.first_name', 'ilike', pattern),
        eb('users.last_name', 'ilike', pattern),
        eb('users.username', 'ilike', pattern),
        eb(sql<string>`coalesce(users.first_name, '') || ' ' || coalesce(users.last_name, '')`, 'ilike', pattern),
      ]),
    );
  }
  return query.execute();
}

export interface NewUser {
  email: string;
  emailVerified: boolean;
  passwordHash: string | null;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  username?: string | null | undefined;
  imageUrl?: string | null | undefined;
  publicMetadata?: Record<string, unknown> | undefined;
  privateMetadata?: Record<string, unknown> | undefined;
}

/**
 * Insert a user and their primary email in one statement (atomic without a transaction; the email's
 * foreign key is checked at the end of the statement) and return the user as {@link findUser} would.
 */
export async function insertUser(db: Db, input: NewUser, now: Date): Promise<UserRow> {
  const id = newId('user', now);
  const email = { id: newId('email', now), email: input.email, verified: input.emailVerified, is_primary: true };
  const user = await db
    .with('primary_email', (cte) => cte.insertInto('user_emails').values({ ...email, user_id: id, created_at: now }))
    .insertInto('users')
    .values({
      id,
      first_name: input.firstName ?? null,
      last_name: input.lastName ?? null,
      username: input.username ?? null,
      image_url: input.imageUrl ?? null,
      password_hash: input.passwordHash,
      public_metadata: JSON.stringify(input.publicMetadata ?? {}),
      private_metadata: JSON.stringify(input.privateMetadata ?? {}),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...user, emails: [email], phones: [], totp_enabled: false, backup_codes_remaining: 0 };
}

export interface UserChanges {
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  username?: string | null | undefined;
  imageUrl?: string | null | undefined;
  passwordHash?: string | undefined;
  publicMetadata?: Record<string, unknown> | undefined;
  privateMetadata?: Record<string, unknown> | undefined;
}

/** Apply the given changes; fields left undefined stay as they are. False when the user does not exist. */
export async function updateUser(db: Db, userId: string, changes: UserChanges, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      ...(changes.firstName !== undefined ? { first_name: changes.firstName } : {}),
      ...(changes.lastName !== undefined ? { last_name: changes.lastName } : {}),
      ...(changes.username !== undefined ? { username: changes.username } : {}),
      ...(changes.imageUrl !== undefined ? { image_url: changes.imageUrl } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      ...(changes.publicMetadata !== undefined ? { public_metadata: JSON.stringify(changes.publicMetadata) } : {}),
      ...(changes.privateMetadata !== undefined ? { private_metadata: JSON.stringify(changes.privateMetadata) } : {}),
      updated_at: now,
    })
    .where('id', '=', userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Lock a user's row for the rest of the transaction, so changes to their contacts serialize. */
export async function lockUser(db: Db, userId: string): Promise<void> {
  const row = await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
  if (!row) throw new ApiError('not_found', 'No such user.');
}

export function deleteUser(db: Db, userId: string) {
  return db.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
}

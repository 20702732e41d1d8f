import type { Db } from '../../db/schema.js';

/** The account behind an email address, for sign-in and password reset. */
export function findAccountByEmail(db: Db, email: string) {
  return db
    .selectFrom('user_emails')
    .innerJoin('users', 'users.id', 'user_emails.user_id')
    .select(['users.id as userId', 'users.password_hash as passwordHash', 'user_emails.id as emailId', 'user_emails.verified'])
    .where('user_emails.email', '=', email)
    .executeTakeFirst();
}

/** True when any account has this address (verified or not: the unique index covers both). */
export async function emailTaken(db: Db, email: string): Promise<boolean> {
  return (await db.selectFrom('user_emails').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
}

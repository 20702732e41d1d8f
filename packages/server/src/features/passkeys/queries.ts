import type { Db } from '../../db/schema.js';
import { describeUniqueConstraint } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { CHALLENGE_TTL_MS, hashChallenge } from '../../security/webauthn.js';

describeUniqueConstraint('passkeys_credential_id_key', 'This passkey is already registered.');

/** A user may keep this many passkeys: enough for every device, few enough to list on one page. */
export const MAX_PASSKEYS_PER_USER = 50;

type Purpose = 'registration' | 'authentication';

/** Store a challenge for 5 minutes (`userId`: the registering user; none for a sign-in). */
export async function insertChallenge(db: Db, challenge: string, purpose: Purpose, userId: string | null, now: Date): Promise<void> {
  await db
    .insertInto('webauthn_challenges')
    .values({
      challenge_hash: hashChallenge(challenge),
      purpose,
      user_id: userId,
      expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS),
      created_at: now,
    })
    .execute();
}

/**
 * Use up a challenge: true when it was issued for this purpose (and user), and has not expired.
 * One DELETE decides, so of two requests with the same challenge exactly one gets true, also
 * across processes; an expired one is deleted too, and is as gone as a used one.
 */
export async function consumeChallenge(db: Db, challenge: string, purpose: Purpose, userId: string | null, now: Date): Promise<boolean> {
  const row = await db
    .deleteFrom('webauthn_challenges')
    .where('challenge_hash', '=', hashChallenge(challenge))
    .where('purpose', '=', purpose)
    .where((eb) => (userId === null ? eb('user_id', 'is', null) : eb('user_id', '=', userId)))
    .returning('expires_at')
    .executeTakeFirst();
  return row !== undefined && row.expires_at > now;
}

/** A user's passkeys, newest first (at most {@link MAX_PASSKEYS_PER_USER}). */
export function listPasskeys(db: Db, userId: string) {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
}

export function findPasskey(db: Db, userId: string, passkeyId: string) {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).where('id', '=', passkeyId).executeTakeFirst();
}

export function findPasskeyByCredentialId(db: Db, credentialId: string) {
  return db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
}

export interface NewPasskey {
  userId: string;
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  name: string;
}

export function insertPasskey(tx: Db, input: NewPasskey, now: Date) {
  return tx
    .insertInto('passkeys')
    .values({
      id: newId('passkey', now),
      user_id: input.userId,
      credential_id: input.credentialId,
      public_key: input.publicKey,
      sign_count: input.signCount,
      transports: JSON.stringify(input.transports),
      device_type: input.deviceType,
      backed_up: input.backedUp,
      name: input.name,
      created_at: now,
      last_used_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function renamePasskey(db: Db, userId: string, passkeyId: string, name: string) {
  return db
    .updateTable('passkeys')
    .set({ name })
    .where('user_id', '=', userId)
    .where('id', '=', passkeyId)
    .returningAll()
    .executeTakeFirst();
}

/** Delete one of the user's passkeys: true when it existed. */
export async function deletePasskey(db: Db, userId: string, passkeyId: string): Promise<boolean> {
  const gone = await db.deleteFrom('passkeys').where('user_id', '=', userId).where('id', '=', passkeyId).executeTakeFirst();
  return Number(gone.numDeletedRows) === 1;
}

/**
 * Record a verified sign-in: the new counter, backup state and time, by compare-and-set on the
 * counter read before verifying. Of two assertions racing with one counter value, only one
 * updates; the other is refused like a replay (false).
 */
export async function recordPasskeyUse(
  db: Db,
  row: { id: string; sign_count: number },
  use: { signCount: number; backedUp: boolean },
  now: Date,
): Promise<boolean> {
  const updated = await db
    .updateTable('passkeys')
    .set({ sign_count: use.signCount, backed_up: use.backedUp, last_used_at: now })
    .where('id', '=', row.id)
    .where('sign_count', '=', row.sign_count)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

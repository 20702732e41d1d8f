import type { Selectable } from 'kysely';
import type { Db } from '../../db/schema.js';
import type { OauthProvidersTable } from '../../db/tables/oauth.js';
import { describeUniqueConstraint } from '../../http/errors.js';
import { decrypt, encrypt } from '../../security/encryption.js';
import { newId } from '../../security/ids.js';
import { sha256 } from '../../security/tokens.js';
import type { ProviderProfile, ProviderSettings } from './providers.js';

describeUniqueConstraint('social_connections_provider_id_subject_key', 'This provider account is already linked to a user.');
describeUniqueConstraint('social_connections_provider_id_user_id_key', 'This user already has a connection to this provider.');

/** A sign-in in flight lives this long. */
export const STATE_TTL_MS = 10 * 60 * 1000;

export type ProviderRow = Selectable<OauthProvidersTable>;

export interface NewProvider {
  type: ProviderRow['type'];
  name: string;
  clientId: string;
  clientSecret: string;
  issuer: string | null;
  tenant: string | null;
  scopes: string[];
  enabled: boolean;
}

export function insertProvider(db: Db, key: Buffer, input: NewProvider, now: Date) {
  const id = newId('oauthProvider', now);
  return db
    .insertInto('oauth_providers')
    .values({
      id,
      type: input.type,
      name: input.name,
      client_id: input.clientId,
      client_secret_encrypted: encrypt(key, input.clientSecret, id),
      issuer: input.issuer,
      tenant: input.tenant,
      scopes: JSON.stringify(input.scopes),
      enabled: input.enabled,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ProviderChanges {
  name?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  issuer?: string | undefined;
  tenant?: string | undefined;
  scopes?: string[] | undefined;
  enabled?: boolean | undefined;
}

export function updateProvider(db: Db, key: Buffer, providerId: string, changes: ProviderChanges, now: Date) {
  return db
    .updateTable('oauth_providers')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.clientId !== undefined ? { client_id: changes.clientId } : {}),
      ...(changes.clientSecret !== undefined ? { client_secret_encrypted: encrypt(key, changes.clientSecret, providerId) } : {}),
      ...(changes.issuer !== undefined ? { issuer: changes.issuer } : {}),
      ...(changes.tenant !== undefined ? { tenant: changes.tenant } : {}),
      ...(changes.scopes !== undefined ? { scopes: JSON.stringify(changes.scopes) } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
      updated_at: now,
    })
    .where('id', '=', providerId)
    .returningAll()
    .executeTakeFirst();
}

export function findProvider(db: Db, providerId: string) {
  return db.selectFrom('oauth_providers').selectAll().where('id', '=', providerId).executeTakeFirst();
}

export function listProviders(db: Db, filter: { enabledOnly?: boolean } = {}) {
  let query = db.selectFrom('oauth_providers').selectAll().orderBy('id');
  if (filter.enabledOnly) query = query.where('enabled', '=', true);
  return query.execute();
}

/** The protocol settings of a provider row, its secret decrypted. */
export function settingsOf(key: Buffer, row: ProviderRow): ProviderSettings {
  return {
    id: row.id,
    type: row.type,
    clientId: row.client_id,
    clientSecret: decrypt(key, row.client_secret_encrypted, row.id),
    issuer: row.issuer,
    tenant: row.tenant,
    scopes: row.scopes,
    updatedAt: row.updated_at,
  };
}

export interface NewState {
  state: string;
  providerId: string;
  browserSecret: string;
  codeVerifier: string;
  nonce: string;
  redirectUrl: string;
  /** The redirect URI sent to the provider when it is not Gatehouse's own. */
  callbackUrl: string | null;
}

/** Keep a sign-in in flight for 10 minutes: the state by its hash, the PKCE verifier encrypted. */
export async function insertState(db: Db, key: Buffer, input: NewState, now: Date): Promise<void> {
  const stateHash = sha256(input.state);
  await db
    .insertInto('oauth_states')
    .values({
      state_hash: stateHash,
      provider_id: input.providerId,
      browser_hash: sha256(input.browserSecret),
      code_verifier_encrypted: encrypt(key, input.codeVerifier, stateHash),
      nonce: input.nonce,
      redirect_url: input.redirectUrl,
      callback_url: input.callbackUrl,
      expires_at: new Date(now.getTime() + STATE_TTL_MS),
      created_at: now,
    })
    .execute();
}

/**
 * Use up a state: one DELETE decides, so of two callbacks with the same state exactly one gets
 * the row, also across processes. Expired rows come back too (the caller says so to the user).
 */
export async function consumeState(db: Db, key: Buffer, state: string) {
  const row = await db.deleteFrom('oauth_states').where('state_hash', '=', sha256(state)).returningAll().executeTakeFirst();
  if (!row) return undefined;
  return { ...row, codeVerifier: decrypt(key, row.code_verifier_encrypted, row.state_hash) };
}

/** A user's connections with their provider's type and name, newest first. */
export function listConnections(db: Db, userId: string) {
  return db
    .selectFrom('social_connections')
    .innerJoin('oauth_providers', 'oauth_providers.id', 'social_connections.provider_id')
    .select([
      'social_connections.id',
      'social_connections.provider_id',
      'social_connections.email',
      'social_connections.email_verified',
      'social_connections.created_at',
      'social_connections.last_used_at',
      'oauth_providers.type as provider_type',
      'oauth_providers.name as provider_name',
    ])
    .where('social_connections.user_id', '=', userId)
    .orderBy('social_connections.id', 'desc')
    .execute();
}

export function findConnectionBySubject(db: Db, providerId: string, subject: string) {
  return db
    .selectFrom('social_connections')
    .select(['id', 'user_id'])
    .where('provider_id', '=', providerId)
    .where('subject', '=', subject)
    .executeTakeFirst();
}

/** The provider tokens, each encrypted with the connection id and its kind as context. */
function encryptedTokens(key: Buffer, connectionId: string, tokens: ProviderProfile['tokens']) {
  const seal = (value: string | null, kind: string) => (value === null ? null : encrypt(key, value, `${connectionId}:${kind}`));
  return {
    access_token_encrypted: seal(tokens.accessToken, 'access'),
    refresh_token_encrypted: seal(tokens.refreshToken, 'refresh'),
    id_token_encrypted: seal(tokens.idToken, 'id'),
    token_expires_at: tokens.expiresAt,
  };
}

export async function insertConnection(
  db: Db,
  key: Buffer,
  input: { userId: string; providerId: string; profile: ProviderProfile },
  now: Date,
) {
  const id = newId('socialConnection', now);
  await db
    .insertInto('social_connections')
    .values({
      id,
      user_id: input.userId,
      provider_id: input.providerId,
      subject: input.profile.subject,
      email: input.profile.email,
      email_verified: input.profile.emailVerified,
      ...encryptedTokens(key, id, input.profile.tokens),
      created_at: now,
      last_used_at: now,
    })
    .execute();
  return id;
}

/** A sign-in through an existing connection: the provider's latest email and tokens, and the time. */
export async function recordConnectionUse(db: Db, key: Buffer, connectionId: string, profile: ProviderProfile, now: Date): Promise<void> {
  await db
    .updateTable('social_connections')
    .set({
      email: profile.email,
      email_verified: profile.emailVerified,
      ...encryptedTokens(key, connectionId, profile.tokens),
      last_used_at: now,
    })
    .where('id', '=', connectionId)
    .execute();
}

/** Delete one of the user's connections: its provider id when it existed. */
export async function deleteConnection(db: Db, userId: string, connectionId: string): Promise<string | undefined> {
  const row = await db
    .deleteFrom('social_connections')
    .where('user_id', '=', userId)
    .where('id', '=', connectionId)
    .returning('provider_id')
    .executeTakeFirst();
  return row?.provider_id;
}

/** True when the user can still sign in without this connection: a password, a passkey or another connection. */
export async function hasOtherWayIn(db: Db, userId: string, connectionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select((eb) => [
      'users.password_hash',
      eb.exists(eb.selectFrom('passkeys').select('passkeys.id').whereRef('passkeys.user_id', '=', 'users.id')).as('has_passkey'),
      eb
        .exists(
          eb
            .selectFrom('social_connections')
            .select('social_connections.id')
            .whereRef('social_connections.user_id', '=', 'users.id')
            .where('social_connections.id', '<>', connectionId),
        )
        .as('has_other_connection'),
    ])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.password_hash !== null || Boolean(row.has_passkey) || Boolean(row.has_other_connection);
}

import type { Selectable } from 'kysely';
import { type Config, OAUTH_CALLBACK_PATH } from '../../config.js';
import type { OauthProvidersTable, SocialConnectionsTable } from '../../db/tables/oauth.js';

/** Where a provider sends the browser back to by default: register it at the provider. */
export function callbackUrl(config: Config): string {
  return `${config.publicUrl}${OAUTH_CALLBACK_PATH}`;
}

/** The path of the cookie that binds a sign-in to the browser: the callback's folder, on the callback's origin. */
export function browserCookiePath(callback: string): string {
  const path = new URL(callback).pathname;
  return path.slice(0, path.length - '/callback'.length);
}

/** A provider as the backend API shows it: an allow-list, so the client secret never leaves. */
export function presentProvider(row: Selectable<OauthProvidersTable>, config: Config) {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    clientId: row.client_id,
    clientSecretSet: true as const,
    issuer: row.issuer,
    tenant: row.tenant,
    scopes: row.scopes,
    enabled: row.enabled,
    callbackUrl: callbackUrl(config),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A connection with its provider's type and name: an allow-list, so the provider tokens never leave. */
export function presentConnection(
  row: Pick<Selectable<SocialConnectionsTable>, 'id' | 'provider_id' | 'email' | 'email_verified' | 'created_at' | 'last_used_at'> & {
    provider_type: OauthProvidersTable['type'];
    provider_name: string;
  },
) {
  return {
    id: row.id,
    providerId: row.provider_id,
    providerType: row.provider_type,
    providerName: row.provider_name,
    email: row.email,
    emailVerified: row.email_verified,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

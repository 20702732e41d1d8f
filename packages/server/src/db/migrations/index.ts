import type { Migration } from 'kysely';
import { m0001Users } from './0001_users.js';
import { m0002Auth } from './0002_auth.js';
import { m0003Organizations } from './0003_organizations.js';
import { m0004Email } from './0004_email.js';
import { m0005SweepIndexes } from './0005_sweep_indexes.js';
import { m0006Workspaces } from './0006_workspaces.js';
import { m0007Settings } from './0007_settings.js';
import { m0008Invitations } from './0008_invitations.js';
import { m0009JoinCodes } from './0009_join_codes.js';
import { m0010ApiTokens } from './0010_api_tokens.js';
import { m0011Mfa } from './0011_mfa.js';
import { m0012Passkeys } from './0012_passkeys.js';
import { m0013Oauth } from './0013_oauth.js';
import { m0014ConsoleSessions } from './0014_console_sessions.js';
import { m0015OauthCallbackUrl } from './0015_oauth_callback_url.js';
import { m0016SigningKeyRevoked } from './0016_signing_key_revoked.js';

/** The one ordered migration list, applied on PGlite and PostgreSQL alike. Never edit a shipped entry: add one. */
export const migrations: Record<string, Migration> = {
  '0001_users': m0001Users,
  '0002_auth': m0002Auth,
  '0003_organizations': m0003Organizations,
  '0004_email': m0004Email,
  '0005_sweep_indexes': m0005SweepIndexes,
  '0006_workspaces': m0006Workspaces,
  '0007_settings': m0007Settings,
  '0008_invitations': m0008Invitations,
  '0009_join_codes': m0009JoinCodes,
  '0010_api_tokens': m0010ApiTokens,
  '0011_mfa': m0011Mfa,
  '0012_passkeys': m0012Passkeys,
  '0013_oauth': m0013Oauth,
  '0014_console_sessions': m0014ConsoleSessions,
  '0015_oauth_callback_url': m0015OauthCallbackUrl,
  '0016_signing_key_revoked': m0016SigningKeyRevoked,
};

import type { Kysely, Transaction } from 'kysely';
import type { ApiTokenTables } from './tables/api-tokens.js';
import type { AuthTables } from './tables/auth.js';
import type { ConsoleTables } from './tables/console.js';
import type { EmailTables } from './tables/email.js';
import type { InstanceTables } from './tables/instance.js';
import type { InvitationTables } from './tables/invitations.js';
import type { JoinCodeTables } from './tables/join-codes.js';
import type { MfaTables } from './tables/mfa.js';
import type { OauthTables } from './tables/oauth.js';
import type { OrganizationTables } from './tables/organizations.js';
import type { PasskeyTables } from './tables/passkeys.js';
import type { UserTables } from './tables/users.js';
import type { WorkspaceTables } from './tables/workspaces.js';

/** Every table, for Kysely's types. */
export interface Database
  extends UserTables,
    AuthTables,
    OrganizationTables,
    EmailTables,
    WorkspaceTables,
    InstanceTables,
    MfaTables,
    ApiTokenTables,
    JoinCodeTables,
    InvitationTables,
    PasskeyTables,
    OauthTables,
    ConsoleTables {}

/** A database handle: the pool or an open transaction (both are full query builders). */
export type Db = Kysely<Database> | Transaction<Database>;

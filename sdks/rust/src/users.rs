//! `client.users()`: users, their emails, phones, sessions, passkeys, second factors and
//! memberships.

use crate::client::{paginated, Call, Client, List};
use crate::models::*;
use crate::ops;

/// Users; from [`Client::users`].
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Users<'a> {
    /// All users, newest first; `.search(..)` and `.email(..)` narrow it.
    pub fn list(&self) -> ListUsers {
        ListUsers(List::new(self.client.call(ops::USERS_LIST, &[])))
    }

    /// Create a user (409 `conflict` when any user already has the email).
    pub fn create(&self, request: CreateUserRequest) -> Call<User> {
        self.client.call(ops::USERS_CREATE, &[]).body(&request)
    }

    /// One user (404 `not_found`).
    pub fn get(&self, user_id: &str) -> Call<User> {
        self.client.call(ops::USERS_GET, &[user_id])
    }

    /// Update a user.
    pub fn update(&self, user_id: &str, request: UpdateUserRequest) -> Call<User> {
        self.client.call(ops::USERS_UPDATE, &[user_id]).body(&request)
    }

    /// Delete a user, ending their sessions and memberships (409 `last_owner` when they are
    /// the last owner of an organization).
    pub fn delete(&self, user_id: &str) -> Call<Deleted> {
        self.client.call(ops::USERS_DELETE, &[user_id])
    }

    /// A user's email addresses.
    pub fn emails(&self) -> UserEmails<'a> {
        UserEmails { client: self.client }
    }

    /// A user's phone numbers.
    pub fn phones(&self) -> UserPhones<'a> {
        UserPhones { client: self.client }
    }

    /// A user's sign-ins.
    pub fn sessions(&self) -> UserSessions<'a> {
        UserSessions { client: self.client }
    }

    /// A user's passkeys.
    pub fn passkeys(&self) -> UserPasskeys<'a> {
        UserPasskeys { client: self.client }
    }

    /// A user's social connections (provider accounts that sign them in).
    pub fn social_connections(&self) -> UserSocialConnections<'a> {
        UserSocialConnections { client: self.client }
    }

    /// A user's authenticator and backup codes.
    pub fn mfa(&self) -> UserMfa<'a> {
        UserMfa { client: self.client }
    }

    /// A user's organization and workspace memberships.
    pub fn memberships(&self) -> UserMemberships<'a> {
        UserMemberships { client: self.client }
    }
}

/// The builder of [`Users::list`].
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until `.send().await` or `.stream()`"]
pub struct ListUsers(List<User>);
paginated!(ListUsers, User);

impl ListUsers {
    /// Keep users whose email, name or username contains this (not empty).
    pub fn search(mut self, term: impl Into<String>) -> Self {
        self.0 = self.0.param("search", term.into());
        self
    }

    /// Keep the user with exactly this email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.0 = self.0.param("email", email.into());
        self
    }
}

/// Email addresses; from [`Users::emails`].
#[derive(Debug, Clone, Copy)]
pub struct UserEmails<'a> {
    client: &'a Client,
}

impl UserEmails<'_> {
    /// All of a user's email addresses, in one page.
    pub fn list(&self, user_id: &str) -> Call<Page<UserEmail>> {
        self.client.call(ops::USER_EMAILS_LIST, &[user_id])
    }

    /// Add an email address.
    pub fn create(&self, user_id: &str, request: CreateEmailRequest) -> Call<UserEmail> {
        self.client.call(ops::USER_EMAILS_CREATE, &[user_id]).body(&request)
    }

    /// Mark an address verified or unverified.
    pub fn update(&self, user_id: &str, email_id: &str, request: UpdateVerificationRequest) -> Call<UserEmail> {
        self.client.call(ops::USER_EMAILS_UPDATE, &[user_id, email_id]).body(&request)
    }

    /// Remove an address; not the primary one (409 `conflict`).
    pub fn delete(&self, user_id: &str, email_id: &str) -> Call<Deleted> {
        self.client.call(ops::USER_EMAILS_DELETE, &[user_id, email_id])
    }

    /// Make a verified address the primary one (409 `conflict` when unverified).
    pub fn make_primary(&self, user_id: &str, email_id: &str) -> Call<UserEmail> {
        self.client.call(ops::USER_EMAILS_MAKE_PRIMARY, &[user_id, email_id])
    }
}

/// Phone numbers; from [`Users::phones`].
#[derive(Debug, Clone, Copy)]
pub struct UserPhones<'a> {
    client: &'a Client,
}

impl UserPhones<'_> {
    /// All of a user's phone numbers, in one page.
    pub fn list(&self, user_id: &str) -> Call<Page<UserPhone>> {
        self.client.call(ops::USER_PHONES_LIST, &[user_id])
    }

    /// Add a phone number; a user's first one becomes primary.
    pub fn create(&self, user_id: &str, request: CreatePhoneRequest) -> Call<UserPhone> {
        self.client.call(ops::USER_PHONES_CREATE, &[user_id]).body(&request)
    }

    /// Mark a number verified or unverified.
    pub fn update(&self, user_id: &str, phone_id: &str, request: UpdateVerificationRequest) -> Call<UserPhone> {
        self.client.call(ops::USER_PHONES_UPDATE, &[user_id, phone_id]).body(&request)
    }

    /// Remove a number; the primary one only when it is the last (409 `conflict`).
    pub fn delete(&self, user_id: &str, phone_id: &str) -> Call<Deleted> {
        self.client.call(ops::USER_PHONES_DELETE, &[user_id, phone_id])
    }

    /// Make a number the primary one.
    pub fn make_primary(&self, user_id: &str, phone_id: &str) -> Call<UserPhone> {
        self.client.call(ops::USER_PHONES_MAKE_PRIMARY, &[user_id, phone_id])
    }
}

/// Sessions; from [`Users::sessions`].
#[derive(Debug, Clone, Copy)]
pub struct UserSessions<'a> {
    client: &'a Client,
}

impl UserSessions<'_> {
    /// Active sessions, newest activity first; `.include_expired(true)` adds expired ones.
    /// Revoked sessions are never listed.
    pub fn list(&self, user_id: &str) -> ListSessions {
        ListSessions(List::new(self.client.call(ops::USER_SESSIONS_LIST, &[user_id])))
    }

    /// End one session at once. Idempotent; 404 only for an id that is not this user's.
    pub fn revoke(&self, user_id: &str, session_id: &str) -> Call<Session> {
        self.client.call(ops::USER_SESSIONS_REVOKE, &[user_id, session_id])
    }

    /// End every session; `revoked` counts those that were still active.
    pub fn revoke_all(&self, user_id: &str) -> Call<RevokedCount> {
        self.client.call(ops::USER_SESSIONS_REVOKE_ALL, &[user_id])
    }
}

/// The builder of [`UserSessions::list`].
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until `.send().await` or `.stream()`"]
pub struct ListSessions(List<Session>);
paginated!(ListSessions, Session);

impl ListSessions {
    /// Also list expired sessions.
    pub fn include_expired(mut self, include: bool) -> Self {
        self.0 = self.0.param("includeExpired", include);
        self
    }
}

/// Passkeys; from [`Users::passkeys`].
#[derive(Debug, Clone, Copy)]
pub struct UserPasskeys<'a> {
    client: &'a Client,
}

impl UserPasskeys<'_> {
    /// All of a user's passkeys, newest first, in one page (metadata only).
    pub fn list(&self, user_id: &str) -> Call<Page<Passkey>> {
        self.client.call(ops::USER_PASSKEYS_LIST, &[user_id])
    }

    /// Rename a passkey (1–64 characters, trimmed).
    pub fn rename(&self, user_id: &str, passkey_id: &str, name: impl Into<String>) -> Call<Passkey> {
        let body = serde_json::json!({ "name": name.into() });
        self.client.call(ops::USER_PASSKEYS_RENAME, &[user_id, passkey_id]).body(&body)
    }

    /// Delete a passkey: it signs in no more.
    pub fn delete(&self, user_id: &str, passkey_id: &str) -> Call<Deleted> {
        self.client.call(ops::USER_PASSKEYS_DELETE, &[user_id, passkey_id])
    }
}

/// Social connections; from [`Users::social_connections`].
#[derive(Debug, Clone, Copy)]
pub struct UserSocialConnections<'a> {
    client: &'a Client,
}

impl UserSocialConnections<'_> {
    /// All of a user's social connections, newest first, in one page (never the provider's tokens).
    pub fn list(&self, user_id: &str) -> Call<Page<SocialConnection>> {
        self.client.call(ops::USER_SOCIAL_CONNECTIONS_LIST, &[user_id])
    }

    /// Unlink a connection: that provider account signs this user in no more (also the last way in).
    pub fn delete(&self, user_id: &str, connection_id: &str) -> Call<Deleted> {
        self.client.call(ops::USER_SOCIAL_CONNECTIONS_DELETE, &[user_id, connection_id])
    }
}

/// Second factors; from [`Users::mfa`].
#[derive(Debug, Clone, Copy)]
pub struct UserMfa<'a> {
    client: &'a Client,
}

impl UserMfa<'_> {
    /// Give the user a TOTP authenticator with a secret you choose, active at once. 409
    /// `authenticator_exists` when they have one: delete it first to re-enrol.
    pub fn create_authenticator(&self, user_id: &str, request: CreateAuthenticatorRequest) -> Call<AuthenticatorSetup> {
        self.client.call(ops::USER_MFA_CREATE_AUTHENTICATOR, &[user_id]).body(&request)
    }

    /// Remove the user's authenticator; `deleted` is false when there was none. Backup codes stay.
    pub fn delete_authenticator(&self, user_id: &str) -> Call<AuthenticatorDeleted> {
        self.client.call(ops::USER_MFA_DELETE_AUTHENTICATOR, &[user_id])
    }

    /// Ten new backup codes, shown this once; every earlier code stops working.
    pub fn regenerate_backup_codes(&self, user_id: &str) -> Call<BackupCodes> {
        self.client.call(ops::USER_MFA_REGENERATE_BACKUP_CODES, &[user_id])
    }
}

/// Memberships; from [`Users::memberships`].
#[derive(Debug, Clone, Copy)]
pub struct UserMemberships<'a> {
    client: &'a Client,
}

impl UserMemberships<'_> {
    /// The user's organization memberships, each with its organization and role resolved.
    pub fn list_organizations(&self, user_id: &str) -> List<UserOrganizationMembership> {
        List::new(self.client.call(ops::USER_ORGANIZATION_MEMBERSHIPS_LIST, &[user_id]))
    }

    /// The user's workspace memberships, each with its workspace, organization and role resolved.
    pub fn list_workspaces(&self, user_id: &str) -> List<UserWorkspaceMembership> {
        List::new(self.client.call(ops::USER_WORKSPACE_MEMBERSHIPS_LIST, &[user_id]))
    }
}

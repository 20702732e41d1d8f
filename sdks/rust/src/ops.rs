//! Every backend operation the crate calls, in one table: id (the OpenAPI `operationId`),
//! method, path and response type. Methods of the resource groups only ever call these, and the
//! contract test walks the same table against the server's `/openapi.json`, so a path, a field
//! or a nullability that drifts from the server fails `cargo test`.

use std::marker::PhantomData;

use reqwest::Method;

use crate::contract::{Described, OperationInfo};
use crate::models::*;

/// One operation whose answer decodes into `T`.
pub(crate) struct Op<T> {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    _response: PhantomData<fn() -> T>,
}

impl<T> Op<T> {
    /// The path with its `{placeholders}` replaced, in order, by `params`, each percent-encoded
    /// so an id can never step into another path segment.
    pub(crate) fn fill(&self, params: &[&str]) -> String {
        let mut out = String::with_capacity(self.path.len() + 32);
        let mut params = params.iter();
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("placeholders are closed");
            let value = params.next().expect("one value per placeholder");
            encode_segment(value, &mut out);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        debug_assert!(params.next().is_none(), "more values than placeholders in {}", self.path);
        out
    }
}

fn encode_segment(value: &str, out: &mut String) {
    // `.` and `..` would be resolved as dot segments (encoded too, per the URL standard): send
    // `...`, which names nothing and answers 404 like any unknown id.
    if value == "." || value == ".." {
        out.push_str("...");
        return;
    }
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
}

macro_rules! operations {
    ($($name:ident = $method:ident $path:literal $id:literal -> $response:ty;)*) => {
        $(
            pub(crate) const $name: Op<$response> =
                Op { method: Method::$method, path: $path, _response: PhantomData };
        )*

        /// The table, for the contract test.
        pub(crate) fn all() -> Vec<OperationInfo> {
            vec![$(OperationInfo {
                id: $id,
                method: stringify!($method),
                path: $path,
                response: <$response as Described>::shape(),
                decode: |value| serde_json::from_value::<$response>(value).map(drop).map_err(|e| e.to_string()),
            }),*]
        }
    };
}

operations! {
    // Organizations
    ORGANIZATIONS_LIST = GET "/organizations" "organizations.list" -> Page<Organization>;
    ORGANIZATIONS_CREATE = POST "/organizations" "organizations.create" -> Organization;
    ORGANIZATIONS_GET = GET "/organizations/{orgId}" "organizations.get" -> Organization;
    ORGANIZATIONS_UPDATE = PATCH "/organizations/{orgId}" "organizations.update" -> Organization;
    ORGANIZATIONS_DELETE = DELETE "/organizations/{orgId}" "organizations.delete" -> Deleted;
    ORGANIZATION_MEMBERS_LIST = GET "/organizations/{orgId}/members" "organizations.members.list" -> Page<Membership>;
    ORGANIZATION_MEMBERS_ADD = POST "/organizations/{orgId}/members" "organizations.members.add" -> Membership;
    ORGANIZATION_MEMBERS_UPDATE = PATCH "/organizations/{orgId}/members/{membershipId}" "organizations.members.update" -> Membership;
    ORGANIZATION_MEMBERS_REMOVE = DELETE "/organizations/{orgId}/members/{membershipId}" "organizations.members.remove" -> Deleted;
    ORGANIZATION_ROLES_LIST = GET "/organizations/{orgId}/roles" "organizations.roles.list" -> Page<Role>;
    ORGANIZATION_ROLES_CREATE = POST "/organizations/{orgId}/roles" "organizations.roles.create" -> Role;
    ORGANIZATION_ROLES_UPDATE = PATCH "/organizations/{orgId}/roles/{roleId}" "organizations.roles.update" -> Role;
    ORGANIZATION_ROLES_DELETE = DELETE "/organizations/{orgId}/roles/{roleId}" "organizations.roles.delete" -> Deleted;
    ORGANIZATION_INVITATIONS_LIST = GET "/organizations/{orgId}/invitations" "organizations.invitations.list" -> Page<Invitation>;
    ORGANIZATION_INVITATIONS_CREATE = POST "/organizations/{orgId}/invitations" "organizations.invitations.create" -> InvitationWithToken;
    ORGANIZATION_INVITATIONS_DISCARD = POST "/organizations/{orgId}/invitations/{invitationId}/discard" "organizations.invitations.discard" -> Invitation;
    ORGANIZATION_INVITATIONS_RESEND = POST "/organizations/{orgId}/invitations/{invitationId}/resend" "organizations.invitations.resend" -> InvitationWithToken;
    ORGANIZATION_WORKSPACES_CREATE = POST "/organizations/{orgId}/workspaces" "organizations.workspaces.create" -> Workspace;
    ORGANIZATION_AUDIT_LOG_LIST = GET "/organizations/{orgId}/audit-log" "organizations.auditLog.list" -> Page<AuditEvent>;

    // Workspaces
    WORKSPACES_LIST = GET "/workspaces" "workspaces.list" -> Page<Workspace>;
    WORKSPACES_GET = GET "/workspaces/{workspaceId}" "workspaces.get" -> Workspace;
    WORKSPACES_UPDATE = PATCH "/workspaces/{workspaceId}" "workspaces.update" -> Workspace;
    WORKSPACES_DELETE = DELETE "/workspaces/{workspaceId}" "workspaces.delete" -> Deleted;
    WORKSPACE_MEMBERS_LIST = GET "/workspaces/{workspaceId}/members" "workspaces.members.list" -> Page<WorkspaceMembership>;
    WORKSPACE_MEMBERS_ADD = POST "/workspaces/{workspaceId}/members" "workspaces.members.add" -> WorkspaceMembership;
    WORKSPACE_MEMBERS_UPDATE = PATCH "/workspaces/{workspaceId}/members/{membershipId}" "workspaces.members.update" -> WorkspaceMembership;
    WORKSPACE_MEMBERS_REMOVE = DELETE "/workspaces/{workspaceId}/members/{membershipId}" "workspaces.members.remove" -> Deleted;
    WORKSPACE_ROLES_LIST = GET "/workspaces/{workspaceId}/roles" "workspaces.roles.list" -> Listing<WorkspaceRole>;
    WORKSPACE_ROLES_CREATE = POST "/workspaces/{workspaceId}/roles" "workspaces.roles.create" -> WorkspaceRole;
    WORKSPACE_ROLES_UPDATE = PATCH "/workspaces/{workspaceId}/roles/{roleId}" "workspaces.roles.update" -> WorkspaceRole;
    WORKSPACE_ROLES_DELETE = DELETE "/workspaces/{workspaceId}/roles/{roleId}" "workspaces.roles.delete" -> Deleted;

    // Users
    USERS_LIST = GET "/users" "users.list" -> Page<User>;
    USERS_CREATE = POST "/users" "users.create" -> User;
    USERS_GET = GET "/users/{userId}" "users.get" -> User;
    USERS_UPDATE = PATCH "/users/{userId}" "users.update" -> User;
    USERS_DELETE = DELETE "/users/{userId}" "users.delete" -> Deleted;
    USER_EMAILS_LIST = GET "/users/{userId}/emails" "users.emails.list" -> Page<UserEmail>;
    USER_EMAILS_CREATE = POST "/users/{userId}/emails" "users.emails.create" -> UserEmail;
    USER_EMAILS_UPDATE = PATCH "/users/{userId}/emails/{emailId}" "users.emails.update" -> UserEmail;
    USER_EMAILS_DELETE = DELETE "/users/{userId}/emails/{emailId}" "users.emails.delete" -> Deleted;
    USER_EMAILS_MAKE_PRIMARY = POST "/users/{userId}/emails/{emailId}/make-primary" "users.emails.makePrimary" -> UserEmail;
    USER_PHONES_LIST = GET "/users/{userId}/phones" "users.phones.list" -> Page<UserPhone>;
    USER_PHONES_CREATE = POST "/users/{userId}/phones" "users.phones.create" -> UserPhone;
    USER_PHONES_UPDATE = PATCH "/users/{userId}/phones/{phoneId}" "users.phones.update" -> UserPhone;
    USER_PHONES_DELETE = DELETE "/users/{userId}/phones/{phoneId}" "users.phones.delete" -> Deleted;
    USER_PHONES_MAKE_PRIMARY = POST "/users/{userId}/phones/{phoneId}/make-primary" "users.phones.makePrimary" -> UserPhone;
    USER_SESSIONS_LIST = GET "/users/{userId}/sessions" "users.sessions.list" -> Page<Session>;
    USER_SESSIONS_REVOKE = POST "/users/{userId}/sessions/{sessionId}/revoke" "users.sessions.revoke" -> Session;
    USER_SESSIONS_REVOKE_ALL = POST "/users/{userId}/sessions/revoke-all" "users.sessions.revokeAll" -> RevokedCount;
    USER_PASSKEYS_LIST = GET "/users/{userId}/passkeys" "users.passkeys.list" -> Page<Passkey>;
    USER_PASSKEYS_RENAME = PATCH "/users/{userId}/passkeys/{passkeyId}" "users.passkeys.rename" -> Passkey;
    USER_PASSKEYS_DELETE = DELETE "/users/{userId}/passkeys/{passkeyId}" "users.passkeys.delete" -> Deleted;
    USER_SOCIAL_CONNECTIONS_LIST = GET "/users/{userId}/social-connections" "users.socialConnections.list" -> Page<SocialConnection>;
    USER_SOCIAL_CONNECTIONS_DELETE = DELETE "/users/{userId}/social-connections/{connectionId}" "users.socialConnections.delete" -> Deleted;
    USER_MFA_CREATE_AUTHENTICATOR = POST "/users/{userId}/authenticators" "users.mfa.createAuthenticator" -> AuthenticatorSetup;
    USER_MFA_DELETE_AUTHENTICATOR = DELETE "/users/{userId}/authenticators" "users.mfa.deleteAuthenticator" -> AuthenticatorDeleted;
    USER_MFA_REGENERATE_BACKUP_CODES = POST "/users/{userId}/backup-codes/regenerate" "users.mfa.regenerateBackupCodes" -> BackupCodes;
    USER_ORGANIZATION_MEMBERSHIPS_LIST = GET "/users/{userId}/organization-memberships" "users.organizationMemberships.list" -> Page<UserOrganizationMembership>;
    USER_WORKSPACE_MEMBERSHIPS_LIST = GET "/users/{userId}/workspace-memberships" "users.workspaceMemberships.list" -> Page<UserWorkspaceMembership>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_encodes_path_parameters() {
        assert_eq!(USER_SESSIONS_REVOKE.fill(&["usr_1", "ses_2"]), "/users/usr_1/sessions/ses_2/revoke");
        assert_eq!(USERS_GET.fill(&["../keys"]), "/users/..%2Fkeys");
        assert_eq!(USERS_GET.fill(&["a b?c"]), "/users/a%20b%3Fc");
        assert_eq!(USERS_GET.fill(&[".."]), "/users/...");
    }
}

//! Request and response types of the backend API. Fields are snake_case here and camelCase on
//! the wire; timestamps are ISO 8601 UTC strings as the server sends them; metadata is a JSON
//! object. Optional request fields left `None` are not sent, so the server's default applies.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::contract::{Described, Shape};

/// A free-form JSON object (public or private metadata).
pub type Metadata = Map<String, Value>;

// ---------------------------------------------------------------------------------------------
// Envelopes

/// One page of a list: `data`, and `next_cursor` to pass as `.cursor(..)` while `has_more`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub data: Vec<T>,
    pub has_more: bool,
    pub next_cursor: Option<String>,
}

/// A whole list in one answer (`{ data }`), for lists that are never paged.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Listing<T> {
    pub data: Vec<T>,
}

/// What a delete answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Deleted {
    pub id: String,
    pub deleted: bool,
}

impl<T: Described> Described for Page<T> {
    fn shape() -> Shape {
        Shape::Page(Box::new(T::shape()))
    }
}

impl<T: Described> Described for Listing<T> {
    fn shape() -> Shape {
        Shape::Listing(Box::new(T::shape()))
    }
}

// ---------------------------------------------------------------------------------------------
// Users

/// A user, as the backend API shows it (with private metadata).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    /// The primary email address.
    pub email: Option<String>,
    pub emails: Vec<UserEmail>,
    pub phones: Vec<UserPhone>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub image_url: Option<String>,
    pub has_password: bool,
    pub totp_enabled: bool,
    pub backup_codes_remaining: i64,
    pub public_metadata: Metadata,
    pub private_metadata: Metadata,
    pub created_at: String,
    pub updated_at: String,
}

/// One of a user's email addresses.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UserEmail {
    pub id: String,
    pub email: String,
    pub verified: bool,
    pub primary: bool,
}

/// One of a user's phone numbers (E.164).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UserPhone {
    pub id: String,
    pub phone: String,
    pub verified: bool,
    pub primary: bool,
}

/// The short user embedded in memberships.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub image_url: Option<String>,
}

/// Body of `users().create(..)`. The email becomes the primary address, verified unless
/// `email_verified: Some(false)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserRequest {
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_metadata: Option<Metadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_metadata: Option<Metadata>,
}

/// Body of `users().update(..)`: `None` leaves a field alone, `Some(None)` clears it. Metadata
/// objects are replaced whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_metadata: Option<Metadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_metadata: Option<Metadata>,
}

/// Body of `users().emails().create(..)`: verified unless `verified: Some(false)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CreateEmailRequest {
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
}

/// Body of `users().phones().create(..)`: an E.164 number, verified unless `verified: Some(false)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CreatePhoneRequest {
    pub phone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
}

/// Body of `users().emails().update(..)` and `users().phones().update(..)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UpdateVerificationRequest {
    pub verified: bool,
}

/// A sign-in of a user on one device.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id: String,
    pub user_id: String,
    pub status: SessionStatus,
    pub created_at: String,
    pub last_active_at: String,
    pub expires_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Always false on the backend API.
    pub current: bool,
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    Active,
    Expired,
    Revoked,
}

/// What `revoke_all` answers: how many sessions were still active and are now ended.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RevokedCount {
    pub revoked: u64,
}

/// A passkey's metadata; never the credential id or key material.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Passkey {
    pub id: String,
    pub name: String,
    /// `internal`, `hybrid`, `usb`, `nfc`, `ble`.
    pub transports: Vec<String>,
    /// `singleDevice` or `multiDevice` (may be synced).
    pub device_type: String,
    pub backed_up: bool,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// A user's link to a provider account (social sign-in); never the provider's tokens.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialConnection {
    pub id: String,
    pub provider_id: String,
    /// `google`, `github`, `microsoft` or `oidc`.
    pub provider_type: String,
    pub provider_name: String,
    /// The email the provider gave, as it gave it last.
    pub email: Option<String>,
    /// Whether the provider said that email is verified.
    pub email_verified: bool,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// Body of `users().mfa().create_authenticator(..)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthenticatorRequest {
    /// Base32 (RFC 4648), at least 80 bits; spaces and dashes ignored.
    pub secret: String,
    /// The label in the authenticator app; default the user's email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
}

/// What `create_authenticator` answers: `otp_url` is the `otpauth://` URL for a QR code.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorSetup {
    pub id: String,
    pub otp_url: String,
}

/// What `delete_authenticator` answers: `deleted` is false when there was none.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AuthenticatorDeleted {
    pub deleted: bool,
}

/// Ten new single-use backup codes, shown this once; every earlier code stops working.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupCodes {
    pub backup_codes: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Organizations

/// An organization, as the backend API shows it (with private metadata).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub image_url: Option<String>,
    pub members_count: i64,
    pub public_metadata: Metadata,
    pub private_metadata: Metadata,
    pub created_at: String,
    pub updated_at: String,
}

/// An organization role: a system role (`organization_id` `None`) or a custom one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: String,
    pub key: String,
    pub name: String,
    /// Expanded against the current permission catalog.
    pub permissions: Vec<String>,
    pub is_system_role: bool,
    pub organization_id: Option<String>,
}

/// A user's membership in an organization; `role` is the role's key.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub id: String,
    pub organization_id: String,
    pub user_id: String,
    pub role: String,
    pub role_id: String,
    pub permissions: Vec<String>,
    pub user: UserSummary,
    pub created_at: String,
}

/// A user's organization membership with the organization and role resolved.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserOrganizationMembership {
    pub id: String,
    pub organization_id: String,
    pub user_id: String,
    pub role: String,
    pub role_id: String,
    pub permissions: Vec<String>,
    pub user: UserSummary,
    pub created_at: String,
    pub organization: Organization,
    pub role_details: Role,
}

/// An audit log event; events outlive their organization.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub id: String,
    pub organization_id: Option<String>,
    /// E.g. `member.removed`.
    pub action: String,
    pub actor: AuditActor,
    pub target: AuditTarget,
    pub ip: Option<String>,
    pub created_at: String,
    pub data: Metadata,
}

/// Who did it: `type` is `user`, `admin` (the secret key) or `token`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AuditActor {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// What it was done to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AuditTarget {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// Body of `organizations().create(..)`. With `created_by` that user becomes the first owner.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrganizationRequest {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_metadata: Option<Metadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_metadata: Option<Metadata>,
}

/// Body of `organizations().update(..)`; `image_url: Some(None)` clears the image.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOrganizationRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_metadata: Option<Metadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_metadata: Option<Metadata>,
}

/// Body of `organizations().members().add(..)`: the role by key or by id (at most one);
/// neither gives `member`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddMemberRequest {
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
}

/// Body of a member role change (organization or workspace): exactly one of `role`, `role_id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateMemberRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
}

/// Body of a custom role (organization or workspace): the key is made from the name when `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CreateRoleRequest {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub permissions: Vec<String>,
}

/// Rename a custom role or replace its permissions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UpdateRoleRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
}

// ---------------------------------------------------------------------------------------------
// Invitations

/// Body of `organizations().invitations().create(..)`. The organization role defaults to
/// `member`; with `workspace_id`, so does the workspace role. `expiry_days` is 1–30, default 10.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrganizationInvitationRequest {
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_role_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry_days: Option<u32>,
}

/// Where an invitation stands. Accepted and revoked ones are listed only with
/// `.include_deleted(true)`, and told apart here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationStatus {
    /// The value the API uses (`pending`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Revoked => "revoked",
            InvitationStatus::Expired => "expired",
        }
    }
}

/// An invitation into an organization, optionally into one of its workspaces. Never its token.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub id: String,
    pub organization_id: String,
    pub email: String,
    pub status: InvitationStatus,
    /// Key of the organization role the invitee gets.
    pub role: String,
    pub role_id: String,
    pub workspace_id: Option<String>,
    pub workspace_role: Option<String>,
    pub workspace_role_id: Option<String>,
    pub expires_at: String,
    pub created_at: String,
    pub updated_at: String,
    pub accepted_at: Option<String>,
    /// The user who accepted it.
    pub accepted_by: Option<String>,
    pub revoked_at: Option<String>,
    pub initial_organization_role: Role,
    pub initial_workspace_role: Option<WorkspaceRoleDetails>,
    pub workspace: Option<InvitationWorkspace>,
    pub inviter: Option<Inviter>,
    /// The inviter's current roles in the organization (empty when not a member).
    pub inviter_roles: Vec<Role>,
}

/// The workspace an invitation is into.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct InvitationWorkspace {
    pub id: String,
    pub name: String,
}

/// Who sent an invitation, when a user did.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inviter {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

/// What creating (or resending) an invitation answers. `token` is shown this once (only its
/// hash is stored); `accept_url` is the configured invitation URL with the token in its fragment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationWithToken {
    pub invitation: Invitation,
    pub token: String,
    pub accept_url: String,
}

// ---------------------------------------------------------------------------------------------
// Workspaces

/// A workspace inside an organization.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub members_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A user's membership in a workspace; `role` is the workspace role's key.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceMembership {
    pub id: String,
    pub workspace_id: String,
    pub organization_id: String,
    pub user_id: String,
    pub role: String,
    pub role_id: String,
    pub permissions: Vec<String>,
    pub user: UserSummary,
    pub created_at: String,
}

/// A workspace role: a system one (`workspace_id` `None`) or a custom role of one workspace.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceRole {
    pub id: String,
    pub key: String,
    pub name: String,
    pub permissions: Vec<String>,
    pub is_system_role: bool,
    pub workspace_id: Option<String>,
}

/// A workspace role as memberships and invitations resolve it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceRoleDetails {
    pub id: String,
    pub key: String,
    pub name: String,
    pub permissions: Vec<String>,
    pub is_system_role: bool,
}

/// A user's workspace membership with the workspace, organization and role resolved.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserWorkspaceMembership {
    pub id: String,
    pub workspace_id: String,
    pub organization_id: String,
    pub user_id: String,
    pub role: String,
    pub role_id: String,
    pub permissions: Vec<String>,
    pub user: UserSummary,
    pub created_at: String,
    pub workspace: Workspace,
    pub organization: Organization,
    pub role_details: WorkspaceRoleDetails,
}

/// Body of `organizations().workspaces().create(..)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CreateWorkspaceRequest {
    pub name: String,
}

/// Body of `workspaces().update(..)`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UpdateWorkspaceRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Body of `workspaces().members().add(..)`: an organization member; the role by key or id,
/// neither gives the workspace `member` role.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddWorkspaceMemberRequest {
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
}

// ---------------------------------------------------------------------------------------------

/// Every response model and where the OpenAPI document describes it.
macro_rules! checked {
    ($($model:ident => $pointer:literal,)*) => {
        $(impl Described for $model {
            fn shape() -> Shape {
                Shape::of::<$model>()
            }
        })*

        pub(crate) fn checked() -> Vec<(&'static str, Shape, fn(Value) -> Result<(), String>)> {
            vec![$((
                $pointer,
                Shape::of::<$model>(),
                (|value| serde_json::from_value::<$model>(value).map(drop).map_err(|e| e.to_string())) as fn(Value) -> Result<(), String>,
            )),*]
        }
    };
}

checked! {
    Deleted => "op:workspaces.delete",
    User => "BackendUser",
    UserEmail => "UserEmail",
    UserPhone => "UserPhone",
    UserSummary => "UserSummary",
    Session => "Session",
    SessionStatus => "Session/status",
    RevokedCount => "RevokedCount",
    Passkey => "Passkey",
    SocialConnection => "SocialConnection",
    AuthenticatorSetup => "op:users.mfa.createAuthenticator",
    AuthenticatorDeleted => "op:users.mfa.deleteAuthenticator",
    BackupCodes => "BackupCodes",
    Organization => "BackendOrganization",
    Role => "Role",
    Membership => "Membership",
    UserOrganizationMembership => "UserOrganizationMembership",
    AuditEvent => "AuditEvent",
    AuditActor => "AuditEvent/actor",
    AuditTarget => "AuditEvent/target",
    InvitationStatus => "InvitationStatus",
    Invitation => "Invitation",
    InvitationWorkspace => "Invitation/workspace",
    Inviter => "Inviter",
    InvitationWithToken => "InvitationWithToken",
    Workspace => "Workspace",
    WorkspaceMembership => "WorkspaceMembership",
    WorkspaceRole => "WorkspaceRole",
    WorkspaceRoleDetails => "WorkspaceRoleDetails",
    UserWorkspaceMembership => "UserWorkspaceMembership",
}

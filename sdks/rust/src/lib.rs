//! Rust client of the Gatehouse backend API (`/backend/v1`, authenticated with a secret key).
//!
//! ```no_run
//! # async fn run() -> gatehouse::Result<()> {
//! let client = gatehouse::Client::new("https://auth.example.com", "sk_live_…");
//! let user = client.users().get("usr_01jd5x3k8m2q4r6t8v0w2y4a6c").send().await?;
//! # Ok(()) }
//! ```
//!
//! Resource groups hang off the client ([`Client::organizations`], [`Client::workspaces`],
//! [`Client::users`]); each method returns a builder that takes optional parameters as methods
//! and runs with `.send().await?`. List builders also have `.stream()`, every item of every page.
//! Every failure is an [`Error`] with the API's `code`, `status`, `message`, `details` and
//! `request_id`.
//!
//! # Organizations and workspaces
//!
//! ```no_run
//! # async fn run(client: gatehouse::Client) -> gatehouse::Result<()> {
//! let org_roles = client
//!     .organizations()
//!     .roles()
//!     .fetch_roles("organization_id")
//!     .send()
//!     .await?;
//!
//! let workspace_roles = client
//!     .workspaces()
//!     .roles()
//!     .fetch_roles("workspace_id")
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # Organization invitations
//!
//! ```no_run
//! # async fn run(client: gatehouse::Client) -> gatehouse::Result<()> {
//! use gatehouse::models::CreateOrganizationInvitationRequest;
//!
//! // Invite someone into the org and one of its workspaces.
//! let summary = client
//!     .organizations()
//!     .invitations()
//!     .create(
//!         "organization_id",
//!         CreateOrganizationInvitationRequest {
//!             email: "newhire@example.com".into(),
//!             role_id: Some("organization_role_id".into()),
//!             workspace_id: Some("workspace_id".into()),
//!             workspace_role_id: Some("workspace_role_id".into()),
//!             expiry_days: Some(7),
//!         },
//!     )
//!     .send()
//!     .await?;
//! // summary.token builds the accept URL (summary.accept_url is that URL).
//!
//! // Pending invitations, optionally into one workspace.
//! let invitations = client
//!     .organizations()
//!     .invitations()
//!     .list("organization_id")
//!     .workspace_id("workspace_id")
//!     .send()
//!     .await?;
//!
//! // Revoke one before it is accepted (idempotent).
//! client
//!     .organizations()
//!     .invitations()
//!     .discard("organization_id", "invitation_id")
//!     .send()
//!     .await?;
//!
//! // Accepted and revoked ones too.
//! let all = client
//!     .organizations()
//!     .invitations()
//!     .list("organization_id")
//!     .include_deleted(true)
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # User management
//!
//! ```no_run
//! # async fn run(client: gatehouse::Client) -> gatehouse::Result<()> {
//! // Active sign-ins; .include_expired(true) adds expired ones.
//! let signins = client
//!     .users()
//!     .sessions()
//!     .list("user_id")
//!     .send()
//!     .await?;
//!
//! client
//!     .users()
//!     .sessions()
//!     .revoke("user_id", "signin_id")
//!     .send()
//!     .await?;
//!
//! let summary = client
//!     .users()
//!     .sessions()
//!     .revoke_all("user_id")
//!     .send()
//!     .await?;
//! println!("revoked {} sign-ins", summary.revoked);
//!
//! let passkeys = client.users().passkeys().list("user_id").send().await?;
//!
//! client
//!     .users()
//!     .passkeys()
//!     .rename("user_id", "passkey_id", "Hardware key")
//!     .send()
//!     .await?;
//!
//! client
//!     .users()
//!     .passkeys()
//!     .delete("user_id", "passkey_id")
//!     .send()
//!     .await?;
//!
//! let connections = client.users().social_connections().list("user_id").send().await?;
//! println!("{} social connections", connections.data.len());
//!
//! client
//!     .users()
//!     .social_connections()
//!     .delete("user_id", "connection_id")
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! ```no_run
//! # async fn run(client: gatehouse::Client) -> gatehouse::Result<()> {
//! use gatehouse::models::CreateAuthenticatorRequest;
//!
//! let setup = client
//!     .users()
//!     .mfa()
//!     .create_authenticator(
//!         "user_id",
//!         CreateAuthenticatorRequest {
//!             secret: "JBSWY3DPEHPK3PXP".into(),
//!             account_name: Some("jane@example.com".into()),
//!         },
//!     )
//!     .send()
//!     .await?;
//! println!("otpauth url: {}", setup.otp_url);
//!
//! client
//!     .users()
//!     .mfa()
//!     .delete_authenticator("user_id")
//!     .send()
//!     .await?;
//!
//! let codes = client
//!     .users()
//!     .mfa()
//!     .regenerate_backup_codes("user_id")
//!     .send()
//!     .await?;
//! for code in codes.backup_codes {
//!     println!("{code}");
//! }
//!
//! let orgs = client
//!     .users()
//!     .memberships()
//!     .list_organizations("user_id")
//!     .send()
//!     .await?;
//!
//! let workspaces = client
//!     .users()
//!     .memberships()
//!     .list_workspaces("user_id")
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # Every page
//!
//! ```no_run
//! # async fn run(client: gatehouse::Client) -> gatehouse::Result<()> {
//! use futures::TryStreamExt;
//!
//! let users: Vec<_> = client.users().list().limit(100).stream().try_collect().await?;
//! # Ok(()) }
//! ```
//!
//! # Errors
//!
//! ```no_run
//! # async fn run(client: gatehouse::Client) -> gatehouse::Result<()> {
//! use gatehouse::models::CreateAuthenticatorRequest;
//!
//! let request = CreateAuthenticatorRequest { secret: "JBSWY3DPEHPK3PXP".into(), account_name: None };
//! match client.users().mfa().create_authenticator("user_id", request).send().await {
//!     Ok(setup) => println!("{}", setup.otp_url),
//!     Err(err) if err.is("authenticator_exists") => println!("delete the old one first"),
//!     Err(err) => return Err(err),
//! }
//! # Ok(()) }
//! ```

#![warn(missing_debug_implementations)]

mod client;
#[doc(hidden)]
pub mod contract;
mod error;
pub mod models;
mod ops;
pub mod organizations;
pub mod users;
pub mod workspaces;

pub use client::{Call, Client, ClientBuilder, List};
pub use error::{Error, ErrorEntry, Result};

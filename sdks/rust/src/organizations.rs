//! `client.organizations()`: organizations, their members, roles, invitations, workspaces and
//! audit log.

use crate::client::{paginated, Call, Client, List};
use crate::models::*;
use crate::ops;

/// Organizations; from [`Client::organizations`].
#[derive(Debug, Clone, Copy)]
pub struct Organizations<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Organizations<'a> {
    /// All organizations, newest first; `.search(..)` keeps those whose name or slug contains it.
    pub fn list(&self) -> ListOrganizations {
        ListOrganizations(List::new(self.client.call(ops::ORGANIZATIONS_LIST, &[])))
    }

    /// Create an organization (409 `conflict` when a given slug is taken).
    pub fn create(&self, request: CreateOrganizationRequest) -> Call<Organization> {
        self.client.call(ops::ORGANIZATIONS_CREATE, &[]).body(&request)
    }

    /// One organization (404 `not_found`).
    pub fn get(&self, organization_id: &str) -> Call<Organization> {
        self.client.call(ops::ORGANIZATIONS_GET, &[organization_id])
    }

    /// Update an organization; metadata objects are replaced whole.
    pub fn update(&self, organization_id: &str, request: UpdateOrganizationRequest) -> Call<Organization> {
        self.client.call(ops::ORGANIZATIONS_UPDATE, &[organization_id]).body(&request)
    }

    /// Delete an organization with everything it owns but its audit log.
    pub fn delete(&self, organization_id: &str) -> Call<Deleted> {
        self.client.call(ops::ORGANIZATIONS_DELETE, &[organization_id])
    }

    /// Members of an organization.
    pub fn members(&self) -> OrganizationMembers<'a> {
        OrganizationMembers { client: self.client }
    }

    /// System and custom roles of an organization.
    pub fn roles(&self) -> OrganizationRoles<'a> {
        OrganizationRoles { client: self.client }
    }

    /// Invitations into an organization (and its workspaces).
    pub fn invitations(&self) -> OrganizationInvitations<'a> {
        OrganizationInvitations { client: self.client }
    }

    /// Creating workspaces in an organization; the rest is on [`Client::workspaces`].
    pub fn workspaces(&self) -> OrganizationWorkspaces<'a> {
        OrganizationWorkspaces { client: self.client }
    }

    /// An organization's audit log.
    pub fn audit_log(&self) -> OrganizationAuditLog<'a> {
        OrganizationAuditLog { client: self.client }
    }
}

/// The builder of [`Organizations::list`].
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until `.send().await` or `.stream()`"]
pub struct ListOrganizations(List<Organization>);
paginated!(ListOrganizations, Organization);

impl ListOrganizations {
    /// Keep organizations whose name or slug contains this (not empty).
    pub fn search(mut self, term: impl Into<String>) -> Self {
        self.0 = self.0.param("search", term.into());
        self
    }
}

/// Organization members; from [`Organizations::members`].
#[derive(Debug, Clone, Copy)]
pub struct OrganizationMembers<'a> {
    client: &'a Client,
}

impl OrganizationMembers<'_> {
    /// Members, oldest first.
    pub fn list(&self, organization_id: &str) -> List<Membership> {
        List::new(self.client.call(ops::ORGANIZATION_MEMBERS_LIST, &[organization_id]))
    }

    /// Add a user as a member, bypassing invitations (409 `already_member`).
    pub fn add(&self, organization_id: &str, request: AddMemberRequest) -> Call<Membership> {
        self.client.call(ops::ORGANIZATION_MEMBERS_ADD, &[organization_id]).body(&request)
    }

    /// Change a member's role (409 `last_owner` when no owner would be left).
    pub fn update(&self, organization_id: &str, membership_id: &str, request: UpdateMemberRequest) -> Call<Membership> {
        self.client.call(ops::ORGANIZATION_MEMBERS_UPDATE, &[organization_id, membership_id]).body(&request)
    }

    /// Remove a member (409 `last_owner` when no owner would be left).
    pub fn remove(&self, organization_id: &str, membership_id: &str) -> Call<Deleted> {
        self.client.call(ops::ORGANIZATION_MEMBERS_REMOVE, &[organization_id, membership_id])
    }
}

/// Organization roles; from [`Organizations::roles`].
#[derive(Debug, Clone, Copy)]
pub struct OrganizationRoles<'a> {
    client: &'a Client,
}

impl OrganizationRoles<'_> {
    /// The system roles and the organization's custom roles, in one page.
    pub fn fetch_roles(&self, organization_id: &str) -> Call<Page<Role>> {
        self.client.call(ops::ORGANIZATION_ROLES_LIST, &[organization_id])
    }

    /// Create a custom role (409 `conflict` on a taken key or name; 400 on unknown permissions).
    pub fn create(&self, organization_id: &str, request: CreateRoleRequest) -> Call<Role> {
        self.client.call(ops::ORGANIZATION_ROLES_CREATE, &[organization_id]).body(&request)
    }

    /// Rename a custom role or replace its permissions (409 `conflict` for a system role).
    pub fn update(&self, organization_id: &str, role_id: &str, request: UpdateRoleRequest) -> Call<Role> {
        self.client.call(ops::ORGANIZATION_ROLES_UPDATE, &[organization_id, role_id]).body(&request)
    }

    /// Delete a custom role nobody holds (409 `conflict` otherwise).
    pub fn delete(&self, organization_id: &str, role_id: &str) -> Call<Deleted> {
        self.client.call(ops::ORGANIZATION_ROLES_DELETE, &[organization_id, role_id])
    }
}

/// Organization invitations; from [`Organizations::invitations`].
#[derive(Debug, Clone, Copy)]
pub struct OrganizationInvitations<'a> {
    client: &'a Client,
}

impl OrganizationInvitations<'_> {
    /// Pending and expired invitations, newest first. `.include_deleted(true)` adds accepted
    /// and revoked ones (told apart by `status`); `.workspace_id(..)` keeps those into one workspace.
    pub fn list(&self, organization_id: &str) -> ListInvitations {
        ListInvitations(List::new(self.client.call(ops::ORGANIZATION_INVITATIONS_LIST, &[organization_id])))
    }

    /// Invite an email. The answer's `token` (shown once) builds the accept URL; `accept_url`
    /// is that URL already. Not emailed unless `.send_email(true)`. 409 `invitation_pending`
    /// when a live one exists for this email and scope, 409 `already_member`.
    pub fn create(&self, organization_id: &str, request: CreateOrganizationInvitationRequest) -> CreateInvitation {
        CreateInvitation(self.client.call(ops::ORGANIZATION_INVITATIONS_CREATE, &[organization_id]).body(&request))
    }

    /// Revoke an invitation. Idempotent: answers it, revoked, every time; 409
    /// `invitation_accepted` when it was accepted.
    pub fn discard(&self, organization_id: &str, invitation_id: &str) -> Call<Invitation> {
        self.client.call(ops::ORGANIZATION_INVITATIONS_DISCARD, &[organization_id, invitation_id])
    }

    /// A new token and expiry for a pending or expired invitation; the old token stops working.
    pub fn resend(&self, organization_id: &str, invitation_id: &str) -> ResendInvitation {
        ResendInvitation(self.client.call(ops::ORGANIZATION_INVITATIONS_RESEND, &[organization_id, invitation_id]))
    }
}

/// The builder of [`OrganizationInvitations::list`].
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until `.send().await` or `.stream()`"]
pub struct ListInvitations(List<Invitation>);
paginated!(ListInvitations, Invitation);

impl ListInvitations {
    /// Keep invitations into this workspace.
    pub fn workspace_id(mut self, workspace_id: impl Into<String>) -> Self {
        self.0 = self.0.param("workspaceId", workspace_id.into());
        self
    }

    /// Also list accepted and revoked invitations.
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.0 = self.0.param("includeDeleted", include);
        self
    }

    /// Keep invitations in this state.
    pub fn status(mut self, status: InvitationStatus) -> Self {
        self.0 = self.0.param("status", status.as_str());
        self
    }
}

/// The builder of [`OrganizationInvitations::create`].
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until `.send().await`"]
pub struct CreateInvitation(Call<InvitationWithToken>);

impl CreateInvitation {
    /// Email the invitation to the invitee (default false: you deliver `accept_url` yourself).
    pub fn send_email(mut self, send: bool) -> Self {
        self.0 = self.0.body_field("sendEmail", send);
        self
    }

    /// Send the request.
    pub async fn send(self) -> crate::Result<InvitationWithToken> {
        self.0.send().await
    }
}

/// The builder of [`OrganizationInvitations::resend`].
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until `.send().await`"]
pub struct ResendInvitation(Call<InvitationWithToken>);

impl ResendInvitation {
    /// Email it again (default false).
    pub fn send_email(mut self, send: bool) -> Self {
        self.0 = self.0.body_field("sendEmail", send);
        self
    }

    /// Days until the new expiry, 1–30 (default: the invitation's own).
    pub fn expiry_days(mut self, days: u32) -> Self {
        self.0 = self.0.body_field("expiryDays", days);
        self
    }

    /// Send the request.
    pub async fn send(self) -> crate::Result<InvitationWithToken> {
        self.0.send().await
    }
}

/// Workspaces of an organization; from [`Organizations::workspaces`].
#[derive(Debug, Clone, Copy)]
pub struct OrganizationWorkspaces<'a> {
    client: &'a Client,
}

impl OrganizationWorkspaces<'_> {
    /// Create a workspace in the organization.
    pub fn create(&self, organization_id: &str, request: CreateWorkspaceRequest) -> Call<Workspace> {
        self.client.call(ops::ORGANIZATION_WORKSPACES_CREATE, &[organization_id]).body(&request)
    }
}

/// The audit log; from [`Organizations::audit_log`].
#[derive(Debug, Clone, Copy)]
pub struct OrganizationAuditLog<'a> {
    client: &'a Client,
}

impl OrganizationAuditLog<'_> {
    /// Events, newest first; still answers after the organization is deleted.
    pub fn list(&self, organization_id: &str) -> List<AuditEvent> {
        List::new(self.client.call(ops::ORGANIZATION_AUDIT_LOG_LIST, &[organization_id]))
    }
}

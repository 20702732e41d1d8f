//! `client.workspaces()`: workspaces, their members and roles. Create one with
//! `client.organizations().workspaces().create(..)`.

use crate::client::{Call, Client, List};
use crate::models::*;
use crate::ops;

/// Workspaces; from [`Client::workspaces`].
#[derive(Debug, Clone, Copy)]
pub struct Workspaces<'a> {
    pub(crate) client: &'a Client,
}

impl<'a> Workspaces<'a> {
    /// An organization's workspaces, oldest first.
    pub fn list(&self, organization_id: &str) -> List<Workspace> {
        List::new(self.client.call(ops::WORKSPACES_LIST, &[])).param("organizationId", organization_id)
    }

    /// One workspace (404 `not_found`).
    pub fn get(&self, workspace_id: &str) -> Call<Workspace> {
        self.client.call(ops::WORKSPACES_GET, &[workspace_id])
    }

    /// Rename a workspace.
    pub fn update(&self, workspace_id: &str, request: UpdateWorkspaceRequest) -> Call<Workspace> {
        self.client.call(ops::WORKSPACES_UPDATE, &[workspace_id]).body(&request)
    }

    /// Delete a workspace with its memberships and custom roles.
    pub fn delete(&self, workspace_id: &str) -> Call<Deleted> {
        self.client.call(ops::WORKSPACES_DELETE, &[workspace_id])
    }

    /// Members of a workspace.
    pub fn members(&self) -> WorkspaceMembers<'a> {
        WorkspaceMembers { client: self.client }
    }

    /// System and custom roles of a workspace.
    pub fn roles(&self) -> WorkspaceRoles<'a> {
        WorkspaceRoles { client: self.client }
    }
}

/// Workspace members; from [`Workspaces::members`].
#[derive(Debug, Clone, Copy)]
pub struct WorkspaceMembers<'a> {
    client: &'a Client,
}

impl WorkspaceMembers<'_> {
    /// Members, oldest first.
    pub fn list(&self, workspace_id: &str) -> List<WorkspaceMembership> {
        List::new(self.client.call(ops::WORKSPACE_MEMBERS_LIST, &[workspace_id]))
    }

    /// Add an organization member (409 `conflict` when not one, 409 `already_member`).
    pub fn add(&self, workspace_id: &str, request: AddWorkspaceMemberRequest) -> Call<WorkspaceMembership> {
        self.client.call(ops::WORKSPACE_MEMBERS_ADD, &[workspace_id]).body(&request)
    }

    /// Change a member's workspace role.
    pub fn update(&self, workspace_id: &str, membership_id: &str, request: UpdateMemberRequest) -> Call<WorkspaceMembership> {
        self.client.call(ops::WORKSPACE_MEMBERS_UPDATE, &[workspace_id, membership_id]).body(&request)
    }

    /// Remove a member from the workspace (they stay in the organization).
    pub fn remove(&self, workspace_id: &str, membership_id: &str) -> Call<Deleted> {
        self.client.call(ops::WORKSPACE_MEMBERS_REMOVE, &[workspace_id, membership_id])
    }
}

/// Workspace roles; from [`Workspaces::roles`].
#[derive(Debug, Clone, Copy)]
pub struct WorkspaceRoles<'a> {
    client: &'a Client,
}

impl WorkspaceRoles<'_> {
    /// The system workspace roles and the workspace's custom roles.
    pub fn fetch_roles(&self, workspace_id: &str) -> Call<Listing<WorkspaceRole>> {
        self.client.call(ops::WORKSPACE_ROLES_LIST, &[workspace_id])
    }

    /// Create a custom workspace role; permissions are `workspace:view` and `workspace:manage`.
    pub fn create(&self, workspace_id: &str, request: CreateRoleRequest) -> Call<WorkspaceRole> {
        self.client.call(ops::WORKSPACE_ROLES_CREATE, &[workspace_id]).body(&request)
    }

    /// Rename a custom workspace role or replace its permissions.
    pub fn update(&self, workspace_id: &str, role_id: &str, request: UpdateRoleRequest) -> Call<WorkspaceRole> {
        self.client.call(ops::WORKSPACE_ROLES_UPDATE, &[workspace_id, role_id]).body(&request)
    }

    /// Delete a custom workspace role nobody holds (409 `conflict` otherwise).
    pub fn delete(&self, workspace_id: &str, role_id: &str) -> Call<Deleted> {
        self.client.call(ops::WORKSPACE_ROLES_DELETE, &[workspace_id, role_id])
    }
}

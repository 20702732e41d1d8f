import { type WorkspacePermission, workspacePermissions } from '@gatehouse/contract';
import { Link } from '../router.js';
import {
  Badge,
  ConfirmButton,
  ErrorNote,
  Field,
  FormButton,
  Loading,
  Pager,
  Select,
  Table,
  useApi,
  useLoad,
  usePaged,
  when,
} from '../ui.js';
import { chosenPermissions, PermissionChecklist } from './permissions.js';
import { nameOf, resolveUser } from './users.js';

/** The permissions a workspace role can hold (fixed; not the instance catalog). */
const WORKSPACE_PERMISSIONS = Object.entries(workspacePermissions).map(([key, description]) => ({ key, description }));

/** How many organization members the picker lists; a larger organization is asked for an email or id instead. */
const PICKER_LIMIT = 100;

/**
 * One workspace, opened from the Workspaces tab: its members (add an organization member with a
 * workspace role, change the role, remove) and its roles (the system ones and custom ones).
 */
export function WorkspacePanel({
  orgId,
  workspaceId,
  name,
  onChange,
}: {
  orgId: string;
  workspaceId: string;
  name: string;
  onChange(): void;
}) {
  const api = useApi();
  const roles = useLoad(() => api.workspaces.roles.list(workspaceId), [workspaceId]);
  const candidates = useLoad(() => api.organizations.members.list(orgId, { limit: PICKER_LIMIT }), [orgId]);
  const paged = usePaged((cursor) => api.workspaces.members.list(workspaceId, { limit: 20, ...(cursor ? { cursor } : {}) }), [workspaceId]);
  const changed = () => {
    paged.reload();
    onChange();
  };
  const roleOptions = (roles.data?.data ?? []).map((r) => ({ value: r.key, label: r.name }));
  const roleName = (key: string) => roleOptions.find((r) => r.value === key)?.label ?? key;
  const inWorkspace = new Set((paged.data?.data ?? []).map((m) => m.userId));
  const pickable = (candidates.data?.data ?? []).filter((m) => !inWorkspace.has(m.userId));
  return (
    <section className="cx-subsection" aria-label={`Workspace ${name}`}>
      <div className="cx-section-header">
        <div>
          <h3 className="cx-h3">Members of {name}</h3>
          <p className="cx-description">Only members of the organization can join one of its workspaces.</p>
        </div>
        <div className="cx-actions">
          <FormButton
            label="Add workspace member"
            title={`Add a member to ${name}`}
            description="Pick a member of the organization and their workspace role."
            submitLabel="Add to workspace"
            onSubmit={async (v) => {
              const userId = candidates.data?.hasMore ? await resolveUser(api, v.user ?? '') : (v.user ?? '');
              if (!userId) throw new Error('Pick a member of the organization first.');
              await api.workspaces.members.add(workspaceId, { userId, role: v.role || 'member' });
              changed();
            }}
          >
            {candidates.data?.hasMore ? (
              <Field label="Organization member" name="user" required autoComplete="off" hint="Their email address or user id." />
            ) : (
              <Select
                label="Organization member"
                name="user"
                options={
                  pickable.length
                    ? pickable.map((m) => ({ value: m.userId, label: `${nameOf(m.user)}${m.user.email ? ` (${m.user.email})` : ''}` }))
                    : [{ value: '', label: 'Every organization member is already in the workspace' }]
                }
              />
            )}
            <Select label="Workspace role" name="role" options={roleOptions} defaultValue="member" />
          </FormButton>
        </div>
      </div>
      <ErrorNote error={paged.error ?? candidates.error} />
      <Table label="Workspace members" columns={['Member', 'Role', 'Since', '']} empty="No members in this workspace.">
        {paged.data?.data.map((m) => (
          <tr key={m.id}>
            <td>
              <Link to={`users/${m.userId}`} className="cx-identity">
                <span className="cx-identity-text">
                  <span className="cx-identity-name">{nameOf(m.user)}</span>
                  <span className="cx-muted">{m.user.email}</span>
                </span>
              </Link>
            </td>
            <td>
              <Badge tone={m.role === 'admin' ? 'accent' : 'neutral'}>{roleName(m.role)}</Badge>
            </td>
            <td className="cx-muted">{when(m.createdAt)}</td>
            <td className="cx-cell-actions">
              <FormButton
                label="Change role"
                variant="ghost"
                title={`Change the workspace role of ${nameOf(m.user)}`}
                submitLabel="Save role"
                onSubmit={async (v) => {
                  await api.workspaces.members.update(workspaceId, m.id, { role: v.role || m.role });
                  changed();
                }}
              >
                <Select label="Workspace role" name="role" options={roleOptions} defaultValue={m.role} />
              </FormButton>
              <ConfirmButton
                label="Remove"
                variant="ghost"
                title={`Remove ${nameOf(m.user)} from ${name}?`}
                description="They stay a member of the organization, and lose this workspace at once."
                confirmLabel="Remove from workspace"
                onConfirm={async () => {
                  await api.workspaces.members.remove(workspaceId, m.id);
                  changed();
                }}
              />
            </td>
          </tr>
        ))}
      </Table>
      <Pager paged={paged} />
      <WorkspaceRoles workspaceId={workspaceId} roles={roles} />
    </section>
  );
}

function WorkspaceRoles({
  workspaceId,
  roles,
}: {
  workspaceId: string;
  roles: ReturnType<typeof useLoad<Awaited<ReturnType<ReturnType<typeof useApi>['workspaces']['roles']['list']>>>>;
}) {
  const api = useApi();
  return (
    <div className="cx-subsection">
      <div className="cx-section-header">
        <div>
          <h3 className="cx-h3">Workspace roles</h3>
          <p className="cx-description">The system roles, and roles of this workspace only.</p>
        </div>
        <div className="cx-actions">
          <FormButton
            label="Create workspace role"
            variant="secondary"
            title="Create a workspace role"
            submitLabel="Create role"
            onSubmit={async (v) => {
              await api.workspaces.roles.create(workspaceId, {
                name: v.name ?? '',
                permissions: chosenPermissions(v) as WorkspacePermission[],
              });
              roles.reload();
            }}
          >
            <Field label="Name" name="name" required autoComplete="off" />
            <PermissionChecklist legend="Permissions" permissions={WORKSPACE_PERMISSIONS} checked={['workspace:view']} />
          </FormButton>
        </div>
      </div>
      <ErrorNote error={roles.error} />
      {roles.loading && !roles.data ? (
        <Loading />
      ) : (
        <Table label="Workspace roles" columns={['Role', 'Key', 'Permissions', '']}>
          {roles.data?.data.map((r) => (
            <tr key={r.id}>
              <td>
                {r.name} {r.isSystemRole ? <Badge>System</Badge> : <Badge tone="accent">Custom</Badge>}
              </td>
              <td className="cx-mono">{r.key}</td>
              <td>
                <span className="cx-chips">
                  {r.permissions.map((p) => (
                    <code key={p} className="cx-chip">
                      {p}
                    </code>
                  ))}
                </span>
              </td>
              <td className="cx-cell-actions">
                {r.isSystemRole ? null : (
                  <>
                    <FormButton
                      label="Edit"
                      variant="ghost"
                      title={`Edit the workspace role “${r.name}”`}
                      submitLabel="Save role"
                      onSubmit={async (v) => {
                        await api.workspaces.roles.update(workspaceId, r.id, {
                          ...(v.name ? { name: v.name } : {}),
                          permissions: chosenPermissions(v) as WorkspacePermission[],
                        });
                        roles.reload();
                      }}
                    >
                      <Field label="Name" name="name" required defaultValue={r.name} autoComplete="off" />
                      <PermissionChecklist legend="Permissions" permissions={WORKSPACE_PERMISSIONS} checked={r.permissions} />
                    </FormButton>
                    <ConfirmButton
                      label="Delete"
                      variant="ghost"
                      title={`Delete the workspace role “${r.name}”?`}
                      description="Only a role nobody in the workspace holds can be deleted."
                      confirmLabel="Delete role"
                      onConfirm={async () => {
                        await api.workspaces.roles.delete(workspaceId, r.id);
                        roles.reload();
                      }}
                    />
                  </>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}

import { type FormEvent, useState } from 'react';
import { useGatehouseClient, useOrganizationList } from '../hooks.js';
import { Alert, Button, describeError, Field, useAction } from '../ui.js';
import {
  type ActiveOrganization,
  Badge,
  ConfirmButton,
  LoadError,
  LoadingPanel,
  Panel,
  useRoles,
  WithOrganization,
} from './organization-common.js';

/** Props of {@link RoleMatrix}. */
export interface RoleMatrixProps {
  /** Called after a custom role was created, changed or deleted. */
  onChange?: () => void;
}

const TITLE = 'Roles and permissions';

type Role = NonNullable<ReturnType<typeof useRoles>['data']>['roles'][number];
type Editing = { kind: 'new' } | { kind: 'edit'; role: Role };

/**
 * Which role grants which permission, as a table. With `roles:manage`, custom roles can be created,
 * edited and deleted; the editor offers only permissions the caller holds and refuses an escalation
 * before the server would.
 */
export function RoleMatrix(props: RoleMatrixProps) {
  return (
    <WithOrganization title={TITLE}>{(active) => <Matrix key={active.organization.id} active={active} {...props} />}</WithOrganization>
  );
}

function Matrix({ active, onChange }: RoleMatrixProps & { active: ActiveOrganization }) {
  const client = useGatehouseClient();
  const organizationId = active.organization.id;
  const roles = useRoles(organizationId);
  const { refresh: refreshOrganizations } = useOrganizationList();
  const [editing, setEditing] = useState<Editing>();
  const canManage = active.can('roles:manage');

  if (!roles.data && !roles.error) return <LoadingPanel title={TITLE} label="Loading roles" />;
  if (!roles.data) {
    return (
      <Panel title={TITLE}>
        <LoadError error={roles.error} retry={() => void roles.reload()} />
      </Panel>
    );
  }
  const { roles: list, permissions } = roles.data;
  const changed = async () => {
    setEditing(undefined);
    await roles.reload();
    await refreshOrganizations();
    onChange?.();
  };

  return (
    <Panel
      title={TITLE}
      subtitle="What each role may do. System roles are fixed; custom roles are yours to shape."
      className="gh-panel-wide"
      action={
        canManage && !editing ? (
          <Button variant="secondary" className="gh-button-small" onClick={() => setEditing({ kind: 'new' })}>
            Create role
          </Button>
        ) : undefined
      }
    >
      {editing ? (
        <RoleEditor
          key={editing.kind === 'edit' ? editing.role.id : 'new'}
          active={active}
          catalog={permissions}
          role={editing.kind === 'edit' ? editing.role : undefined}
          onCancel={() => setEditing(undefined)}
          onSaved={changed}
        />
      ) : null}
      <div className="gh-table-wrap">
        <table className="gh-table">
          <caption className="gh-sr-only">Permissions granted by each role</caption>
          <thead>
            <tr>
              <th scope="col">Permission</th>
              {list.map((role) => (
                <th key={role.id} scope="col">
                  <span className="gh-role-head">
                    {role.name}
                    {role.isSystemRole ? null : <Badge tone="primary">Custom</Badge>}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {permissions.map((permission) => (
              <tr key={permission.key}>
                <th scope="row">
                  <span className="gh-perm-key">{permission.key}</span>
                  <span className="gh-perm-description">{permission.description}</span>
                </th>
                {list.map((role) => {
                  const granted = role.permissions.includes(permission.key);
                  return (
                    <td key={role.id} className={granted ? 'gh-granted' : 'gh-denied'}>
                      {granted ? <CheckMark /> : <span aria-hidden="true">–</span>}
                      <span className="gh-sr-only">{granted ? 'Granted' : 'Not granted'}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          {canManage && list.some((r) => !r.isSystemRole) ? (
            <tfoot>
              <tr>
                <th scope="row">
                  <span className="gh-sr-only">Actions</span>
                </th>
                {list.map((role) => (
                  <td key={role.id}>
                    {role.isSystemRole ? null : (
                      <span className="gh-role-actions">
                        <Button
                          variant="ghost"
                          className="gh-button-small"
                          aria-label={`Edit ${role.name}`}
                          onClick={() => setEditing({ kind: 'edit', role })}
                        >
                          Edit
                        </Button>
                        <ConfirmButton
                          label="Delete"
                          triggerVariant="ghost"
                          triggerLabel={`Delete ${role.name}`}
                          title={`Delete the ${role.name} role?`}
                          description="Only a role nobody holds can be deleted. Give its members another role first."
                          confirmLabel="Delete role"
                          errorMessages={{ conflict: 'Someone still holds this role. Give them another role first.' }}
                          onConfirm={async () => {
                            await client.organizations.roles.delete({ organizationId, roleId: role.id });
                            await changed();
                          }}
                        />
                      </span>
                    )}
                  </td>
                ))}
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
    </Panel>
  );
}

function RoleEditor({
  active,
  catalog,
  role,
  onCancel,
  onSaved,
}: {
  active: ActiveOrganization;
  catalog: { key: string; description: string }[];
  role: Role | undefined;
  onCancel: () => void;
  onSaved: () => Promise<void>;
}) {
  const client = useGatehouseClient();
  const organizationId = active.organization.id;
  const mine = new Set(active.membership.permissions);
  const [name, setName] = useState(role?.name ?? '');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(role?.permissions ?? []));
  // The server refuses a role with a permission the caller lacks (403): say so before sending it.
  const escalation = [...chosen].filter((p) => !mine.has(p));
  const save = useAction(async () => {
    const permissions = [...chosen];
    if (role) await client.organizations.roles.update({ organizationId, roleId: role.id, name: name.trim(), permissions });
    else await client.organizations.roles.create({ organizationId, name: name.trim(), permissions });
    await onSaved();
  });
  const problem = save.error ? describeError(save.error) : undefined;
  const toggle = (key: string) =>
    setChosen((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!escalation.length) void save.run();
  };
  return (
    <form className="gh-form gh-editor" onSubmit={onSubmit} noValidate aria-label={role ? `Edit ${role.name}` : 'New role'}>
      <h3 className="gh-section-title">{role ? `Edit ${role.name}` : 'New role'}</h3>
      {problem && !problem.fields.name ? <Alert>{problem.message}</Alert> : null}
      <Field
        label="Role name"
        name="name"
        placeholder="Billing manager"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={problem?.fields.name}
      />
      <fieldset className="gh-checks">
        <legend className="gh-label">Permissions</legend>
        {catalog.map((permission) => {
          const held = mine.has(permission.key);
          return (
            <label key={permission.key} className={held ? 'gh-check' : 'gh-check gh-check-locked'}>
              <input
                type="checkbox"
                checked={chosen.has(permission.key)}
                disabled={!held && !chosen.has(permission.key)}
                onChange={() => toggle(permission.key)}
              />
              <span>
                <span className="gh-perm-key">{permission.key}</span>
                <span className="gh-perm-description">
                  {permission.description}
                  {held ? '' : ' · You don’t hold this, so you can’t grant it.'}
                </span>
              </span>
            </label>
          );
        })}
      </fieldset>
      {escalation.length ? (
        <Alert>
          You can only grant permissions you hold yourself. Remove {escalation.join(', ')} or ask someone who holds{' '}
          {escalation.length === 1 ? 'it' : 'them'}.
        </Alert>
      ) : null}
      <div className="gh-actions">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" pending={save.pending} disabled={!name.trim() || escalation.length > 0}>
          {role ? 'Save role' : 'Create role'}
        </Button>
      </div>
    </form>
  );
}

function CheckMark() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" />
    </svg>
  );
}

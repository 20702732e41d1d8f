import { type FormEvent, useState } from 'react';
import { useGatehouseClient } from '../hooks.js';
import { Alert, Button, describeError, Field, useAction } from '../ui.js';
import { type ActiveOrganization, Panel, SelectField, useLoad, useRoles, WithOrganization } from './organization-common.js';

/** Props of {@link InviteMember}. */
export interface InviteMemberProps {
  /** Called after an invitation was sent, with the invited email. */
  onInvited?: (email: string) => void;
  /** The expiry choices, in days (1–30). Default 1, 3, 7, 10, 14 and 30, with 10 chosen. */
  expiryDays?: number[];
}

const TITLE = 'Invite a member';
const DEFAULT_EXPIRY = [1, 3, 7, 10, 14, 30];
const WORKSPACE_ROLES = [
  { key: 'member', name: 'Member' },
  { key: 'admin', name: 'Admin' },
];

/**
 * Invite an email into the active organization with a role, optionally into one of its workspaces
 * with a workspace role, for 1 to 30 days. Needs `members:manage`; only roles within the caller's
 * own permissions are offered (the server refuses the others).
 */
export function InviteMember(props: InviteMemberProps) {
  return (
    <WithOrganization title={TITLE}>{(active) => <InviteForm key={active.organization.id} active={active} {...props} />}</WithOrganization>
  );
}

function InviteForm({ active, onInvited, expiryDays = DEFAULT_EXPIRY }: InviteMemberProps & { active: ActiveOrganization }) {
  const client = useGatehouseClient();
  const organizationId = active.organization.id;
  const roles = useRoles(organizationId);
  const workspaces = useLoad(organizationId, async () => (await client.workspaces.list({ organizationId, limit: 100 })).workspaces);
  const [email, setEmail] = useState('');
  const [roleId, setRoleId] = useState('role_member');
  const [workspaceId, setWorkspaceId] = useState('');
  const [workspaceRole, setWorkspaceRole] = useState('member');
  const [expiry, setExpiry] = useState(expiryDays.includes(10) ? 10 : (expiryDays[0] ?? 10));
  const [sentTo, setSentTo] = useState<string>();
  const invite = useAction(async () => {
    setSentTo(undefined);
    const address = email.trim();
    await client.organizations.invitations.create({
      organizationId,
      email: address,
      roleId,
      expiryDays: expiry,
      ...(workspaceId ? { workspaceId, workspaceRole } : {}),
    });
    setEmail('');
    setSentTo(address);
    onInvited?.(address);
  });

  if (!active.can('members:manage')) {
    return (
      <Panel title={TITLE}>
        <Alert tone="info">Only members who can manage members may invite people. Ask an admin of {active.organization.name}.</Alert>
      </Panel>
    );
  }
  const mine = new Set(active.membership.permissions);
  // Only roles within your own permissions: the server would refuse the others.
  const offered = (roles.data?.roles ?? []).filter((role) => role.permissions.every((p) => mine.has(p)));
  const problem = invite.error
    ? describeError(invite.error, {
        invitation_pending: 'This email already has a pending invitation. Resend it from the invitations list instead.',
        already_member: 'This person is already a member.',
      })
    : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void invite.run();
  };

  return (
    <Panel title={TITLE} subtitle={`We’ll email them a link to join ${active.organization.name} with the role you choose.`}>
      <form className="gh-form" onSubmit={onSubmit} noValidate>
        {problem && !problem.fields.email ? <Alert>{problem.message}</Alert> : null}
        {sentTo ? <Alert tone="success">Invitation sent to {sentTo}.</Alert> : null}
        {roles.error ? <Alert>{describeError(roles.error).message}</Alert> : null}
        <Field
          label="Email address"
          name="email"
          type="email"
          autoComplete="off"
          placeholder="colleague@example.com"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={problem?.fields.email}
          required
        />
        <div className="gh-row">
          <SelectField label="Role" name="role" value={roleId} onChange={(e) => setRoleId(e.target.value)} disabled={!offered.length}>
            {offered.length ? (
              offered.map((role) => (
                <option key={role.id} value={role.id}>
                  {role.name}
                </option>
              ))
            ) : (
              <option value="role_member">Member</option>
            )}
          </SelectField>
          <SelectField label="Expires after" name="expiryDays" value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
            {expiryDays.map((days) => (
              <option key={days} value={days}>
                {days} day{days === 1 ? '' : 's'}
              </option>
            ))}
          </SelectField>
        </div>
        {workspaces.data?.length ? (
          <div className="gh-row">
            <SelectField label="Workspace" name="workspaceId" value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)}>
              <option value="">None (organization only)</option>
              {workspaces.data.map((ws) => (
                <option key={ws.id} value={ws.id}>
                  {ws.name}
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Workspace role"
              name="workspaceRole"
              value={workspaceRole}
              onChange={(e) => setWorkspaceRole(e.target.value)}
              disabled={!workspaceId}
            >
              {WORKSPACE_ROLES.map((role) => (
                <option key={role.key} value={role.key}>
                  {role.name}
                </option>
              ))}
            </SelectField>
          </div>
        ) : null}
        <div className="gh-actions">
          <Button type="submit" pending={invite.pending} disabled={!email.trim()}>
            Send invitation
          </Button>
        </div>
      </form>
    </Panel>
  );
}

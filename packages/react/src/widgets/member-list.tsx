import { useState } from 'react';
import { useGatehouseClient, useOrganizationList, useUser } from '../hooks.js';
import { Alert, Avatar, describeError, displayName } from '../ui.js';
import {
  type ActiveOrganization,
  Badge,
  ConfirmButton,
  Empty,
  formatDate,
  LAST_OWNER,
  LoadError,
  LoadingPanel,
  Panel,
  roleLabel,
  useLoad,
  useRoles,
  WithOrganization,
} from './organization-common.js';

/** Props of {@link MemberList}. */
export interface MemberListProps {
  /** Called after a member's role changed or a member was removed. */
  onChange?: () => void;
}

const TITLE = 'Members';

/**
 * The active organization's members with their role. With `members:manage` each row gets a role
 * select and a Remove button (confirmed first); the server's last-owner refusal is explained in words.
 */
export function MemberList(props: MemberListProps) {
  return <WithOrganization title={TITLE}>{(active) => <Members active={active} {...props} />}</WithOrganization>;
}

type Member = Awaited<ReturnType<ReturnType<typeof useGatehouseClient>['organizations']['members']['list']>>['members'][number];

function Members({ active, onChange }: MemberListProps & { active: ActiveOrganization }) {
  const client = useGatehouseClient();
  const { user } = useUser();
  const { refresh: refreshOrganizations } = useOrganizationList();
  const organizationId = active.organization.id;
  const canView = active.can('members:view');
  const canManage = active.can('members:manage');
  const members = useLoad(organizationId, async () => {
    if (!canView) return [];
    const all: Member[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.organizations.members.list({ organizationId, limit: 100, ...(cursor ? { cursor } : {}) });
      all.push(...page.members);
      cursor = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
    } while (cursor);
    return all;
  });
  const roles = useRoles(organizationId);
  const [failure, setFailure] = useState<unknown>();
  const [changing, setChanging] = useState<string>();

  if (!canView) {
    return (
      <Panel title={TITLE}>
        <Alert tone="info">You don’t have permission to see this organization’s members.</Alert>
      </Panel>
    );
  }
  if (members.data === undefined && !members.error) return <LoadingPanel title={TITLE} label="Loading members" />;

  const changed = async () => {
    await members.reload();
    // Your own role may have changed: the permissions the other widgets hide controls by, too.
    await refreshOrganizations();
    onChange?.();
  };
  const setRole = async (member: Member, roleId: string) => {
    setFailure(undefined);
    setChanging(member.userId);
    try {
      await client.organizations.members.setRole({ organizationId, userId: member.userId, roleId });
      await changed();
    } catch (error) {
      setFailure(error);
    } finally {
      setChanging(undefined);
    }
  };
  const roleOptions = roles.data?.roles ?? [];
  const list = members.data ?? [];
  const count = list.length;

  return (
    <Panel title={TITLE} subtitle={`${count} member${count === 1 ? '' : 's'} of ${active.organization.name}`} className="gh-panel-wide">
      {members.error ? <LoadError error={members.error} retry={() => void members.reload()} /> : null}
      {failure ? <Alert>{describeError(failure, LAST_OWNER).message}</Alert> : null}
      {!members.error && count === 0 ? <Empty>No members yet.</Empty> : null}
      {count > 0 ? (
        <ul className="gh-list" aria-label="Members">
          {list.map((member) => {
            const name = displayName(member.user);
            const isYou = member.userId === user?.id;
            return (
              <li key={member.id} className="gh-list-row">
                <Avatar name={name} imageUrl={member.user.imageUrl} size={36} />
                <div className="gh-list-main">
                  <span className="gh-list-title">
                    {name} {isYou ? <Badge>You</Badge> : null}
                  </span>
                  <span className="gh-list-meta">
                    {member.user.email ?? ''} · Joined {formatDate(member.createdAt)}
                  </span>
                </div>
                <div className="gh-list-actions">
                  {canManage && roleOptions.length ? (
                    <select
                      className="gh-input gh-select gh-select-small"
                      aria-label={`Role of ${name}`}
                      value={member.roleId}
                      disabled={changing === member.userId}
                      onChange={(e) => void setRole(member, e.target.value)}
                    >
                      {roleOptions.map((role) => (
                        <option key={role.id} value={role.id}>
                          {role.name}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <Badge tone={member.role === 'owner' ? 'primary' : 'neutral'}>{roleLabel(member.role)}</Badge>
                  )}
                  {canManage && !isYou ? (
                    <ConfirmButton
                      label="Remove"
                      triggerLabel={`Remove ${name}`}
                      title={`Remove ${name}?`}
                      description={`${name} loses access to ${active.organization.name} and its workspaces at once. You can invite them again later.`}
                      confirmLabel="Remove member"
                      errorMessages={LAST_OWNER}
                      onConfirm={async () => {
                        await client.organizations.members.remove({ organizationId, userId: member.userId });
                        await changed();
                      }}
                    />
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
    </Panel>
  );
}

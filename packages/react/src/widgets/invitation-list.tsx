import { useState } from 'react';
import { useGatehouseClient } from '../hooks.js';
import { Alert, Button, describeError } from '../ui.js';
import {
  type ActiveOrganization,
  Badge,
  ConfirmButton,
  Empty,
  formatDate,
  LoadError,
  LoadingPanel,
  Panel,
  roleLabel,
  useLoad,
  WithOrganization,
} from './organization-common.js';

/** Props of {@link InvitationList}. */
export interface InvitationListProps {
  /** Also list accepted and revoked invitations. Default true. */
  includeDeleted?: boolean;
}

const TITLE = 'Invitations';
const TONES = { pending: 'primary', accepted: 'success', revoked: 'neutral', expired: 'warning' } as const;

/**
 * The active organization's invitations, newest first, with their status; pending and expired ones
 * can be resent (a new link and expiry, emailed) and revoked. Needs `members:manage`.
 */
export function InvitationList(props: InvitationListProps) {
  return <WithOrganization title={TITLE}>{(active) => <Invitations active={active} {...props} />}</WithOrganization>;
}

function Invitations({ active, includeDeleted = true }: InvitationListProps & { active: ActiveOrganization }) {
  const client = useGatehouseClient();
  const organizationId = active.organization.id;
  const canManage = active.can('members:manage');
  const invitations = useLoad(`${organizationId}:${canManage}`, async () =>
    canManage ? (await client.organizations.invitations.list({ organizationId, includeDeleted, limit: 100 })).invitations : [],
  );
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [resending, setResending] = useState<string>();

  if (!canManage) {
    return (
      <Panel title={TITLE}>
        <Alert tone="info">Only members who can manage members see the invitations.</Alert>
      </Panel>
    );
  }
  if (invitations.data === undefined && !invitations.error) return <LoadingPanel title={TITLE} label="Loading invitations" />;
  const list = invitations.data ?? [];
  const resend = async (id: string, email: string) => {
    setFailure(undefined);
    setNotice(undefined);
    setResending(id);
    try {
      await client.organizations.invitations.resend({ organizationId, id });
      await invitations.reload();
      setNotice(`A new link went to ${email}.`);
    } catch (error) {
      setFailure(error);
    } finally {
      setResending(undefined);
    }
  };

  return (
    <Panel title={TITLE} subtitle="People you invited, and where each invitation stands." className="gh-panel-wide">
      {invitations.error ? <LoadError error={invitations.error} retry={() => void invitations.reload()} /> : null}
      {failure ? <Alert>{describeError(failure).message}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {!invitations.error && list.length === 0 ? <Empty>No invitations yet. Invite someone and it shows up here.</Empty> : null}
      {list.length ? (
        <ul className="gh-list" aria-label="Invitations">
          {list.map((inv) => {
            const open = inv.status === 'pending' || inv.status === 'expired';
            return (
              <li key={inv.id} className="gh-list-row">
                <div className="gh-list-main">
                  <span className="gh-list-title">{inv.email}</span>
                  <span className="gh-list-meta">
                    {roleLabel(inv.role)}
                    {inv.workspace ? ` · ${inv.workspace.name} (${roleLabel(inv.workspaceRole ?? 'member')})` : ''} ·{' '}
                    {inv.status === 'accepted'
                      ? `Accepted ${formatDate(inv.acceptedAt)}`
                      : inv.status === 'revoked'
                        ? `Revoked ${formatDate(inv.revokedAt)}`
                        : `${inv.status === 'expired' ? 'Expired' : 'Expires'} ${formatDate(inv.expiresAt)}`}
                  </span>
                </div>
                <div className="gh-list-actions">
                  <Badge tone={TONES[inv.status]}>{roleLabel(inv.status)}</Badge>
                  {open ? (
                    <>
                      <Button
                        variant="secondary"
                        className="gh-button-small"
                        aria-label={`Resend the invitation to ${inv.email}`}
                        pending={resending === inv.id}
                        onClick={() => void resend(inv.id, inv.email)}
                      >
                        Resend
                      </Button>
                      <ConfirmButton
                        label="Revoke"
                        triggerLabel={`Revoke the invitation to ${inv.email}`}
                        title="Revoke this invitation?"
                        description={`The link sent to ${inv.email} stops working at once.`}
                        confirmLabel="Revoke invitation"
                        onConfirm={async () => {
                          await client.organizations.invitations.revoke({ organizationId, id: inv.id });
                          await invitations.reload();
                        }}
                      />
                    </>
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

import { type FormEvent, useState } from 'react';
import { useGatehouseClient } from '../hooks.js';
import { Alert, Button, describeError, Field, useAction } from '../ui.js';
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
  SecretBox,
  SelectField,
  useLoad,
  useRoles,
  WithOrganization,
} from './organization-common.js';

/** Props of {@link JoinCodes}. */
export interface JoinCodesProps {
  /** Called with a new code (shown once). */
  onCreated?: (code: string) => void;
}

const TITLE = 'Join codes';
const TONES = { active: 'success', revoked: 'neutral', expired: 'warning', exhausted: 'warning' } as const;
const DAY = 86_400_000;
const EXPIRY = [
  { value: '1', label: '1 day' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: 'never', label: 'Never' },
];

/**
 * Shareable codes that let anyone who has one join the active organization with a role: create one
 * (shown once, with a copy button), see their uses and status, revoke them. Needs `members:manage`;
 * a code never grants `owner` or more than the caller holds.
 */
export function JoinCodes(props: JoinCodesProps) {
  return <WithOrganization title={TITLE}>{(active) => <Codes key={active.organization.id} active={active} {...props} />}</WithOrganization>;
}

function Codes({ active, onCreated }: JoinCodesProps & { active: ActiveOrganization }) {
  const client = useGatehouseClient();
  const organizationId = active.organization.id;
  const canManage = active.can('members:manage');
  const codes = useLoad(`${organizationId}:${canManage}`, async () =>
    canManage ? (await client.organizations.joinCodes.list({ organizationId, limit: 100 })).joinCodes : [],
  );
  const roles = useRoles(organizationId);
  const [roleId, setRoleId] = useState('role_member');
  const [maxUses, setMaxUses] = useState('');
  const [expiry, setExpiry] = useState('7');
  const [created, setCreated] = useState<string>();
  const create = useAction(async () => {
    setCreated(undefined);
    const uses = maxUses.trim() ? Number(maxUses) : null;
    const result = await client.organizations.joinCodes.create({
      organizationId,
      roleId,
      maxUses: uses,
      expiresAt: expiry === 'never' ? null : new Date(Date.now() + Number(expiry) * DAY).toISOString(),
    });
    setCreated(result.code);
    await codes.reload();
    onCreated?.(result.code);
  });

  if (!canManage) {
    return (
      <Panel title={TITLE}>
        <Alert tone="info">Only members who can manage members create join codes.</Alert>
      </Panel>
    );
  }
  if (codes.data === undefined && !codes.error) return <LoadingPanel title={TITLE} label="Loading join codes" />;
  const mine = new Set(active.membership.permissions);
  const offered = (roles.data?.roles ?? []).filter((r) => r.key !== 'owner' && r.permissions.every((p) => mine.has(p)));
  const list = codes.data ?? [];
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  const problem = create.error ? describeError(create.error) : undefined;

  return (
    <Panel title={TITLE} subtitle={`Anyone with a code joins ${active.organization.name} with its role.`} className="gh-panel-wide">
      <form className="gh-form gh-inline-form" onSubmit={onSubmit} noValidate>
        <SelectField label="Role" name="role" value={roleId} onChange={(e) => setRoleId(e.target.value)}>
          {(offered.length ? offered : [{ id: 'role_member', name: 'Member' }]).map((role) => (
            <option key={role.id} value={role.id}>
              {role.name}
            </option>
          ))}
        </SelectField>
        <Field
          label="Uses"
          name="maxUses"
          type="number"
          min={1}
          inputMode="numeric"
          placeholder="Unlimited"
          value={maxUses}
          onChange={(e) => setMaxUses(e.target.value)}
        />
        <SelectField label="Expires after" name="expiry" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRY.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <Button type="submit" pending={create.pending}>
          Create code
        </Button>
      </form>
      {problem ? <Alert>{Object.values(problem.fields)[0] ?? problem.message}</Alert> : null}
      {created ? (
        <SecretBox
          value={created}
          label="New join code"
          warning="Copy it now: it is shown only this once. Share it with the people who should join."
        />
      ) : null}
      {codes.error ? <LoadError error={codes.error} retry={() => void codes.reload()} /> : null}
      {!codes.error && list.length === 0 ? <Empty>No join codes yet. Create one to let people join without an invitation.</Empty> : null}
      {list.length ? (
        <ul className="gh-list" aria-label="Join codes">
          {list.map((code) => (
            <li key={code.id} className="gh-list-row">
              <div className="gh-list-main">
                <span className="gh-list-title">
                  {roleLabel(code.role)} · {code.uses}
                  {code.maxUses === null ? '' : ` of ${code.maxUses}`} use{(code.maxUses ?? code.uses) === 1 ? '' : 's'}
                </span>
                <span className="gh-list-meta">
                  Created {formatDate(code.createdAt)} · {code.expiresAt ? `Expires ${formatDate(code.expiresAt)}` : 'Never expires'}
                </span>
              </div>
              <div className="gh-list-actions">
                <Badge tone={TONES[code.status]}>{roleLabel(code.status)}</Badge>
                {code.status === 'active' ? (
                  <ConfirmButton
                    label="Revoke"
                    triggerLabel={`Revoke the ${roleLabel(code.role).toLowerCase()} code created ${formatDate(code.createdAt)}`}
                    title="Revoke this join code?"
                    description="Nobody can join with it any more. People who already joined stay members."
                    confirmLabel="Revoke code"
                    onConfirm={async () => {
                      await client.organizations.joinCodes.revoke({ organizationId, id: code.id });
                      await codes.reload();
                    }}
                  />
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </Panel>
  );
}

import { type FormEvent, useState } from 'react';
import { useGatehouseClient, useOrganizationList } from '../hooks.js';
import type { Organization } from '../provider.js';
import { Alert, Avatar, Button, describeError, Field, useAction } from '../ui.js';
import {
  type ActiveOrganization,
  ConfirmButton,
  formatDate,
  LAST_OWNER,
  Panel,
  roleLabel,
  WithOrganization,
} from './organization-common.js';

/** Props of {@link OrganizationProfile}. */
export interface OrganizationProfileProps {
  /** Called after the organization was renamed. */
  onUpdated?: (organization: Organization) => void;
  /** Called after the caller left the organization (the personal account is active then). */
  onLeft?: () => void;
  /** Called after the organization was deleted (the personal account is active then). */
  onDeleted?: () => void;
}

const TITLE = 'Organization settings';

/**
 * The active organization: its name (editable with `org:manage`), and a danger zone to leave it or,
 * with `org:delete`, delete it. Both ask first; deleting asks for the organization's name.
 */
export function OrganizationProfile(props: OrganizationProfileProps) {
  return (
    <WithOrganization title={TITLE}>{(active) => <Profile key={active.organization.id} active={active} {...props} />}</WithOrganization>
  );
}

function Profile({ active, onUpdated, onLeft, onDeleted }: OrganizationProfileProps & { active: ActiveOrganization }) {
  const client = useGatehouseClient();
  const list = useOrganizationList();
  const { organization, membership } = active;
  const [name, setName] = useState(organization.name);
  const [saved, setSaved] = useState(false);
  const rename = useAction(async () => {
    setSaved(false);
    await client.organizations.update({ organizationId: organization.id, name: name.trim() });
    await list.refresh();
    setSaved(true);
    onUpdated?.({ ...organization, name: name.trim() });
  });
  const problem = rename.error ? describeError(rename.error) : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void rename.run();
  };
  const gone = async (after?: () => void) => {
    await list.setActive(null);
    await list.refresh();
    after?.();
  };
  const canManage = active.can('org:manage');
  const canDelete = active.can('org:delete');

  return (
    <Panel title={TITLE} subtitle="Your organization’s name and membership." className="gh-panel-wide">
      <div className="gh-profile-head">
        <Avatar name={organization.name} imageUrl={organization.imageUrl} shape="square" size={48} />
        <div className="gh-list-main">
          <span className="gh-list-title">{organization.name}</span>
          <span className="gh-list-meta">
            {organization.membersCount} member{organization.membersCount === 1 ? '' : 's'} · You’re{' '}
            {roleLabel(membership.role).toLowerCase()} · Created {formatDate(organization.createdAt)}
          </span>
        </div>
      </div>

      {canManage ? (
        <form className="gh-form gh-section" onSubmit={onSubmit} noValidate>
          <h3 className="gh-section-title">Profile</h3>
          {problem && !problem.fields.name ? <Alert>{problem.message}</Alert> : null}
          {saved && !rename.pending ? <Alert tone="success">Saved.</Alert> : null}
          <Field
            label="Organization name"
            name="name"
            autoComplete="organization"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setSaved(false);
            }}
            error={problem?.fields.name}
            required
          />
          <div className="gh-actions">
            <Button type="submit" pending={rename.pending} disabled={!name.trim() || name.trim() === organization.name}>
              Save
            </Button>
          </div>
        </form>
      ) : null}

      <div className="gh-section gh-danger-zone">
        <h3 className="gh-section-title">Danger zone</h3>
        <div className="gh-danger-row">
          <div>
            <p className="gh-danger-title">Leave organization</p>
            <p className="gh-hint">You lose access to {organization.name} until someone invites you again.</p>
          </div>
          <ConfirmButton
            label="Leave"
            triggerLabel="Leave organization"
            title={`Leave ${organization.name}?`}
            description="You lose access to its members, workspaces and settings at once."
            confirmLabel="Leave organization"
            errorMessages={{
              last_owner: 'You’re this organization’s only owner. Make another member an owner first, or delete the organization.',
            }}
            onConfirm={async () => {
              await client.organizations.leave({ organizationId: organization.id });
              await gone(onLeft);
            }}
          />
        </div>
        {canDelete ? (
          <div className="gh-danger-row">
            <div>
              <p className="gh-danger-title">Delete organization</p>
              <p className="gh-hint">Deletes its memberships, roles, invitations and API tokens. This can’t be undone.</p>
            </div>
            <ConfirmButton
              label="Delete"
              triggerLabel="Delete organization"
              triggerVariant="danger"
              title={`Delete ${organization.name}?`}
              description="Every member loses access at once, and its API tokens stop working. This can’t be undone."
              confirmLabel="Delete organization"
              confirmText={organization.name}
              errorMessages={LAST_OWNER}
              onConfirm={async () => {
                await client.organizations.delete({ organizationId: organization.id });
                await gone(onDeleted);
              }}
            />
          </div>
        ) : null}
      </div>
    </Panel>
  );
}

import * as Dialog from '@radix-ui/react-dialog';
import * as Menu from '@radix-ui/react-dropdown-menu';
import { useState } from 'react';
import { useGatehouseClient, useOrganization, useOrganizationList, useSession, useUser } from '../hooks.js';
import type { Organization } from '../provider.js';
import { Avatar, Button, describeError, displayName, Spinner, useRootProps } from '../ui.js';
import { CreateOrganizationForm } from './create-organization.js';
import { useLoad } from './organization-common.js';

/** Props of {@link OrganizationSwitcher}. */
export interface OrganizationSwitcherProps {
  /** Offer the personal account (no active organization). Default true. */
  showPersonalAccount?: boolean;
  /** Offer "Create organization". Default true. */
  allowCreate?: boolean;
  /** Called after the active organization changed (`null`: the personal account). */
  onSwitch?: (organization: Organization | null) => void;
  /** List the active organization's workspaces (yours, or all with `workspaces:view`) to choose one. Default true. */
  showWorkspaces?: boolean;
  /** Called after the active workspace changed (`null`: the whole organization). */
  onSwitchWorkspace?: (workspaceId: string | null) => void;
}

const PERSONAL = '__personal__';
const WHOLE_ORGANIZATION = '__organization__';

/**
 * The active organization as a button; it opens a menu of the user's organizations (with their
 * role) and the personal account, and "Create organization" in a dialog.
 */
export function OrganizationSwitcher({
  showPersonalAccount = true,
  allowCreate = true,
  onSwitch,
  showWorkspaces = true,
  onSwitchWorkspace,
}: OrganizationSwitcherProps) {
  const { user } = useUser();
  const { isLoaded, organization } = useOrganization();
  const list = useOrganizationList();
  const client = useGatehouseClient();
  const session = useSession();
  const workspaceKey = showWorkspaces && organization ? organization.id : '';
  const workspaces = useLoad(workspaceKey, async () =>
    workspaceKey ? (await client.workspaces.list({ organizationId: workspaceKey, limit: 100 })).workspaces : [],
  );
  const activeWorkspaceId = client.lastSession?.activeWorkspaceId ?? null;
  const [creating, setCreating] = useState(false);
  const [switching, setSwitching] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const root = useRootProps('gh-switcher');
  const menuRoot = useRootProps('gh-menu gh-menu-wide');
  const dialogRoot = useRootProps('gh-dialog');
  const overlayRoot = useRootProps('gh-overlay');

  if (!isLoaded || (user && !list.isLoaded && list.isLoading)) {
    return (
      <span {...root} aria-busy="true">
        <span className="gh-trigger gh-trigger-wide gh-trigger-placeholder">
          <span className="gh-skeleton gh-skeleton-avatar gh-avatar-square" />
          <span className="gh-skeleton gh-skeleton-text" />
        </span>
        <Spinner label="Loading organizations" />
      </span>
    );
  }
  if (!user) return null;

  const personalName = displayName(user);
  const current = organization ? organization.name : personalName;
  const choose = async (value: string) => {
    const id = value === PERSONAL ? null : value;
    if (id === (organization?.id ?? null)) return;
    setSwitching(value);
    setFailure(undefined);
    try {
      await list.setActive(id);
      onSwitch?.(list.organizations?.find((m) => m.organization.id === id)?.organization ?? null);
    } catch (error) {
      setFailure(error);
    } finally {
      setSwitching(undefined);
    }
  };
  const memberships = list.organizations ?? [];
  const chooseWorkspace = async (value: string) => {
    if (!organization) return;
    const workspaceId = value === WHOLE_ORGANIZATION ? null : value;
    if (workspaceId === activeWorkspaceId) return;
    setSwitching(value);
    setFailure(undefined);
    try {
      await client.session.setActive({ organizationId: organization.id, workspaceId });
      await session.refresh();
      onSwitchWorkspace?.(workspaceId);
    } catch (error) {
      setFailure(error);
    } finally {
      setSwitching(undefined);
    }
  };
  const workspaceList = workspaces.data ?? [];
  const activeWorkspace = workspaceList.find((w) => w.id === activeWorkspaceId);

  return (
    <span {...root}>
      <Menu.Root modal={false}>
        <Menu.Trigger
          className="gh-trigger gh-trigger-wide"
          aria-label={`Switch organization, current: ${current}${activeWorkspace ? ` / ${activeWorkspace.name}` : ''}`}
        >
          <Avatar
            name={current}
            imageUrl={organization ? organization.imageUrl : user.imageUrl}
            shape={organization ? 'square' : 'circle'}
            size={24}
          />
          <span className="gh-trigger-label">{current}</span>
          {activeWorkspace ? <span className="gh-trigger-workspace">{` / ${activeWorkspace.name}`}</span> : null}
          {switching ? <Spinner /> : <ChevronIcon />}
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content {...menuRoot} align="start" sideOffset={8}>
            {failure ? (
              <p className="gh-menu-error" role="alert">
                {describeError(failure).message}
              </p>
            ) : null}
            <Menu.RadioGroup value={organization?.id ?? PERSONAL} onValueChange={(value) => void choose(value)}>
              {showPersonalAccount ? (
                <>
                  <Menu.Label className="gh-menu-label">Personal account</Menu.Label>
                  <Menu.RadioItem value={PERSONAL} className="gh-menu-item gh-menu-option">
                    <Avatar name={personalName} imageUrl={user.imageUrl} size={28} />
                    <span className="gh-menu-option-text">
                      <span className="gh-menu-name">{personalName}</span>
                    </span>
                    <Menu.ItemIndicator className="gh-menu-check">
                      <CheckIcon />
                    </Menu.ItemIndicator>
                  </Menu.RadioItem>
                  <Menu.Separator className="gh-menu-separator" />
                </>
              ) : null}
              <Menu.Label className="gh-menu-label">Organizations</Menu.Label>
              {list.error && !memberships.length ? (
                <div className="gh-menu-empty" role="alert">
                  Couldn’t load your organizations.{' '}
                  <Button variant="link" onClick={() => void list.refresh()}>
                    Retry
                  </Button>
                </div>
              ) : null}
              {!list.error && !memberships.length ? <p className="gh-menu-empty">You’re not in any organization yet.</p> : null}
              {memberships.map(({ organization: org, role }) => (
                <Menu.RadioItem key={org.id} value={org.id} className="gh-menu-item gh-menu-option">
                  <Avatar name={org.name} imageUrl={org.imageUrl} shape="square" size={28} />
                  <span className="gh-menu-option-text">
                    <span className="gh-menu-name">{org.name}</span>
                    <span className="gh-menu-meta">{roleLabel(role)}</span>
                  </span>
                  <Menu.ItemIndicator className="gh-menu-check">
                    <CheckIcon />
                  </Menu.ItemIndicator>
                </Menu.RadioItem>
              ))}
            </Menu.RadioGroup>
            {organization && workspaceList.length ? (
              <>
                <Menu.Separator className="gh-menu-separator" />
                <Menu.Label className="gh-menu-label">Workspaces in {organization.name}</Menu.Label>
                <Menu.RadioGroup value={activeWorkspace?.id ?? WHOLE_ORGANIZATION} onValueChange={(value) => void chooseWorkspace(value)}>
                  <Menu.RadioItem value={WHOLE_ORGANIZATION} className="gh-menu-item gh-menu-workspace">
                    <AllWorkspacesIcon />
                    <span className="gh-menu-option-text">
                      <span className="gh-menu-name">All of {organization.name}</span>
                    </span>
                    <Menu.ItemIndicator className="gh-menu-check">
                      <CheckIcon />
                    </Menu.ItemIndicator>
                  </Menu.RadioItem>
                  {workspaceList.map((ws) => (
                    <Menu.RadioItem key={ws.id} value={ws.id} className="gh-menu-item gh-menu-workspace">
                      <WorkspaceIcon />
                      <span className="gh-menu-option-text">
                        <span className="gh-menu-name">{ws.name}</span>
                        <span className="gh-menu-meta">
                          {ws.membersCount} member{ws.membersCount === 1 ? '' : 's'}
                        </span>
                      </span>
                      <Menu.ItemIndicator className="gh-menu-check">
                        <CheckIcon />
                      </Menu.ItemIndicator>
                    </Menu.RadioItem>
                  ))}
                </Menu.RadioGroup>
              </>
            ) : null}
            {allowCreate ? (
              <>
                <Menu.Separator className="gh-menu-separator" />
                <Menu.Item className="gh-menu-item" onSelect={() => setCreating(true)}>
                  <PlusIcon />
                  Create organization
                </Menu.Item>
              </>
            ) : null}
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
      <Dialog.Root open={creating} onOpenChange={setCreating}>
        <Dialog.Portal>
          <Dialog.Overlay {...overlayRoot} />
          <Dialog.Content {...dialogRoot}>
            <Dialog.Title className="gh-title">Create an organization</Dialog.Title>
            <Dialog.Description className="gh-subtitle">
              Organizations share members, roles and settings. You’ll be its owner.
            </Dialog.Description>
            <CreateOrganizationForm
              onCancel={() => setCreating(false)}
              onCreated={(org) => {
                setCreating(false);
                onSwitch?.(org);
              }}
            />
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </span>
  );
}

/** `owner` → "Owner"; custom role keys keep their words. */
function roleLabel(role: string): string {
  const words = role.replace(/[_:-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function ChevronIcon() {
  return (
    <svg className="gh-icon gh-chevron" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M6.3 8.3a1 1 0 0 1 1.4 0L10 10.6l2.3-2.3a1 1 0 1 1 1.4 1.4l-3 3a1 1 0 0 1-1.4 0l-3-3a1 1 0 0 1 0-1.4Z" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" />
    </svg>
  );
}

function AllWorkspacesIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M3 4.5A1.5 1.5 0 0 1 4.5 3h3A1.5 1.5 0 0 1 9 4.5v3A1.5 1.5 0 0 1 7.5 9h-3A1.5 1.5 0 0 1 3 7.5v-3Zm8 0A1.5 1.5 0 0 1 12.5 3h3A1.5 1.5 0 0 1 17 4.5v3A1.5 1.5 0 0 1 15.5 9h-3A1.5 1.5 0 0 1 11 7.5v-3Zm-8 8A1.5 1.5 0 0 1 4.5 11h3A1.5 1.5 0 0 1 9 12.5v3A1.5 1.5 0 0 1 7.5 17h-3A1.5 1.5 0 0 1 3 15.5v-3Zm8 0a1.5 1.5 0 0 1 1.5-1.5h3a1.5 1.5 0 0 1 1.5 1.5v3a1.5 1.5 0 0 1-1.5 1.5h-3a1.5 1.5 0 0 1-1.5-1.5v-3Z"
      />
    </svg>
  );
}

function WorkspaceIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M4 4a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-5.6L9 4.6A2 2 0 0 0 7.6 4H4Zm0 2h3.6L9 7.4a2 2 0 0 0 1.4.6H16v6H4V6Z"
      />
    </svg>
  );
}

function PlusIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M10 3a1 1 0 0 1 1 1v5h5a1 1 0 1 1 0 2h-5v5a1 1 0 1 1-2 0v-5H4a1 1 0 1 1 0-2h5V4a1 1 0 0 1 1-1Z" />
    </svg>
  );
}

import * as Menu from '@radix-ui/react-dropdown-menu';
import { useState } from 'react';
import { useSession, useUser } from '../hooks.js';
import { Avatar, cx, displayName, Spinner, useRootProps } from '../ui.js';

/** Props of {@link UserButton}. */
export interface UserButtonProps {
  /** Where "Manage account" goes (your page with `<UserProfile />`); no item without it. */
  userProfileUrl?: string;
  /** Called after signing out, e.g. to leave a signed-in page. */
  onSignOut?: () => void;
  /** Show the name beside the avatar. */
  showName?: boolean;
}

/**
 * The signed-in user's avatar; it opens a menu with their name and email, "Manage account" and
 * "Sign out". Renders nothing when signed out, and a placeholder while the session loads.
 */
export function UserButton({ userProfileUrl, onSignOut, showName = false }: UserButtonProps) {
  const { user, isLoaded } = useUser();
  const { signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);
  const [failed, setFailed] = useState(false);
  const root = useRootProps('gh-user-button');
  const menuRoot = useRootProps('gh-menu');
  if (!isLoaded) {
    return (
      <span {...root} aria-busy="true">
        <span className="gh-skeleton gh-skeleton-avatar" />
        <Spinner label="Loading account" />
      </span>
    );
  }
  if (!user) return null;
  const name = displayName(user);
  return (
    <span {...root}>
      <Menu.Root modal={false}>
        <Menu.Trigger className={cx('gh-trigger', showName && 'gh-trigger-wide')} aria-label={`Account menu for ${name}`}>
          <Avatar name={name} imageUrl={user.imageUrl} />
          {showName ? <span className="gh-trigger-label">{name}</span> : null}
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content {...menuRoot} align="end" sideOffset={8}>
            <div className="gh-menu-header">
              <Avatar name={name} imageUrl={user.imageUrl} size={40} />
              <div className="gh-menu-identity">
                <span className="gh-menu-name">{name}</span>
                {user.email && user.email !== name ? <span className="gh-menu-email">{user.email}</span> : null}
              </div>
            </div>
            {failed ? (
              <p className="gh-menu-error" role="alert">
                Couldn’t sign out. Try again.
              </p>
            ) : null}
            <Menu.Separator className="gh-menu-separator" />
            {userProfileUrl ? (
              <Menu.Item asChild className="gh-menu-item">
                <a href={userProfileUrl}>
                  <GearIcon />
                  Manage account
                </a>
              </Menu.Item>
            ) : null}
            <Menu.Item
              className="gh-menu-item"
              disabled={signingOut}
              onSelect={(event) => {
                event.preventDefault();
                setSigningOut(true);
                setFailed(false);
                signOut()
                  .then(() => onSignOut?.())
                  .catch(() => setFailed(true))
                  .finally(() => setSigningOut(false));
              }}
            >
              <SignOutIcon />
              {signingOut ? 'Signing out…' : 'Sign out'}
            </Menu.Item>
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
    </span>
  );
}

function GearIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8.3 2.2a1 1 0 0 1 1-.7h1.4a1 1 0 0 1 1 .7l.4 1.5 1.3.7 1.5-.4a1 1 0 0 1 1.1.5l.7 1.2a1 1 0 0 1-.1 1.2l-1.1 1.1v1.5l1.1 1.1a1 1 0 0 1 .1 1.2l-.7 1.2a1 1 0 0 1-1.1.5l-1.5-.4-1.3.7-.4 1.5a1 1 0 0 1-1 .7H9.3a1 1 0 0 1-1-.7l-.4-1.5-1.3-.7-1.5.4a1 1 0 0 1-1.1-.5l-.7-1.2a1 1 0 0 1 .1-1.2l1.1-1.1V9.2L3.4 8.1a1 1 0 0 1-.1-1.2L4 5.7a1 1 0 0 1 1.1-.5l1.5.4 1.3-.7.4-1.5ZM10 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z"
      />
    </svg>
  );
}

function SignOutIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M4 3h6a1 1 0 1 1 0 2H5v10h5a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1Zm9.3 3.3a1 1 0 0 1 1.4 0l3 3a1 1 0 0 1 0 1.4l-3 3a1 1 0 0 1-1.4-1.4l1.3-1.3H8a1 1 0 1 1 0-2h6.6l-1.3-1.3a1 1 0 0 1 0-1.4Z"
      />
    </svg>
  );
}

import { useEffect, useState } from 'react';
import { useGatehouseClient, useOrganizationList, useSession, useUser } from '../hooks.js';
import { Alert, Avatar, Button, Card, describeError, displayName, LoadingCard, useAction, useRootProps } from '../ui.js';
import { formatDate, roleLabel, useLoad } from './organization-common.js';
import { SignIn } from './sign-in.js';
import { SignUp } from './sign-up.js';

/** Props of {@link AcceptInvitation}. */
export interface AcceptInvitationProps {
  /** The invitation token. Default: `token` from the page address's fragment (`#token=…`), as the emailed link carries it. */
  token?: string;
  /** Called once the invitation is accepted, with the organization now active. */
  onAccepted?: (result: { organizationId: string; alreadyMember: boolean }) => void;
}

/** `#token=…` (or `?token=…`, for links that lost their fragment) of the current address. */
function tokenFromLocation(): string | undefined {
  if (typeof window === 'undefined') return undefined;
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  return fromHash || new URLSearchParams(window.location.search).get('token') || undefined;
}

const TITLE = 'Join an organization';

const FAILURES: Partial<Record<string, string>> = {
  not_found: 'This invitation link isn’t valid. Check that you opened the whole link from the email.',
  invitation_expired: 'This invitation has expired. Ask the person who invited you to send a new one.',
  invitation_revoked: 'This invitation was withdrawn. Ask the organization for a new one if you still need access.',
  invitation_accepted: 'This invitation was already used by someone else.',
  email_mismatch: 'This invitation is for another email address. Sign in with that address, or add and verify it on your account.',
};

/**
 * The page an invitation link opens: what the invitation is for, then Accept. Signed out, it offers
 * sign-in or sign-up in place and continues afterwards; signed in as someone else, it says so;
 * expired, revoked or unknown links are explained.
 */
export function AcceptInvitation({ token: given, onAccepted }: AcceptInvitationProps) {
  const client = useGatehouseClient();
  const { isLoaded, user } = useUser();
  const session = useSession();
  const list = useOrganizationList();
  const [token] = useState(() => given ?? tokenFromLocation());
  const [mode, setMode] = useState<'offer' | 'sign-in' | 'sign-up'>('offer');
  const [accepted, setAccepted] = useState<{ organizationId: string; alreadyMember: boolean }>();
  const inspected = useLoad(token ?? '', async () => (token ? (await client.invitations.inspect({ token })).invitation : undefined));
  const accept = useAction(async () => {
    if (!token) return;
    const result = await client.organizations.invitations.accept({ token });
    await list.refresh();
    await list.setActive(result.organizationId);
    setAccepted(result);
    onAccepted?.(result);
  });
  const stack = useRootProps('gh-stack');
  // Signing in or up in place brings the person back to the invitation.
  useEffect(() => {
    if (user) setMode('offer');
  }, [user]);

  if (!token) {
    return (
      <Card title={TITLE}>
        <Alert>This page needs the link from your invitation email. Open the link again, in full.</Alert>
      </Card>
    );
  }
  if (!isLoaded || (inspected.isLoading && !inspected.data)) return <LoadingCard label="Loading the invitation" />;
  if (inspected.error || !inspected.data) {
    return (
      <Card title={TITLE}>
        <Alert>{describeError(inspected.error, FAILURES).message}</Alert>
      </Card>
    );
  }
  const invitation = inspected.data;
  const orgName = invitation.organization.name;
  const inviter = invitation.inviter ? displayName({ ...invitation.inviter }) : undefined;

  if (accepted) {
    return (
      <Card title={`Welcome to ${orgName}`}>
        <Alert tone="success">
          {accepted.alreadyMember ? `You were already a member of ${orgName}.` : `You’ve joined ${orgName}.`} It’s now your active
          organization.
        </Alert>
      </Card>
    );
  }
  if (mode === 'sign-in' && !user) {
    return (
      <div {...stack}>
        <SignIn title={`Sign in to join ${orgName}`} />
        <p className="gh-aside">
          <Button variant="link" onClick={() => setMode('sign-up')}>
            No account yet? Create one
          </Button>
        </p>
      </div>
    );
  }
  if (mode === 'sign-up' && !user) {
    return (
      <div {...stack}>
        <SignUp title={`Create an account to join ${orgName}`} />
        <p className="gh-aside">
          <Button variant="link" onClick={() => setMode('sign-in')}>
            Already have an account? Sign in
          </Button>
        </p>
      </div>
    );
  }

  const closed =
    invitation.status === 'expired'
      ? FAILURES.invitation_expired
      : invitation.status === 'revoked'
        ? FAILURES.invitation_revoked
        : invitation.status === 'accepted'
          ? 'This invitation has already been accepted.'
          : undefined;
  const wrongAccount = user && !user.emails.some((e) => e.email.toLowerCase() === invitation.email.toLowerCase());
  const failure = accept.error ? describeError(accept.error, FAILURES).message : undefined;

  return (
    <Card
      title={`Join ${orgName}`}
      subtitle={
        inviter ? (
          <>
            {inviter} invited <span className="gh-email">{invitation.email}</span>
          </>
        ) : (
          <>
            An invitation for <span className="gh-email">{invitation.email}</span>
          </>
        )
      }
    >
      <div className="gh-invite-summary">
        <Avatar name={orgName} shape="square" size={44} />
        <div className="gh-list-main">
          <span className="gh-list-title">{orgName}</span>
          <span className="gh-list-meta">
            {invitation.status === 'pending' ? `Expires ${formatDate(invitation.expiresAt)}` : roleLabel(invitation.status)}
          </span>
        </div>
      </div>
      {closed ? <Alert>{closed}</Alert> : null}
      {!closed && failure ? <Alert>{failure}</Alert> : null}
      {!closed && !user ? (
        <div className="gh-form">
          <Alert tone="info">Sign in or create an account with {invitation.email} to accept.</Alert>
          <Button className="gh-block" onClick={() => setMode('sign-in')}>
            Sign in to accept
          </Button>
          <Button variant="secondary" className="gh-block" onClick={() => setMode('sign-up')}>
            Create an account
          </Button>
        </div>
      ) : null}
      {!closed && user && wrongAccount ? (
        <div className="gh-form">
          <Alert>
            You’re signed in as {user.email ?? displayName(user)}, but this invitation is for {invitation.email}. Sign out and sign in with
            that address.
          </Alert>
          <Button variant="secondary" className="gh-block" onClick={() => void session.signOut()}>
            Sign out
          </Button>
        </div>
      ) : null}
      {!closed && user && !wrongAccount ? (
        <Button className="gh-block" pending={accept.pending} onClick={() => void accept.run()}>
          Accept invitation
        </Button>
      ) : null}
    </Card>
  );
}

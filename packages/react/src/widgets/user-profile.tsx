import type { Client } from '@gatehouse/sdk';
import { type ComponentType, type FormEvent, useCallback, useId, useState } from 'react';
import { useGatehouseClient, useSession, useUser } from '../hooks.js';
import type { GatehouseUser } from '../provider.js';
import { Alert, Avatar, Button, Card, cx, describeError, displayName, Field, LoadingCard, useRootProps } from '../ui.js';
import {
  Badge,
  device,
  Item,
  LoadError,
  Panel,
  PlusIcon,
  ReauthProvider,
  RowMenu,
  RowMenuItem,
  relativeTime,
  Section,
  SkeletonRows,
  useLoad,
  useReauth,
  useStep,
} from './user-profile-parts.js';
import { ConnectedAccountsSection, PasskeysSection, PasswordSection, TwoStepSection } from './user-profile-security.js';

/** The tabs of {@link UserProfile}. */
export type UserProfileTab = 'profile' | 'security' | 'devices';

/** Props of {@link UserProfile}. */
export interface UserProfileProps {
  /** The tab shown first. Default `profile`. */
  defaultTab?: UserProfileTab;
}

const TABS: { key: UserProfileTab; label: string; heading: string; icon: ComponentType }[] = [
  { key: 'profile', label: 'Profile', heading: 'Profile details', icon: PersonIcon },
  { key: 'security', label: 'Security', heading: 'Security', icon: ShieldIcon },
  { key: 'devices', label: 'Devices', heading: 'Active devices', icon: DevicesIcon },
];

/**
 * The signed-in user's account page: profile and email addresses; password, authenticator app,
 * backup codes and passkeys; and the devices signed in, each of which can be signed out. Steps
 * the server guards (emails, second factors, passkeys) ask for the password again when needed.
 */
export function UserProfile({ defaultTab = 'profile' }: UserProfileProps) {
  const { isLoaded, user, error } = useUser();
  const { refresh } = useSession();
  const [tab, setTab] = useState<UserProfileTab>(defaultTab);
  const root = useRootProps('gh-profile');
  const headingId = useId();
  if (!isLoaded && error) {
    return (
      <Card title="Couldn’t load your account">
        <LoadError error={error} onRetry={() => void refresh()} />
      </Card>
    );
  }
  if (!isLoaded) return <LoadingCard label="Loading your account" />;
  if (!user) {
    return (
      <Card title="You’re signed out" subtitle="Sign in to manage your account.">
        {null}
      </Card>
    );
  }
  const current = TABS.find((t) => t.key === tab) ?? (TABS[0] as (typeof TABS)[number]);
  return (
    <ReauthProvider user={user}>
      <div {...root}>
        <nav className="gh-profile-nav" aria-label="Account">
          <div className="gh-profile-nav-header">
            <p className="gh-profile-nav-title">Account</p>
            <p className="gh-profile-nav-subtitle">Manage your account info.</p>
          </div>
          <ul>
            {TABS.map(({ key, label, icon: Icon }) => (
              <li key={key}>
                <button
                  type="button"
                  className="gh-profile-tab"
                  aria-current={key === tab ? 'page' : undefined}
                  onClick={() => setTab(key)}
                >
                  <Icon />
                  {label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <section className="gh-profile-content" aria-labelledby={headingId}>
          <h2 id={headingId} className="gh-profile-heading">
            {current.heading}
          </h2>
          {tab === 'profile' ? (
            <>
              <ProfileSection user={user} />
              <EmailsSection user={user} />
            </>
          ) : null}
          {tab === 'security' ? (
            <>
              <PasswordSection user={user} />
              <PasskeysSection />
              <ConnectedAccountsSection />
              <TwoStepSection user={user} />
            </>
          ) : null}
          {tab === 'devices' ? <DevicesSection /> : null}
        </section>
      </div>
    </ReauthProvider>
  );
}

function ProfileSection({ user }: { user: GatehouseUser }) {
  const client = useGatehouseClient();
  const { refresh } = useSession();
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ firstName: '', lastName: '', username: '', imageUrl: '' });
  const save = useStep(async () => {
    const blank = (v: string) => v.trim() || null;
    await client.me.update({
      firstName: blank(form.firstName),
      lastName: blank(form.lastName),
      username: blank(form.username),
      imageUrl: blank(form.imageUrl),
    });
    await refresh();
    setEditing(false);
  });
  const problem = save.error ? describeError(save.error, { conflict: 'That username is taken. Try another.' }) : undefined;
  const name = displayName(user);
  const open = () => {
    save.reset();
    setForm({
      firstName: user.firstName ?? '',
      lastName: user.lastName ?? '',
      username: user.username ?? '',
      imageUrl: user.imageUrl ?? '',
    });
    setEditing(true);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  return (
    <Section title="Profile">
      {editing ? (
        <Panel title="Update profile">
          <form className="gh-form" onSubmit={onSubmit} noValidate>
            {problem && Object.keys(problem.fields).length === 0 ? <Alert>{problem.message}</Alert> : null}
            <div className="gh-row">
              <Field
                label="First name"
                name="firstName"
                autoComplete="given-name"
                value={form.firstName}
                onChange={set('firstName')}
                error={problem?.fields.firstName}
              />
              <Field
                label="Last name"
                name="lastName"
                autoComplete="family-name"
                value={form.lastName}
                onChange={set('lastName')}
                error={problem?.fields.lastName}
              />
            </div>
            <Field
              label="Username"
              name="username"
              autoComplete="username"
              hint="3–64 letters, digits, dots, dashes or underscores."
              value={form.username}
              onChange={set('username')}
              error={problem?.fields.username}
            />
            <Field
              label="Profile image URL"
              name="imageUrl"
              type="url"
              placeholder="https://…"
              value={form.imageUrl}
              onChange={set('imageUrl')}
              error={problem?.fields.imageUrl}
            />
            <div className="gh-actions">
              <Button variant="secondary" onClick={() => setEditing(false)}>
                Cancel
              </Button>
              <Button type="submit" pending={save.pending}>
                Save
              </Button>
            </div>
          </form>
        </Panel>
      ) : (
        <ul className="gh-list">
          <Item
            icon={<Avatar name={name} imageUrl={user.imageUrl} size={44} />}
            end={
              <Button variant="link" onClick={open}>
                Update profile
              </Button>
            }
          >
            <span className="gh-item-title">{name}</span>
            {user.username ? <span className="gh-item-meta">@{user.username}</span> : null}
          </Item>
        </ul>
      )}
    </Section>
  );
}

type PendingEmail = Awaited<ReturnType<Client['me']['emails']['add']>>['pendingEmail'];

function EmailsSection({ user }: { user: GatehouseUser }) {
  const client = useGatehouseClient();
  const guard = useReauth();
  const { refresh } = useSession();
  const [adding, setAdding] = useState(false);
  const [email, setEmail] = useState('');
  const [pending, setPending] = useState<PendingEmail | null>(null);
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  const add = useStep(async () => {
    const answer = await guard(() => client.me.emails.add({ email }));
    setPending(answer.pendingEmail);
    setCode('');
  });
  const verify = useStep(async () => {
    if (!pending) return;
    await client.me.emails.verify({ emailId: pending.id, code });
    await refresh();
    setNotice(`${pending.email} is verified and added to your account.`);
    setPending(null);
    setAdding(false);
    setEmail('');
  });
  const change = useStep(async (kind: 'primary' | 'remove', emailId: string, address: string) => {
    setNotice(null);
    if (kind === 'primary') await guard(() => client.me.emails.makePrimary({ emailId }));
    else await guard(() => client.me.emails.delete({ emailId }));
    await refresh();
    setNotice(kind === 'primary' ? `${address} is now your primary email address.` : `${address} was removed.`);
  });
  const cancel = () => {
    if (pending) void client.me.emails.delete({ emailId: pending.id }).catch(() => undefined);
    setPending(null);
    setAdding(false);
    setEmail('');
    add.reset();
    verify.reset();
  };
  const active = pending ? verify : add;
  const problem = active.error
    ? describeError(active.error, {
        conflict: 'That address is already in use.',
        invalid_credentials: 'That code isn’t right. Check it and try again.',
      })
    : undefined;
  const changeProblem = change.error ? describeError(change.error).message : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void active.run();
  };
  return (
    <Section title="Email addresses">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {changeProblem ? <Alert>{changeProblem}</Alert> : null}
      <ul className="gh-list">
        {user.emails.map((e) => (
          <Item
            key={e.id}
            end={
              e.primary ? undefined : (
                <RowMenu label={`Options for ${e.email}`}>
                  {e.verified ? <RowMenuItem onSelect={() => void change.run('primary', e.id, e.email)}>Make primary</RowMenuItem> : null}
                  <RowMenuItem danger onSelect={() => void change.run('remove', e.id, e.email)}>
                    Remove email
                  </RowMenuItem>
                </RowMenu>
              )
            }
          >
            <span className="gh-item-title">
              {e.email}
              {e.primary ? <Badge tone="primary">Primary</Badge> : null}
              {e.verified ? null : <Badge tone="warning">Unverified</Badge>}
            </span>
          </Item>
        ))}
      </ul>
      {adding ? (
        <Panel title={pending ? 'Verify email address' : 'Add email address'}>
          <form className="gh-form" onSubmit={onSubmit} noValidate>
            {problem && !problem.fields.email && !problem.fields.code ? <Alert>{problem.message}</Alert> : null}
            {pending ? (
              <>
                <p className="gh-panel-text">
                  We sent a 6-digit code to <span className="gh-email">{pending.email}</span>. It expires in 10 minutes.
                </p>
                <Field
                  className="gh-code"
                  label="Verification code"
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  placeholder="000000"
                  value={code}
                  onChange={(ev) => setCode(ev.target.value)}
                  error={problem?.fields.code}
                  autoFocus
                />
              </>
            ) : (
              <Field
                label="Email address"
                name="email"
                type="email"
                autoComplete="email"
                hint="You’ll need to verify it before you can use it."
                value={email}
                onChange={(ev) => setEmail(ev.target.value)}
                error={problem?.fields.email}
                autoFocus
              />
            )}
            <div className="gh-actions">
              <Button variant="secondary" onClick={cancel}>
                Cancel
              </Button>
              <Button type="submit" pending={active.pending} disabled={pending ? !code.trim() : !email.trim()}>
                {pending ? 'Verify' : 'Add'}
              </Button>
            </div>
          </form>
        </Panel>
      ) : (
        <Button
          variant="ghost"
          className="gh-add"
          onClick={() => {
            setNotice(null);
            setAdding(true);
          }}
        >
          <PlusIcon />
          Add email address
        </Button>
      )}
    </Section>
  );
}

type SessionRow = Awaited<ReturnType<Client['me']['sessions']['list']>>['sessions'][number];

function DevicesSection() {
  const client = useGatehouseClient();
  const load = useCallback(async () => {
    const rows: SessionRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.me.sessions.list({ limit: 100, ...(cursor ? { cursor } : {}) });
      rows.push(...page.sessions);
      cursor = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
    } while (cursor);
    return rows;
  }, [client]);
  const sessions = useLoad(load);
  const [notice, setNotice] = useState<string | null>(null);
  const revoke = useStep(async (session: SessionRow) => {
    setNotice(null);
    await client.me.sessions.revoke({ sessionId: session.id });
    await sessions.reload();
    setNotice(`${device(session.userAgent).title} was signed out.`);
  });
  const revokeOthers = useStep(async () => {
    setNotice(null);
    const { revoked } = await client.me.sessions.revokeOthers();
    await sessions.reload();
    setNotice(revoked === 1 ? 'One other device was signed out.' : `${revoked} other devices were signed out.`);
  });
  const failed = revoke.error ?? revokeOthers.error;
  const others = sessions.data?.filter((s) => !s.current) ?? [];
  return (
    <Section title="Signed in">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {failed ? <Alert>{describeError(failed).message}</Alert> : null}
      {sessions.error ? (
        <LoadError error={sessions.error} onRetry={() => void sessions.reload()} />
      ) : !sessions.data ? (
        <SkeletonRows label="Loading your devices" count={3} />
      ) : (
        <>
          <ul className="gh-list">
            {sessions.data.map((s) => {
              const d = device(s.userAgent);
              return (
                <Item
                  key={s.id}
                  icon={<DeviceIcon mobile={d.mobile} />}
                  end={
                    s.current ? undefined : (
                      <Button variant="secondary" className="gh-button-small" pending={revoke.pending} onClick={() => void revoke.run(s)}>
                        Sign out<span className="gh-sr-only"> {d.title}</span>
                      </Button>
                    )
                  }
                >
                  <span className="gh-item-title">
                    {d.title}
                    {s.current ? <Badge tone="success">This device</Badge> : null}
                  </span>
                  <span className="gh-item-meta">
                    {[s.ip, s.current ? 'Active now' : `Last active ${relativeTime(s.lastActiveAt)}`].filter(Boolean).join(' · ')}
                  </span>
                </Item>
              );
            })}
          </ul>
          {others.length > 0 ? (
            <Button
              variant="ghost"
              className={cx('gh-add', 'gh-add-danger')}
              pending={revokeOthers.pending}
              onClick={() => void revokeOthers.run()}
            >
              Sign out of all other devices
            </Button>
          ) : (
            <p className="gh-empty">You’re signed in on this device only.</p>
          )}
        </>
      )}
    </Section>
  );
}

function PersonIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M10 10a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-7 8a7 7 0 0 1 14 0 1 1 0 0 1-1 1H4a1 1 0 0 1-1-1Z" />
    </svg>
  );
}

function ShieldIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M9.6 1.6a1 1 0 0 1 .8 0l6 2.6a1 1 0 0 1 .6.9V9c0 4.1-2.7 7.6-6.7 9a1 1 0 0 1-.6 0C5.7 16.6 3 13.1 3 9V5.1a1 1 0 0 1 .6-.9l6-2.6Zm3.1 6.1a1 1 0 0 0-1.4-1.4L9 8.6l-.3-.3a1 1 0 0 0-1.4 1.4l1 1a1 1 0 0 0 1.4 0l3-3Z"
      />
    </svg>
  );
}

function DevicesIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M3 4a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2h-4v2h2a1 1 0 1 1 0 2H7a1 1 0 1 1 0-2h2v-2H5a2 2 0 0 1-2-2V4Zm2 0v7h10V4H5Z"
      />
    </svg>
  );
}

function DeviceIcon({ mobile }: { mobile: boolean }) {
  return mobile ? (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M6 1h8a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2Zm0 2v14h8V3H6Zm3 11h2a1 1 0 1 1 0 2H9a1 1 0 1 1 0-2Z"
      />
    </svg>
  ) : (
    <DevicesIcon />
  );
}

import type { Client } from '@gatehouse/sdk';
import { browserSupportsWebAuthn, startRegistration, WebAuthnError } from '@simplewebauthn/browser';
import { type FormEvent, useCallback, useState } from 'react';
import { useGatehouseClient, useSession } from '../hooks.js';
import type { GatehouseUser } from '../provider.js';
import { Alert, Button, describeError, Field } from '../ui.js';
import {
  Badge,
  CopyButton,
  device,
  Item,
  LoadError,
  Panel,
  PlusIcon,
  RowMenu,
  RowMenuItem,
  relativeTime,
  Section,
  SkeletonRows,
  shortDate,
  useLoad,
  useReauth,
  useStep,
} from './user-profile-parts.js';

export function PasswordSection({ user }: { user: GatehouseUser }) {
  const client = useGatehouseClient();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const mismatch = form.confirm !== '' && form.next !== form.confirm;
  const change = useStep(async () => {
    await client.me.password.change({ currentPassword: form.current, newPassword: form.next });
    setOpen(false);
    setForm({ current: '', next: '', confirm: '' });
    setNotice('Password changed. Your other devices were signed out.');
  });
  const problem = change.error ? describeError(change.error, { invalid_credentials: 'Your current password isn’t right.' }) : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!mismatch) void change.run();
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  if (!user.hasPassword) {
    return (
      <Section title="Password">
        <p className="gh-empty">Your account signs in without a password.</p>
      </Section>
    );
  }
  return (
    <Section title="Password">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {open ? (
        <Panel title="Change password">
          <form className="gh-form" onSubmit={onSubmit} noValidate>
            {problem ? <Alert>{problem.message}</Alert> : null}
            <Field
              label="Current password"
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              value={form.current}
              onChange={set('current')}
              error={problem?.fields.currentPassword}
              autoFocus
            />
            <Field
              label="New password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              hint="At least 8 characters."
              value={form.next}
              onChange={set('next')}
              error={problem?.fields.newPassword}
            />
            <Field
              label="Confirm new password"
              name="confirmPassword"
              type="password"
              autoComplete="new-password"
              value={form.confirm}
              onChange={set('confirm')}
              error={mismatch ? 'The passwords don’t match.' : undefined}
            />
            <div className="gh-actions">
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" pending={change.pending} disabled={!form.current || !form.next || mismatch}>
                Change password
              </Button>
            </div>
          </form>
        </Panel>
      ) : (
        <ul className="gh-list">
          <Item
            end={
              <Button
                variant="link"
                onClick={() => {
                  change.reset();
                  setNotice(null);
                  setOpen(true);
                }}
              >
                Change password
              </Button>
            }
          >
            <span className="gh-item-title gh-dots" aria-hidden="true">
              ••••••••••
            </span>
            <span className="gh-sr-only">Your password is set.</span>
          </Item>
        </ul>
      )}
    </Section>
  );
}

type Passkey = Awaited<ReturnType<Client['me']['passkeys']['list']>>['passkeys'][number];
type RegistrationOptions = Parameters<typeof startRegistration>[0]['optionsJSON'];
type RegistrationAnswer = Parameters<Client['me']['passkeys']['register']>[0]['response'];

/** What a browser's WebAuthn refusal means: cancelled, timed out, or a passkey this account already has. */
function passkeyProblem(error: unknown): string | undefined {
  if (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') {
    return 'This device already has a passkey for your account.';
  }
  if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) {
    return 'The passkey wasn’t created: the request was cancelled or timed out.';
  }
  return undefined;
}

export function PasskeysSection() {
  const client = useGatehouseClient();
  const guard = useReauth();
  const load = useCallback(async () => (await client.me.passkeys.list()).passkeys, [client]);
  const passkeys = useLoad(load);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const add = useStep(async () => {
    setNotice(null);
    const { options } = await guard(() => client.me.passkeys.registerOptions());
    const response = await startRegistration({ optionsJSON: options as RegistrationOptions });
    // Named after this browser and system ("Chrome on macOS"), so the list tells passkeys apart; rename to taste.
    const name = device(navigator.userAgent).title;
    const { passkey } = await client.me.passkeys.register({ response: response as RegistrationAnswer, name });
    await passkeys.reload();
    setNotice(`Passkey “${passkey.name}” added. You can now sign in with it.`);
  });
  const remove = useStep(async (passkey: Passkey) => {
    setNotice(null);
    await guard(() => client.me.passkeys.delete({ passkeyId: passkey.id }));
    await passkeys.reload();
    setNotice(`Passkey “${passkey.name}” removed.`);
  });
  const rename = useStep(async () => {
    if (!renaming) return;
    await client.me.passkeys.rename({ passkeyId: renaming.id, name: renaming.name });
    setRenaming(null);
    await passkeys.reload();
  });
  const failed = add.error ?? remove.error;
  const message = failed
    ? (passkeyProblem(failed) ??
      describeError(failed, { conflict: 'That passkey can’t be removed: it’s your only way to sign in. Set a password first.' }).message)
    : undefined;
  const renameProblem = rename.error ? describeError(rename.error) : undefined;
  const supported = browserSupportsWebAuthn();
  return (
    <Section title="Passkeys">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {message ? <Alert>{message}</Alert> : null}
      {passkeys.error ? (
        <LoadError error={passkeys.error} onRetry={() => void passkeys.reload()} />
      ) : !passkeys.data ? (
        <SkeletonRows label="Loading your passkeys" />
      ) : passkeys.data.length === 0 ? (
        <p className="gh-empty">No passkeys yet. A passkey signs you in with your fingerprint, face or screen lock.</p>
      ) : (
        <ul className="gh-list">
          {passkeys.data.map((p) =>
            renaming?.id === p.id ? (
              <li key={p.id}>
                <Panel title="Rename passkey">
                  <form
                    className="gh-form"
                    onSubmit={(event) => {
                      event.preventDefault();
                      void rename.run();
                    }}
                    noValidate
                  >
                    {renameProblem && !renameProblem.fields.name ? <Alert>{renameProblem.message}</Alert> : null}
                    <Field
                      label="Passkey name"
                      name="name"
                      maxLength={64}
                      value={renaming.name}
                      onChange={(e) => setRenaming({ ...renaming, name: e.target.value })}
                      error={renameProblem?.fields.name}
                      autoFocus
                    />
                    <div className="gh-actions">
                      <Button variant="secondary" onClick={() => setRenaming(null)}>
                        Cancel
                      </Button>
                      <Button type="submit" pending={rename.pending} disabled={!renaming.name.trim()}>
                        Save
                      </Button>
                    </div>
                  </form>
                </Panel>
              </li>
            ) : (
              <Item
                key={p.id}
                icon={<KeyIcon />}
                end={
                  <RowMenu label={`Options for passkey ${p.name}`}>
                    <RowMenuItem
                      onSelect={() => {
                        rename.reset();
                        setNotice(null);
                        setRenaming({ id: p.id, name: p.name });
                      }}
                    >
                      Rename
                    </RowMenuItem>
                    <RowMenuItem danger onSelect={() => void remove.run(p)}>
                      Remove passkey
                    </RowMenuItem>
                  </RowMenu>
                }
              >
                <span className="gh-item-title">
                  {p.name}
                  {p.backedUp ? <Badge>Synced</Badge> : null}
                </span>
                <span className="gh-item-meta">
                  Created {shortDate(p.createdAt)} · {p.lastUsedAt ? `Last used ${relativeTime(p.lastUsedAt)}` : 'Never used'}
                </span>
              </Item>
            ),
          )}
        </ul>
      )}
      {supported ? (
        <Button variant="ghost" className="gh-add" pending={add.pending} onClick={() => void add.run()}>
          <PlusIcon />
          Add a passkey
        </Button>
      ) : (
        <p className="gh-empty">This browser can’t create passkeys.</p>
      )}
    </Section>
  );
}

type SocialConnection = Awaited<ReturnType<Client['me']['socialConnections']['list']>>['connections'][number];

/**
 * The provider accounts (Google, GitHub, an OpenID provider…) that sign this user in. Shown only
 * when there is one: accounts are linked at sign-in, not from here.
 */
export function ConnectedAccountsSection() {
  const client = useGatehouseClient();
  const guard = useReauth();
  const load = useCallback(async () => (await client.me.socialConnections.list()).connections, [client]);
  const connections = useLoad(load);
  const [notice, setNotice] = useState<string | null>(null);
  const unlink = useStep(async (connection: SocialConnection) => {
    setNotice(null);
    await guard(() => client.me.socialConnections.unlink({ connectionId: connection.id }));
    await connections.reload();
    setNotice(`${connection.providerName} is no longer connected.`);
  });
  const message = unlink.error
    ? describeError(unlink.error, {
        conflict: 'That account can’t be disconnected: it’s your only way to sign in. Add a passkey first.',
      }).message
    : undefined;
  if (!connections.error && connections.data?.length === 0 && !notice) return null;
  return (
    <Section title="Connected accounts">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {message ? <Alert>{message}</Alert> : null}
      {connections.error ? (
        <LoadError error={connections.error} onRetry={() => void connections.reload()} />
      ) : !connections.data ? (
        <SkeletonRows label="Loading your connected accounts" />
      ) : connections.data.length === 0 ? (
        <p className="gh-empty">No connected accounts.</p>
      ) : (
        <ul className="gh-list">
          {connections.data.map((c) => (
            <Item
              key={c.id}
              icon={<LinkIcon />}
              end={
                <RowMenu label={`Options for ${c.providerName}`}>
                  <RowMenuItem danger onSelect={() => void unlink.run(c)}>
                    Disconnect
                  </RowMenuItem>
                </RowMenu>
              }
            >
              <span className="gh-item-title">{c.providerName}</span>
              <span className="gh-item-meta">
                {c.email ? `${c.email} · ` : ''}Connected {shortDate(c.createdAt)}
                {c.lastUsedAt ? ` · Last used ${relativeTime(c.lastUsedAt)}` : ''}
              </span>
            </Item>
          ))}
        </ul>
      )}
    </Section>
  );
}

function LinkIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8.6 11.4a1 1 0 0 1 0-1.4l1.4-1.4a1 1 0 1 1 1.4 1.4L10 11.4a1 1 0 0 1-1.4 0Zm-2.1 4.9a3.5 3.5 0 0 1-2.5-6l2-2a1 1 0 1 1 1.4 1.4l-2 2a1.5 1.5 0 0 0 2.1 2.1l2-2a1 1 0 1 1 1.4 1.4l-2 2a3.5 3.5 0 0 1-2.4 1.1Zm6.4-5.2a1 1 0 0 1-.7-1.7l2-2A1.5 1.5 0 0 0 12.1 5.3l-2 2a1 1 0 1 1-1.4-1.4l2-2a3.5 3.5 0 0 1 4.9 4.9l-2 2a1 1 0 0 1-.7.3Z"
      />
    </svg>
  );
}

type Enrolment = Awaited<ReturnType<Client['me']['mfa']['totp']['enroll']>>;

export function TwoStepSection({ user }: { user: GatehouseUser }) {
  const client = useGatehouseClient();
  const guard = useReauth();
  const { refresh } = useSession();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const start = useStep(async () => {
    setNotice(null);
    setCode('');
    setEnrolment(await guard(() => client.me.mfa.totp.enroll()));
  });
  const confirm = useStep(async () => {
    const { user: updated } = await client.me.mfa.totp.verify({ code });
    setEnrolment(null);
    // A new authenticator comes with backup codes, so a lost phone doesn't lock the account.
    if (updated.backupCodesRemaining === 0) setCodes((await guard(() => client.me.mfa.backupCodes.regenerate())).backupCodes);
    else setNotice('Authenticator app added.');
    await refresh();
  });
  const remove = useStep(async () => {
    setNotice(null);
    await guard(() => client.me.mfa.totp.delete());
    await refresh();
    setNotice('Authenticator app removed.');
  });
  const regenerate = useStep(async () => {
    setNotice(null);
    setCodes((await guard(() => client.me.mfa.backupCodes.regenerate())).backupCodes);
    await refresh();
  });
  const failed = start.error ?? remove.error ?? regenerate.error;
  const confirmProblem = confirm.error ? describeError(confirm.error) : undefined;
  const onConfirm = (event: FormEvent) => {
    event.preventDefault();
    void confirm.run();
  };
  const qr = enrolment ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}` : undefined;

  return (
    <Section title="Two-step verification">
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {failed ? <Alert>{describeError(failed, { conflict: 'An authenticator app is already set up.' }).message}</Alert> : null}
      <ul className="gh-list">
        <Item
          icon={<PhoneIcon />}
          end={
            user.totpEnabled ? (
              <RowMenu label="Options for authenticator app">
                <RowMenuItem danger onSelect={() => void remove.run()}>
                  Remove authenticator app
                </RowMenuItem>
              </RowMenu>
            ) : enrolment ? undefined : (
              <Button variant="secondary" className="gh-button-small" pending={start.pending} onClick={() => void start.run()}>
                Set up
              </Button>
            )
          }
        >
          <span className="gh-item-title">
            Authenticator app
            {user.totpEnabled ? <Badge tone="success">Enabled</Badge> : null}
          </span>
          <span className="gh-item-meta">
            {user.totpEnabled ? 'Codes from your app are asked after your password.' : 'Use an app’s 6-digit codes as a second step.'}
          </span>
        </Item>
        {user.totpEnabled || user.backupCodesRemaining > 0 ? (
          <Item
            icon={<ListIcon />}
            end={
              <Button variant="secondary" className="gh-button-small" pending={regenerate.pending} onClick={() => void regenerate.run()}>
                Regenerate
              </Button>
            }
          >
            <span className="gh-item-title">Backup codes</span>
            <span className="gh-item-meta">
              {user.backupCodesRemaining === 1 ? '1 code left' : `${user.backupCodesRemaining} codes left`} · each works once
            </span>
          </Item>
        ) : null}
      </ul>
      {enrolment ? (
        <Panel title="Add authenticator app">
          <div className="gh-steps">
            <div className="gh-step">
              <p className="gh-panel-text">Scan this QR code with your authenticator app (1Password, Google Authenticator, Authy…).</p>
              <div className="gh-qr">
                <img src={qr} alt="QR code to add Gatehouse to your authenticator app" width={168} height={168} />
              </div>
              <p className="gh-panel-text">
                Can’t scan it? Enter this key instead:
                <span className="gh-secret">
                  <code>{enrolment.secret}</code>
                  <CopyButton text={enrolment.secret} label="Copy key" />
                </span>
              </p>
            </div>
            <div className="gh-step">
              <form className="gh-form" onSubmit={onConfirm} noValidate>
                {confirmProblem && !confirmProblem.fields.code ? <Alert>{confirmProblem.message}</Alert> : null}
                <Field
                  className="gh-code"
                  label="Enter the 6-digit code from the app"
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  placeholder="000000"
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  error={confirmProblem?.fields.code ? 'That code isn’t right. Check the app and try again.' : undefined}
                />
                <div className="gh-actions">
                  <Button variant="secondary" onClick={() => setEnrolment(null)}>
                    Cancel
                  </Button>
                  <Button type="submit" pending={confirm.pending} disabled={!code.trim()}>
                    Verify and enable
                  </Button>
                </div>
              </form>
            </div>
          </div>
        </Panel>
      ) : null}
      {codes ? (
        <Panel title="Your backup codes">
          <p className="gh-panel-text">
            Each code signs you in once if you lose your phone. Save them somewhere safe: they won’t be shown again.
          </p>
          <ul className="gh-codes" aria-label="Backup codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <div className="gh-actions">
            <CopyButton text={codes.join('\n')} label="Copy all" />
            <Button onClick={() => setCodes(null)}>I’ve saved them</Button>
          </div>
        </Panel>
      ) : null}
    </Section>
  );
}

function KeyIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12.5 2a5.5 5.5 0 0 0-5.2 7.3L2.3 14.3a1 1 0 0 0-.3.7v2a1 1 0 0 0 1 1h2a1 1 0 0 0 1-1v-1h1a1 1 0 0 0 1-1v-1h1a1 1 0 0 0 .7-.3l.4-.4A5.5 5.5 0 1 0 12.5 2Zm1.5 3a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Z"
      />
    </svg>
  );
}

function PhoneIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M6 1h8a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2Zm0 2v14h8V3H6Zm3 11h2a1 1 0 1 1 0 2H9a1 1 0 1 1 0-2Z"
      />
    </svg>
  );
}

function ListIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M4 3h12a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm1 4a1 1 0 0 0 0 2h4a1 1 0 0 0 0-2H5Zm0 4a1 1 0 1 0 0 2h6a1 1 0 1 0 0-2H5Z"
      />
    </svg>
  );
}

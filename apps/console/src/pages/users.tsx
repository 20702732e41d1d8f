import type { BackendUser } from '@gatehouse/sdk';
import { useState } from 'react';
import { Link, useRouter } from '../router.js';
import {
  Avatar,
  Badge,
  ConfirmButton,
  ErrorNote,
  Facts,
  Field,
  FormButton,
  Loading,
  OneTimeSecret,
  PageHeader,
  Pager,
  SearchBox,
  Section,
  Table,
  useApi,
  useLoad,
  usePaged,
  when,
} from '../ui.js';

export function nameOf(user: { firstName: string | null; lastName: string | null; email: string | null }): string {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email || 'Unnamed user';
}

/** A user id, or the id of the user with this email address. */
export async function resolveUser(api: ReturnType<typeof useApi>, value: string): Promise<string> {
  if (!value.includes('@')) return value;
  const found = await api.users.list({ email: value.toLowerCase(), limit: 1 });
  const user = found.data[0];
  if (!user) throw new Error(`No user has the email ${value}. Create the user first, or send an invitation.`);
  return user.id;
}

/** Metadata as the operator types it: a JSON object, or nothing. */
function parseMetadata(text: string | undefined, field: string): Record<string, unknown> | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${field} must be a JSON object, like {"plan": "pro"}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${field} must be a JSON object.`);
  return value as Record<string, unknown>;
}

export function UsersPage() {
  const api = useApi();
  const { navigate, location } = useRouter();
  const [search, setSearch] = useState(location.query.get('search') ?? '');
  const paged = usePaged((cursor) => api.users.list({ limit: 20, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) }), [search]);
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with an account on this instance."
        actions={
          <FormButton
            label="Create user"
            title="Create a user"
            description="The email is marked verified. Without a password the user signs in with a code or a passkey."
            submitLabel="Create user"
            onSubmit={async (v) => {
              const user = await api.users.create({
                email: v.email ?? '',
                ...(v.firstName ? { firstName: v.firstName } : {}),
                ...(v.lastName ? { lastName: v.lastName } : {}),
                ...(v.password ? { password: v.password } : {}),
              });
              navigate(`users/${user.id}`);
            }}
          >
            <Field label="Email address" name="email" type="email" required autoComplete="off" />
            <div className="cx-two">
              <Field label="First name" name="firstName" autoComplete="off" />
              <Field label="Last name" name="lastName" autoComplete="off" />
            </div>
            <Field label="Password" name="password" type="password" autoComplete="new-password" hint="Optional. At least 8 characters." />
          </FormButton>
        }
      />
      <div className="cx-toolbar">
        <SearchBox label="Search users" placeholder="Search by email, name or username" defaultValue={search} onSearch={setSearch} />
      </div>
      <ErrorNote error={paged.error} />
      {paged.loading && !paged.data ? (
        <Loading />
      ) : (
        <Table label="Users" columns={['User', 'Sign-in', 'Created', '']} empty={search ? `No user matches “${search}”.` : 'No users yet.'}>
          {paged.data?.data.map((u) => (
            <tr key={u.id}>
              <td>
                <Link to={`users/${u.id}`} className="cx-identity">
                  <Avatar name={nameOf(u)} imageUrl={u.imageUrl} size={32} />
                  <span className="cx-identity-text">
                    <span className="cx-identity-name">{nameOf(u)}</span>
                    <span className="cx-muted">{u.email ?? u.username ?? u.id}</span>
                  </span>
                </Link>
              </td>
              <td>
                <span className="cx-badges">
                  {u.hasPassword ? <Badge>Password</Badge> : null}
                  {u.totpEnabled ? <Badge tone="accent">TOTP</Badge> : null}
                </span>
              </td>
              <td className="cx-muted">{when(u.createdAt)}</td>
              <td className="cx-cell-actions">
                <Link to={`users/${u.id}`} className="cx-row-link" aria-label={`Open ${nameOf(u)}`}>
                  Open
                </Link>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager paged={paged} />
    </>
  );
}

function Json({ value }: { value: unknown }) {
  const text = JSON.stringify(value, null, 2);
  return <pre className="cx-json">{text === '{}' ? '{ }' : text}</pre>;
}

export function UserDetail({ userId }: { userId: string }) {
  const api = useApi();
  const { navigate } = useRouter();
  const user = useLoad(() => api.users.get(userId), [userId]);
  const u = user.data;
  if (user.error && !u) {
    return (
      <>
        <PageHeader back={<Link to="users">← Users</Link>} title="User" />
        <ErrorNote error={user.error} />
      </>
    );
  }
  if (!u) return <Loading />;
  return (
    <>
      <PageHeader
        back={<Link to="users">← Users</Link>}
        title={
          <span className="cx-title-identity">
            <Avatar name={nameOf(u)} imageUrl={u.imageUrl} size={40} />
            {nameOf(u)}
          </span>
        }
        description={
          <>
            <code>{u.id}</code> · created {when(u.createdAt)}
          </>
        }
        actions={
          <ConfirmButton
            label="Delete user"
            variant="danger"
            title={`Delete ${nameOf(u)}?`}
            description="Their sessions, passkeys and memberships go with them. This cannot be undone."
            confirmLabel="Delete user"
            onConfirm={async () => {
              await api.users.delete(u.id);
              navigate('users');
            }}
            explain={(e) =>
              e.code === 'last_owner' ? (
                <>
                  <strong>This user is the last owner of an organization.</strong> Make another member an owner, or delete the organization,
                  first:{' '}
                  {((e.details as { organizationIds?: string[] } | undefined)?.organizationIds ?? []).map((id) => (
                    <Link key={id} to={`organizations/${id}`}>
                      {id}
                    </Link>
                  ))}
                </>
              ) : undefined
            }
          />
        }
      />
      <ErrorNote error={user.error} />
      <div className="cx-grid">
        <Profile user={u} onChange={user.reload} />
        <Security user={u} onChange={user.reload} />
      </div>
      <Contacts user={u} onChange={user.reload} />
      <Sessions userId={u.id} />
      <Passkeys userId={u.id} />
      <Memberships userId={u.id} />
    </>
  );
}

function Profile({ user: u, onChange }: { user: BackendUser; onChange(): void }) {
  const api = useApi();
  return (
    <Section
      title="Profile"
      actions={
        <FormButton
          label="Edit"
          variant="secondary"
          title="Edit profile and metadata"
          submitLabel="Save"
          onSubmit={async (v) => {
            const publicMetadata = parseMetadata(v.publicMetadata, 'Public metadata');
            const privateMetadata = parseMetadata(v.privateMetadata, 'Private metadata');
            await api.users.update(u.id, {
              firstName: v.firstName || null,
              lastName: v.lastName || null,
              ...(publicMetadata ? { publicMetadata } : {}),
              ...(privateMetadata ? { privateMetadata } : {}),
            });
            onChange();
          }}
        >
          <div className="cx-two">
            <Field label="First name" name="firstName" defaultValue={u.firstName ?? ''} autoComplete="off" />
            <Field label="Last name" name="lastName" defaultValue={u.lastName ?? ''} autoComplete="off" />
          </div>
          <MetadataField label="Public metadata" name="publicMetadata" value={u.publicMetadata} />
          <MetadataField label="Private metadata" name="privateMetadata" value={u.privateMetadata} />
        </FormButton>
      }
    >
      <Facts
        items={[
          ['Username', u.username ?? '—'],
          ['Public metadata', <Json key="pm" value={u.publicMetadata} />],
          ['Private metadata', <Json key="pv" value={u.privateMetadata} />],
          ['Updated', when(u.updatedAt)],
        ]}
      />
    </Section>
  );
}

function MetadataField({ label, name, value }: { label: string; name: string; value: Record<string, unknown> }) {
  const id = `cx-${name}`;
  return (
    <div className="gh-field">
      <label className="gh-label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        className="gh-input cx-textarea"
        rows={3}
        defaultValue={JSON.stringify(value, null, 2)}
        spellCheck={false}
      />
    </div>
  );
}

function Security({ user: u, onChange }: { user: BackendUser; onChange(): void }) {
  const api = useApi();
  return (
    <Section title="Security" description="Second factors of this user.">
      <div className="cx-setting">
        <div>
          <div className="cx-setting-title">
            Authenticator app (TOTP) {u.totpEnabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
          </div>
          <p className="cx-muted">Resetting removes the authenticator; the user can set up a new one after signing in.</p>
        </div>
        {u.totpEnabled ? (
          <ConfirmButton
            label="Reset TOTP"
            title="Reset the authenticator?"
            description={`${nameOf(u)} will sign in without a code until they set up a new authenticator.`}
            confirmLabel="Reset TOTP"
            onConfirm={async () => {
              await api.users.mfa.deleteAuthenticator(u.id);
              onChange();
            }}
          />
        ) : null}
      </div>
      <div className="cx-setting">
        <div>
          <div className="cx-setting-title">Backup codes</div>
          <p className="cx-muted">{u.backupCodesRemaining} left. New codes replace every earlier one.</p>
        </div>
        <FormButton
          label="New backup codes"
          variant="secondary"
          title="Make new backup codes?"
          description="The earlier codes stop working at once. Give the new ones to the user through a safe channel."
          submitLabel="Make new codes"
          onSubmit={async () => {
            const { backupCodes } = await api.users.mfa.regenerateBackupCodes(u.id);
            onChange();
            return <OneTimeSecret label="Backup codes" value={backupCodes.join('  ')} />;
          }}
        >
          {null}
        </FormButton>
      </div>
      <div className="cx-setting">
        <div>
          <div className="cx-setting-title">Password {u.hasPassword ? <Badge tone="success">Set</Badge> : <Badge>None</Badge>}</div>
        </div>
      </div>
    </Section>
  );
}

function Sessions({ userId }: { userId: string }) {
  const api = useApi();
  const paged = usePaged((cursor) => api.users.sessions.list(userId, { limit: 10, ...(cursor ? { cursor } : {}) }), [userId]);
  const count = paged.data?.data.length ?? 0;
  return (
    <Section
      title="Sessions"
      description="Active sign-ins of this user, newest activity first."
      actions={
        count > 0 ? (
          <ConfirmButton
            label="Revoke all"
            title="Revoke every session?"
            description="The user is signed out everywhere at once."
            confirmLabel="Revoke all sessions"
            onConfirm={async () => {
              await api.users.sessions.revokeAll(userId);
              paged.reload();
            }}
          />
        ) : null
      }
    >
      <ErrorNote error={paged.error} />
      <Table label="Sessions" columns={['Device', 'IP', 'Last active', 'Expires', '']} empty="No active sessions.">
        {paged.data?.data.map((s) => (
          <tr key={s.id}>
            <td>
              <span className="cx-ellipsis" title={s.userAgent ?? ''}>
                {s.userAgent ?? 'Unknown device'}
              </span>
            </td>
            <td className="cx-mono">{s.ip ?? '—'}</td>
            <td className="cx-muted">{when(s.lastActiveAt)}</td>
            <td className="cx-muted">{when(s.expiresAt)}</td>
            <td className="cx-cell-actions">
              <ConfirmButton
                label="Revoke"
                variant="ghost"
                title="Revoke this session?"
                description="That device is signed out at once."
                confirmLabel="Revoke session"
                onConfirm={async () => {
                  await api.users.sessions.revoke(userId, s.id);
                  paged.reload();
                }}
              />
            </td>
          </tr>
        ))}
      </Table>
      <Pager paged={paged} />
    </Section>
  );
}

function Passkeys({ userId }: { userId: string }) {
  const api = useApi();
  const list = useLoad(() => api.users.passkeys.list(userId), [userId]);
  return (
    <Section title="Passkeys">
      <ErrorNote error={list.error} />
      <Table label="Passkeys" columns={['Name', 'Type', 'Created', 'Last used', '']} empty="No passkeys.">
        {list.data?.data.map((p) => (
          <tr key={p.id}>
            <td>{p.name}</td>
            <td>
              {p.deviceType === 'multiDevice' ? 'Synced' : 'Device-bound'} {p.backedUp ? <Badge tone="success">Backed up</Badge> : null}
            </td>
            <td className="cx-muted">{when(p.createdAt)}</td>
            <td className="cx-muted">{when(p.lastUsedAt)}</td>
            <td className="cx-cell-actions">
              <ConfirmButton
                label="Delete"
                variant="ghost"
                title={`Delete the passkey “${p.name}”?`}
                description="The user cannot sign in with it any more."
                confirmLabel="Delete passkey"
                onConfirm={async () => {
                  await api.users.passkeys.delete(userId, p.id);
                  list.reload();
                }}
              />
            </td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

function Memberships({ userId }: { userId: string }) {
  const api = useApi();
  const orgs = usePaged(
    (cursor) => api.users.memberships.listOrganizations(userId, { limit: 10, ...(cursor ? { cursor } : {}) }),
    [userId],
  );
  const workspaces = usePaged(
    (cursor) => api.users.memberships.listWorkspaces(userId, { limit: 10, ...(cursor ? { cursor } : {}) }),
    [userId],
  );
  return (
    <div className="cx-grid">
      <Section title="Organizations">
        <ErrorNote error={orgs.error} />
        <Table label="Organization memberships" columns={['Organization', 'Role', 'Since']} empty="Not in any organization.">
          {orgs.data?.data.map((m) => (
            <tr key={m.id}>
              <td>
                <Link to={`organizations/${m.organizationId}`}>{m.organization.name}</Link>
              </td>
              <td>
                <Badge tone={m.role === 'owner' ? 'accent' : 'neutral'}>{m.roleDetails.name}</Badge>
              </td>
              <td className="cx-muted">{when(m.createdAt)}</td>
            </tr>
          ))}
        </Table>
        <Pager paged={orgs} />
      </Section>
      <Section title="Workspaces">
        <ErrorNote error={workspaces.error} />
        <Table label="Workspace memberships" columns={['Workspace', 'Organization', 'Role']} empty="Not in any workspace.">
          {workspaces.data?.data.map((m) => (
            <tr key={m.id}>
              <td>{m.workspace.name}</td>
              <td>
                <Link to={`organizations/${m.organizationId}`}>{m.organization.name}</Link>
              </td>
              <td>
                <Badge>{m.roleDetails.name}</Badge>
              </td>
            </tr>
          ))}
        </Table>
        <Pager paged={workspaces} />
      </Section>
    </div>
  );
}

function Contacts({ user: u, onChange }: { user: BackendUser; onChange(): void }) {
  const api = useApi();
  const rows = [
    ...u.emails.map((e) => ({ kind: 'email' as const, id: e.id, value: e.email, verified: e.verified, primary: e.primary })),
    ...u.phones.map((p) => ({ kind: 'phone' as const, id: p.id, value: p.phone, verified: p.verified, primary: p.primary })),
  ];
  return (
    <Section
      title="Emails and phones"
      description="Added here, they are marked verified."
      actions={
        <>
          <FormButton
            label="Add email"
            variant="secondary"
            title="Add an email address"
            submitLabel="Add email"
            onSubmit={async (v) => {
              await api.users.emails.create(u.id, { email: v.email ?? '' });
              onChange();
            }}
          >
            <Field label="Email address" name="email" type="email" required autoComplete="off" />
          </FormButton>
          <FormButton
            label="Add phone"
            variant="secondary"
            title="Add a phone number"
            submitLabel="Add phone"
            onSubmit={async (v) => {
              await api.users.phones.create(u.id, { phone: v.phone ?? '' });
              onChange();
            }}
          >
            <Field
              label="Phone number"
              name="phone"
              type="tel"
              required
              autoComplete="off"
              hint="International format, e.g. +14155550123."
            />
          </FormButton>
        </>
      }
    >
      <Table label="Emails and phones" columns={['Address', 'Type', 'Status', '']} empty="No email or phone.">
        {rows.map((r) => (
          <tr key={r.id}>
            <td>
              {r.value} {r.primary ? <Badge tone="accent">Primary</Badge> : null}
            </td>
            <td className="cx-muted">{r.kind === 'email' ? 'Email' : 'Phone'}</td>
            <td>{r.verified ? <Badge tone="success">Verified</Badge> : <Badge tone="warning">Unverified</Badge>}</td>
            <td className="cx-cell-actions">
              {r.primary ? null : (
                <>
                  <ConfirmButton
                    label="Make primary"
                    variant="ghost"
                    tone="primary"
                    title={`Make ${r.value} primary?`}
                    description={r.kind === 'email' ? 'Sign-in and emails use the primary address.' : 'Texts go to the primary number.'}
                    confirmLabel="Make primary"
                    onConfirm={async () => {
                      if (r.kind === 'email') await api.users.emails.makePrimary(u.id, r.id);
                      else await api.users.phones.makePrimary(u.id, r.id);
                      onChange();
                    }}
                  />
                  <ConfirmButton
                    label="Remove"
                    variant="ghost"
                    title={`Remove ${r.value}?`}
                    description="The user can no longer sign in or be reached with it."
                    confirmLabel="Remove"
                    onConfirm={async () => {
                      if (r.kind === 'email') await api.users.emails.delete(u.id, r.id);
                      else await api.users.phones.delete(u.id, r.id);
                      onChange();
                    }}
                  />
                </>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

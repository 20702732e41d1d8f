import type { GatehouseError } from '@gatehouse/sdk';
import { type ReactNode, useState } from 'react';
import { Link, useRouter } from '../router.js';
import {
  Avatar,
  Badge,
  Button,
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
  Select,
  Table,
  Tabs,
  useApi,
  useLoad,
  usePaged,
  when,
} from '../ui.js';
import { chosenPermissions, PermissionCatalog, PermissionChecklist } from './permissions.js';
import { nameOf, resolveUser } from './users.js';
import { WorkspacePanel } from './workspaces.js';

type Api = ReturnType<typeof useApi>;

/** The last-owner rule, said for the operator at the keyboard. */
function explainLastOwner(e: GatehouseError): ReactNode {
  if (e.code !== 'last_owner') return undefined;
  return (
    <>
      <strong>An organization must keep at least one owner.</strong> Make another member an owner first, then change or remove this one.
    </>
  );
}

export function OrganizationsPage() {
  const api = useApi();
  const { navigate } = useRouter();
  const [search, setSearch] = useState('');
  const paged = usePaged(
    (cursor) => api.organizations.list({ limit: 20, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) }),
    [search],
  );
  return (
    <>
      <PageHeader
        title="Organizations"
        description="Your customers' teams, with their members, roles and keys."
        actions={
          <FormButton
            label="Create organization"
            title="Create an organization"
            description="Give it a first owner now, or add members afterwards."
            submitLabel="Create organization"
            onSubmit={async (v) => {
              const owner = v.owner ? await resolveUser(api, v.owner) : undefined;
              const organization = await api.organizations.create({
                name: v.name ?? '',
                ...(v.slug ? { slug: v.slug } : {}),
                ...(owner ? { createdBy: owner } : {}),
              });
              navigate(`organizations/${organization.id}`);
            }}
          >
            <Field label="Name" name="name" required autoComplete="off" />
            <Field label="Slug" name="slug" autoComplete="off" hint="Optional: made from the name when left empty." />
            <Field label="First owner" name="owner" autoComplete="off" hint="Optional: a user's email address or id." />
          </FormButton>
        }
      />
      <div className="cx-toolbar">
        <SearchBox label="Search organizations" placeholder="Search by name or slug" onSearch={setSearch} />
      </div>
      <ErrorNote error={paged.error} />
      {paged.loading && !paged.data ? (
        <Loading />
      ) : (
        <Table
          label="Organizations"
          columns={['Organization', 'Members', 'Created', '']}
          empty={search ? `No organization matches “${search}”.` : 'No organizations yet.'}
        >
          {paged.data?.data.map((o) => (
            <tr key={o.id}>
              <td>
                <Link to={`organizations/${o.id}`} className="cx-identity">
                  <Avatar name={o.name} imageUrl={o.imageUrl} shape="square" size={32} />
                  <span className="cx-identity-text">
                    <span className="cx-identity-name">{o.name}</span>
                    <span className="cx-muted">{o.slug}</span>
                  </span>
                </Link>
              </td>
              <td>{o.membersCount.toLocaleString('en')}</td>
              <td className="cx-muted">{when(o.createdAt)}</td>
              <td className="cx-cell-actions">
                <Link to={`organizations/${o.id}`} className="cx-row-link" aria-label={`Open ${o.name}`}>
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

const TABS = [
  ['members', 'Members'],
  ['roles', 'Roles'],
  ['invitations', 'Invitations'],
  ['join-codes', 'Join codes'],
  ['api-tokens', 'API tokens'],
  ['workspaces', 'Workspaces'],
  ['audit', 'Audit log'],
  ['settings', 'Settings'],
] as const satisfies [string, string][];
type Tab = (typeof TABS)[number][0];

export function OrganizationDetail({ organizationId }: { organizationId: string }) {
  const api = useApi();
  const { location, navigate } = useRouter();
  const asked = location.path.split('/')[2] as Tab | undefined;
  const tab: Tab = TABS.some(([k]) => k === asked) ? (asked as Tab) : 'members';
  const org = useLoad(() => api.organizations.get(organizationId), [organizationId]);
  const roles = useLoad(() => api.organizations.roles.list(organizationId), [organizationId]);
  const o = org.data;
  if (org.error && !o) {
    return (
      <>
        <PageHeader back={<Link to="organizations">← Organizations</Link>} title="Organization" />
        <ErrorNote error={org.error} />
      </>
    );
  }
  if (!o) return <Loading />;
  const roleOptions = (roles.data?.data ?? []).map((r) => ({ value: r.key, label: r.name }));
  return (
    <>
      <PageHeader
        back={<Link to="organizations">← Organizations</Link>}
        title={
          <span className="cx-title-identity">
            <Avatar name={o.name} imageUrl={o.imageUrl} shape="square" size={40} />
            {o.name}
          </span>
        }
        description={
          <>
            <code>{o.id}</code> · {o.slug} · {o.membersCount.toLocaleString('en')} member{o.membersCount === 1 ? '' : 's'}
          </>
        }
      />
      <Tabs label="Organization" tabs={TABS} current={tab} onSelect={(k) => navigate(`organizations/${o.id}/${k}`, true)} />
      <div className="cx-tab-panel" role="tabpanel" aria-label={TABS.find(([k]) => k === tab)?.[1]}>
        {tab === 'members' ? <Members orgId={o.id} roleOptions={roleOptions} onChange={org.reload} /> : null}
        {tab === 'roles' ? <Roles orgId={o.id} roles={roles} /> : null}
        {tab === 'invitations' ? <Invitations orgId={o.id} roleOptions={roleOptions} /> : null}
        {tab === 'join-codes' ? <JoinCodes orgId={o.id} roleOptions={roleOptions} /> : null}
        {tab === 'api-tokens' ? <ApiTokens orgId={o.id} /> : null}
        {tab === 'workspaces' ? <Workspaces orgId={o.id} /> : null}
        {tab === 'audit' ? <AuditLog orgId={o.id} /> : null}
        {tab === 'settings' ? <Settings org={o} onChange={org.reload} /> : null}
      </div>
    </>
  );
}

function Members({ orgId, roleOptions, onChange }: { orgId: string; roleOptions: { value: string; label: string }[]; onChange(): void }) {
  const api = useApi();
  const paged = usePaged((cursor) => api.organizations.members.list(orgId, { limit: 20, ...(cursor ? { cursor } : {}) }), [orgId]);
  const changed = () => {
    paged.reload();
    onChange();
  };
  return (
    <Section
      title="Members"
      description="Oldest first. Adding a member here skips the invitation."
      actions={
        <FormButton
          label="Add member"
          title="Add a member"
          description="The user joins at once, with the role you choose."
          submitLabel="Add member"
          onSubmit={async (v) => {
            await api.organizations.members.add(orgId, { userId: await resolveUser(api, v.user ?? ''), role: v.role || 'member' });
            changed();
          }}
        >
          <Field label="User" name="user" required autoComplete="off" hint="An email address or a user id." />
          <Select label="Role" name="role" options={roleOptions} defaultValue="member" />
        </FormButton>
      }
    >
      <ErrorNote error={paged.error} />
      <Table label="Members" columns={['Member', 'Role', 'Joined', '']} empty="No members yet.">
        {paged.data?.data.map((m) => (
          <tr key={m.id}>
            <td>
              <Link to={`users/${m.userId}`} className="cx-identity">
                <Avatar name={nameOf(m.user)} imageUrl={m.user.imageUrl} size={28} />
                <span className="cx-identity-text">
                  <span className="cx-identity-name">{nameOf(m.user)}</span>
                  <span className="cx-muted">{m.user.email}</span>
                </span>
              </Link>
            </td>
            <td>
              <Badge tone={m.role === 'owner' ? 'accent' : 'neutral'}>{roleOptions.find((r) => r.value === m.role)?.label ?? m.role}</Badge>
            </td>
            <td className="cx-muted">{when(m.createdAt)}</td>
            <td className="cx-cell-actions">
              <FormButton
                label="Change role"
                variant="ghost"
                title={`Change the role of ${nameOf(m.user)}`}
                submitLabel="Save role"
                onSubmit={async (v) => {
                  await api.organizations.members.update(orgId, m.id, { role: v.role ?? m.role });
                  changed();
                }}
              >
                <Select label="Role" name="role" options={roleOptions} defaultValue={m.role} />
              </FormButton>
              <ConfirmButton
                label="Remove"
                variant="ghost"
                title={`Remove ${nameOf(m.user)}?`}
                description="They lose access to this organization and its workspaces at once."
                confirmLabel="Remove member"
                explain={explainLastOwner}
                onConfirm={async () => {
                  await api.organizations.members.remove(orgId, m.id);
                  changed();
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

function Roles({
  orgId,
  roles,
}: {
  orgId: string;
  roles: ReturnType<typeof useLoad<Awaited<ReturnType<Api['organizations']['roles']['list']>>>>;
}) {
  const api = useApi();
  const catalog = useLoad(() => api.permissions.list(), []);
  const permissions = catalog.data?.data ?? [];
  return (
    <>
      <Section
        title="Roles"
        description="System roles and this organization's own. A custom role's permissions come from the catalog below."
        actions={
          <FormButton
            label="Create role"
            title="Create a custom role"
            submitLabel="Create role"
            onSubmit={async (v) => {
              await api.organizations.roles.create(orgId, {
                name: v.name ?? '',
                ...(v.key ? { key: v.key } : {}),
                permissions: chosenPermissions(v),
              });
              roles.reload();
            }}
          >
            <Field label="Name" name="name" required autoComplete="off" />
            <Field label="Key" name="key" autoComplete="off" hint="Optional: made from the name when left empty." />
            <PermissionChecklist legend="Permissions" permissions={permissions} />
          </FormButton>
        }
      >
        <ErrorNote error={roles.error} />
        <Table label="Roles" columns={['Role', 'Key', 'Permissions', '']}>
          {roles.data?.data.map((r) => (
            <tr key={r.id}>
              <td>
                {r.name} {r.isSystemRole ? <Badge>System</Badge> : <Badge tone="accent">Custom</Badge>}
              </td>
              <td className="cx-mono">{r.key}</td>
              <td>
                <span className="cx-chips">
                  {r.permissions.map((p) => (
                    <code key={p} className="cx-chip">
                      {p}
                    </code>
                  ))}
                </span>
              </td>
              <td className="cx-cell-actions">
                {r.isSystemRole ? null : (
                  <>
                    <FormButton
                      label="Edit"
                      variant="ghost"
                      title={`Edit the role “${r.name}”`}
                      description="Members holding it get the new permissions at once. Its key stays."
                      submitLabel="Save role"
                      onSubmit={async (v) => {
                        await api.organizations.roles.update(orgId, r.id, {
                          ...(v.name ? { name: v.name } : {}),
                          permissions: chosenPermissions(v),
                        });
                        roles.reload();
                      }}
                    >
                      <Field label="Name" name="name" required defaultValue={r.name} autoComplete="off" />
                      <PermissionChecklist legend="Permissions" permissions={permissions} checked={r.permissions} />
                    </FormButton>
                    <ConfirmButton
                      label="Delete"
                      variant="ghost"
                      title={`Delete the role “${r.name}”?`}
                      description="Only a role nobody holds can be deleted."
                      confirmLabel="Delete role"
                      onConfirm={async () => {
                        await api.organizations.roles.delete(orgId, r.id);
                        roles.reload();
                      }}
                    />
                  </>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </Section>
      <PermissionCatalog catalog={catalog} />
    </>
  );
}

const STATUS_TONE = { pending: 'warning', accepted: 'success', revoked: 'neutral', expired: 'danger' } as const;

function Invitations({ orgId, roleOptions }: { orgId: string; roleOptions: { value: string; label: string }[] }) {
  const api = useApi();
  const [status, setStatus] = useState<'' | 'pending' | 'accepted' | 'revoked' | 'expired'>('');
  const paged = usePaged(
    (cursor) =>
      api.organizations.invitations.list(orgId, {
        limit: 20,
        includeDeleted: true,
        ...(status ? { status } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    [orgId, status],
  );
  const shown = (created: { acceptUrl: string }) => (
    <OneTimeSecret label="Accept link" value={created.acceptUrl} note="Send this link to the invitee; it is not shown again." />
  );
  return (
    <Section
      title="Invitations"
      actions={
        <>
          <label className="cx-inline-select">
            <span>Status</span>
            <select className="gh-input cx-select" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <option value="">All</option>
              <option value="pending">Pending</option>
              <option value="accepted">Accepted</option>
              <option value="expired">Expired</option>
              <option value="revoked">Revoked</option>
            </select>
          </label>
          <FormButton
            label="Invite"
            title="Invite by email"
            description="The accept link is shown once; tick the box to email it too."
            submitLabel="Create invitation"
            onSubmit={async (v) => {
              const created = await api.organizations.invitations.create(orgId, {
                email: v.email ?? '',
                role: v.role || 'member',
                sendEmail: v.sendEmail === 'on',
              });
              paged.reload();
              return shown(created);
            }}
          >
            <Field label="Email address" name="email" type="email" required autoComplete="off" />
            <Select label="Role" name="role" options={roleOptions} defaultValue="member" />
            <label className="cx-check">
              <input type="checkbox" name="sendEmail" /> Email the invitation
            </label>
          </FormButton>
        </>
      }
    >
      <ErrorNote error={paged.error} />
      <Table label="Invitations" columns={['Email', 'Role', 'Status', 'Expires', '']} empty="No invitations.">
        {paged.data?.data.map((i) => (
          <tr key={i.id}>
            <td>{i.email}</td>
            <td>
              <Badge>{i.initialOrganizationRole.name}</Badge>
            </td>
            <td>
              <Badge tone={STATUS_TONE[i.status]}>{i.status}</Badge>
            </td>
            <td className="cx-muted">{when(i.expiresAt)}</td>
            <td className="cx-cell-actions">
              {i.status === 'pending' || i.status === 'expired' ? (
                <>
                  <FormButton
                    label="Resend"
                    variant="ghost"
                    title={`Resend to ${i.email}?`}
                    description="A new link replaces the old one, with a new expiry."
                    submitLabel="Make a new link"
                    onSubmit={async () => {
                      const created = await api.organizations.invitations.resend(orgId, i.id);
                      paged.reload();
                      return shown(created);
                    }}
                  >
                    {null}
                  </FormButton>
                  <ConfirmButton
                    label="Discard"
                    variant="ghost"
                    title={`Discard the invitation to ${i.email}?`}
                    description="Its link stops working at once."
                    confirmLabel="Discard invitation"
                    onConfirm={async () => {
                      await api.organizations.invitations.discard(orgId, i.id);
                      paged.reload();
                    }}
                  />
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
      <Pager paged={paged} />
    </Section>
  );
}

function JoinCodes({ orgId, roleOptions }: { orgId: string; roleOptions: { value: string; label: string }[] }) {
  const api = useApi();
  const paged = usePaged((cursor) => api.organizations.joinCodes.list(orgId, { limit: 20, ...(cursor ? { cursor } : {}) }), [orgId]);
  return (
    <Section
      title="Join codes"
      description="Shareable codes anyone signed in can redeem to join."
      actions={
        <FormButton
          label="Create join code"
          title="Create a join code"
          description="It works for 7 days."
          submitLabel="Create code"
          onSubmit={async (v) => {
            const created = await api.organizations.joinCodes.create(orgId, {
              role: v.role || 'member',
              ...(v.maxUses ? { maxUses: Number(v.maxUses) } : {}),
            });
            paged.reload();
            return <OneTimeSecret label="Join code" value={created.code} />;
          }}
        >
          <Select label="Role" name="role" options={roleOptions.filter((r) => r.value !== 'owner')} defaultValue="member" />
          <Field label="Most uses" name="maxUses" type="number" min={1} hint="Empty: unlimited." />
        </FormButton>
      }
    >
      <ErrorNote error={paged.error} />
      <Table label="Join codes" columns={['Code', 'Role', 'Uses', 'Status', 'Expires', '']} empty="No join codes.">
        {paged.data?.data.map((j) => (
          <tr key={j.id}>
            <td className="cx-mono">{j.id}</td>
            <td>
              <Badge>{j.role}</Badge>
            </td>
            <td>
              {j.uses}
              {j.maxUses ? ` / ${j.maxUses}` : ''}
            </td>
            <td>
              <Badge tone={j.status === 'active' ? 'success' : 'neutral'}>{j.status}</Badge>
            </td>
            <td className="cx-muted">{when(j.expiresAt)}</td>
            <td className="cx-cell-actions">
              {j.status === 'active' ? (
                <ConfirmButton
                  label="Revoke"
                  variant="ghost"
                  title="Revoke this join code?"
                  description="Nobody can join with it any more; members who joined stay."
                  confirmLabel="Revoke code"
                  onConfirm={async () => {
                    await api.organizations.joinCodes.revoke(orgId, j.id);
                    paged.reload();
                  }}
                />
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
      <Pager paged={paged} />
    </Section>
  );
}

function ApiTokens({ orgId }: { orgId: string }) {
  const api = useApi();
  const paged = usePaged((cursor) => api.organizations.apiTokens.list(orgId, { limit: 20, ...(cursor ? { cursor } : {}) }), [orgId]);
  return (
    <Section
      title="API tokens"
      description="Tokens that act as this organization on the frontend API."
      actions={
        <FormButton
          label="Create token"
          title="Create an API token"
          description="It gets the member role's permissions."
          submitLabel="Create token"
          onSubmit={async (v) => {
            const { apiToken } = await api.organizations.apiTokens.create(orgId, { name: v.name || 'API token' });
            paged.reload();
            return <OneTimeSecret label="Bearer token" value={apiToken.bearer} />;
          }}
        >
          <Field label="Name" name="name" autoComplete="off" placeholder="API token" />
        </FormButton>
      }
    >
      <ErrorNote error={paged.error} />
      <Table label="API tokens" columns={['Name', 'Key', 'Permissions', 'Last used', '']} empty="No API tokens.">
        {paged.data?.data.map((k) => (
          <tr key={k.id}>
            <td>
              {k.name} {k.revokedAt ? <Badge>Revoked</Badge> : <Badge tone="success">{k.env}</Badge>}
            </td>
            <td className="cx-mono">
              {k.key}…{k.lastFour}
            </td>
            <td className="cx-muted">{k.permissions.length}</td>
            <td className="cx-muted">{when(k.lastUsedAt)}</td>
            <td className="cx-cell-actions">
              {k.revokedAt ? null : (
                <ConfirmButton
                  label="Revoke"
                  variant="ghost"
                  title={`Revoke “${k.name}”?`}
                  description="Calls with it fail at once."
                  confirmLabel="Revoke token"
                  onConfirm={async () => {
                    await api.organizations.apiTokens.revoke(orgId, k.id);
                    paged.reload();
                  }}
                />
              )}
            </td>
          </tr>
        ))}
      </Table>
      <Pager paged={paged} />
    </Section>
  );
}

function Workspaces({ orgId }: { orgId: string }) {
  const api = useApi();
  const [open, setOpen] = useState<string>();
  const paged = usePaged((cursor) => api.workspaces.list({ organizationId: orgId, limit: 20, ...(cursor ? { cursor } : {}) }), [orgId]);
  const opened = paged.data?.data.find((w) => w.id === open);
  return (
    <Section
      title="Workspaces"
      actions={
        <FormButton
          label="Create workspace"
          title="Create a workspace"
          submitLabel="Create workspace"
          onSubmit={async (v) => {
            await api.organizations.createWorkspace(orgId, { name: v.name ?? '' });
            paged.reload();
          }}
        >
          <Field label="Name" name="name" required autoComplete="off" />
        </FormButton>
      }
    >
      <ErrorNote error={paged.error} />
      <Table label="Workspaces" columns={['Workspace', 'Members', 'Created', '']} empty="No workspaces.">
        {paged.data?.data.map((w) => (
          <tr key={w.id}>
            <td>{w.name}</td>
            <td>{w.membersCount}</td>
            <td className="cx-muted">{when(w.createdAt)}</td>
            <td className="cx-cell-actions">
              <Button variant="ghost" aria-expanded={open === w.id} onClick={() => setOpen(open === w.id ? undefined : w.id)}>
                {open === w.id ? 'Hide members' : 'Members'}
              </Button>
              <FormButton
                label="Rename"
                variant="ghost"
                title={`Rename ${w.name}`}
                submitLabel="Save name"
                onSubmit={async (v) => {
                  await api.workspaces.update(w.id, { name: v.name ?? '' });
                  paged.reload();
                }}
              >
                <Field label="Name" name="name" required defaultValue={w.name} autoComplete="off" />
              </FormButton>
              <ConfirmButton
                label="Delete"
                variant="ghost"
                title={`Delete ${w.name}?`}
                description="Its memberships and custom roles go with it. Its members stay in the organization."
                confirmLabel="Delete workspace"
                onConfirm={async () => {
                  await api.workspaces.delete(w.id);
                  if (open === w.id) setOpen(undefined);
                  paged.reload();
                }}
              />
            </td>
          </tr>
        ))}
      </Table>
      <Pager paged={paged} />
      {opened ? <WorkspacePanel key={opened.id} orgId={orgId} workspaceId={opened.id} name={opened.name} onChange={paged.reload} /> : null}
    </Section>
  );
}

function AuditLog({ orgId }: { orgId: string }) {
  const api = useApi();
  const [filter, setFilter] = useState({ action: '', actorId: '' });
  const paged = usePaged(
    (cursor) =>
      api.organizations.auditLog.list(orgId, {
        limit: 25,
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.actorId ? { actorId: filter.actorId } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    [orgId, filter.action, filter.actorId],
  );
  return (
    <Section title="Audit log" description="Every change to this organization, newest first.">
      <form
        className="cx-filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setFilter({ action: String(data.get('action') ?? '').trim(), actorId: String(data.get('actorId') ?? '').trim() });
        }}
      >
        <Field label="Action" name="action" placeholder="member.role_changed" autoComplete="off" />
        <Field label="Actor id" name="actorId" placeholder="user_… or key_…" autoComplete="off" />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      <ErrorNote error={paged.error} />
      <Table label="Audit events" columns={['Action', 'Actor', 'Target', 'When', 'Details']} empty="No events match.">
        {paged.data?.data.map((e) => (
          <tr key={e.id}>
            <td>
              <code className="cx-chip">{e.action}</code>
            </td>
            <td className="cx-mono">
              <span className="cx-muted">{e.actor.type}</span> {e.actor.id}
            </td>
            <td className="cx-mono">
              <span className="cx-muted">{e.target.type}</span> {e.target.id}
            </td>
            <td className="cx-muted">{when(e.createdAt)}</td>
            <td>
              <code className="cx-data" title={JSON.stringify(e.data, null, 2)}>
                {JSON.stringify(e.data)}
              </code>
            </td>
          </tr>
        ))}
      </Table>
      <Pager paged={paged} />
    </Section>
  );
}

function Settings({ org, onChange }: { org: Awaited<ReturnType<Api['organizations']['get']>>; onChange(): void }) {
  const api = useApi();
  const { navigate } = useRouter();
  return (
    <Section
      title="Settings"
      actions={
        <FormButton
          label="Edit"
          variant="secondary"
          title="Edit the organization"
          submitLabel="Save"
          onSubmit={async (v) => {
            await api.organizations.update(org.id, { ...(v.name ? { name: v.name } : {}), ...(v.slug ? { slug: v.slug } : {}) });
            onChange();
          }}
        >
          <Field label="Name" name="name" defaultValue={org.name} autoComplete="off" />
          <Field label="Slug" name="slug" defaultValue={org.slug} autoComplete="off" />
        </FormButton>
      }
    >
      <Facts
        items={[
          ['Id', <code key="id">{org.id}</code>],
          ['Slug', org.slug],
          ['Created', when(org.createdAt)],
          ['Updated', when(org.updatedAt)],
          [
            'Public metadata',
            <pre key="pm" className="cx-json">
              {JSON.stringify(org.publicMetadata, null, 2)}
            </pre>,
          ],
          [
            'Private metadata',
            <pre key="pv" className="cx-json">
              {JSON.stringify(org.privateMetadata, null, 2)}
            </pre>,
          ],
        ]}
      />
      <div className="cx-danger-zone">
        <div>
          <div className="cx-setting-title">Delete this organization</div>
          <p className="cx-muted">Its memberships, roles, workspaces and tokens go with it. The audit log is kept.</p>
        </div>
        <ConfirmButton
          label="Delete organization"
          variant="danger"
          title={`Delete ${org.name}?`}
          description="This cannot be undone."
          confirmLabel="Delete organization"
          onConfirm={async () => {
            await api.organizations.delete(org.id);
            navigate('organizations');
          }}
        />
      </div>
    </Section>
  );
}

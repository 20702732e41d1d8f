import { useState } from 'react';
import {
  Badge,
  ConfirmButton,
  ErrorNote,
  Field,
  FormButton,
  OneTimeSecret,
  PageHeader,
  Pager,
  SearchBox,
  Section,
  Select,
  Table,
  useApi,
  useLoad,
  usePaged,
  when,
} from '../ui.js';
import { PermissionCatalog } from './permissions.js';

export function InstancePage() {
  return (
    <>
      <PageHeader
        title="Instance"
        description={
          <>
            Keys and email of this Gatehouse. Every operation is in the <a href="/docs">API reference</a> (
            <a href="/openapi.json">OpenAPI document</a>).
          </>
        }
      />
      <SecretKeys />
      <SigningKeys />
      <InstanceCatalog />
      <Outbox />
    </>
  );
}

function SecretKeys() {
  const api = useApi();
  const paged = usePaged((cursor) => api.keys.list({ limit: 20, ...(cursor ? { cursor } : {}) }), []);
  return (
    <Section
      title="Secret keys"
      description="Admin keys of the backend API. Revoking one ends its console sessions too."
      actions={
        <FormButton
          label="Create key"
          title="Create a secret key"
          description="The key is shown once. Keep it on your servers."
          submitLabel="Create key"
          onSubmit={async (v) => {
            const { secret } = await api.keys.create({ name: v.name || 'Secret key', env: v.env === 'test' ? 'test' : 'live' });
            paged.reload();
            return <OneTimeSecret label="Secret key" value={secret} />;
          }}
        >
          <Field label="Name" name="name" required autoComplete="off" placeholder="Billing service" />
          <Select
            label="Environment"
            name="env"
            defaultValue="live"
            options={[
              { value: 'live', label: 'Live (sk_live_…)' },
              { value: 'test', label: 'Test (sk_test_…)' },
            ]}
          />
        </FormButton>
      }
    >
      <ErrorNote error={paged.error} />
      <Table
        label="Secret keys"
        columns={['Name', 'Key', 'Created', 'Last used', '']}
        empty="No stored keys (GATEHOUSE_SECRET_KEY is not listed)."
      >
        {paged.data?.data.map((k) => (
          <tr key={k.id}>
            <td>
              {k.name} {k.revokedAt ? <Badge>Revoked</Badge> : <Badge tone="success">Active</Badge>}
            </td>
            <td className="cx-mono">
              sk_{k.env}_…{k.lastFour}
            </td>
            <td className="cx-muted">{when(k.createdAt)}</td>
            <td className="cx-muted">{when(k.lastUsedAt)}</td>
            <td className="cx-cell-actions">
              {k.revokedAt ? null : (
                <ConfirmButton
                  label="Revoke"
                  variant="ghost"
                  title={`Revoke “${k.name}”?`}
                  description="Calls with this key fail at once, and its console sessions end (yours too, if you signed in with it)."
                  confirmLabel="Revoke key"
                  onConfirm={async () => {
                    await api.keys.revoke(k.id);
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

function SigningKeys() {
  const api = useApi();
  const paged = usePaged((cursor) => api.signingKeys.list({ limit: 20, ...(cursor ? { cursor } : {}) }), []);
  return (
    <Section
      title="Signing keys"
      description="The keys that sign session JWTs. A retired key stays in the JWKS until tokens it signed have expired."
      actions={
        <ConfirmButton
          label="Rotate signing key"
          variant="primary"
          tone="primary"
          title="Rotate the signing key?"
          description="A new key signs from now on; the current one is retired and still verifies tokens it signed until they expire."
          confirmLabel="Rotate"
          onConfirm={async () => {
            await api.signingKeys.rotate();
            paged.reload();
          }}
        />
      }
    >
      <ErrorNote error={paged.error} />
      <Table
        label="Signing keys"
        columns={['Key id (kid)', 'Algorithm', 'Status', 'Created', 'In JWKS until', '']}
        empty="No signing key yet: one is made with the first session token."
      >
        {paged.data?.data.map((k) => (
          <tr key={k.id}>
            <td className="cx-mono">{k.id}</td>
            <td>{k.alg}</td>
            <td>
              {k.revokedAt ? (
                <Badge tone="danger">revoked</Badge>
              ) : (
                <Badge tone={k.status === 'active' ? 'success' : 'neutral'}>{k.status}</Badge>
              )}
            </td>
            <td className="cx-muted">{when(k.createdAt)}</td>
            <td className="cx-muted">{k.status === 'active' ? '—' : when(k.publishedUntil)}</td>
            <td className="cx-cell-actions">
              {k.status === 'retired' && !k.revokedAt && new Date(k.publishedUntil ?? 0) > new Date() ? (
                <ConfirmButton
                  label="Revoke"
                  variant="ghost"
                  title={`Revoke ${k.id}?`}
                  description="It leaves the JWKS now, and every session JWT it signed stops verifying at once, instead of when its grace period ends."
                  confirmLabel="Revoke key"
                  onConfirm={async () => {
                    await api.signingKeys.revoke(k.id);
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

function InstanceCatalog() {
  const api = useApi();
  const catalog = useLoad(() => api.permissions.list(), []);
  return (
    <PermissionCatalog
      catalog={catalog}
      description="The permissions every organization's roles are made of: the built-in ones and your own."
    />
  );
}

const OUTBOX_TONE = { pending: 'warning', sent: 'success', failed: 'danger' } as const;

function Outbox() {
  const api = useApi();
  const [to, setTo] = useState('');
  const [openId, setOpenId] = useState<string>();
  const paged = usePaged((cursor) => api.outbox.list({ limit: 20, ...(to ? { to } : {}), ...(cursor ? { cursor } : {}) }), [to]);
  return (
    <Section
      title="Email outbox"
      description="Every email Gatehouse sends, newest first. Bodies are cleared once their code or link expires."
    >
      <div className="cx-toolbar">
        <SearchBox label="Filter by recipient" placeholder="Recipient address" onSearch={setTo} />
      </div>
      <ErrorNote error={paged.error} />
      <Table
        label="Email outbox"
        columns={['To', 'Subject', 'Kind', 'Status', 'Created']}
        empty={to ? `No email to ${to}.` : 'No email yet.'}
      >
        {paged.data?.data.map((m) => (
          <tr key={m.id}>
            <td>{m.to}</td>
            <td>
              <button
                type="button"
                className="cx-linkish"
                aria-expanded={openId === m.id}
                onClick={() => setOpenId(openId === m.id ? undefined : m.id)}
              >
                {m.subject}
              </button>
              {openId === m.id ? <pre className="cx-json cx-mail">{m.text ?? 'The body was cleared.'}</pre> : null}
            </td>
            <td>
              <code className="cx-chip">{m.kind}</code>
            </td>
            <td>
              <Badge tone={OUTBOX_TONE[m.status]}>{m.status}</Badge>
              {m.lastError ? <span className="cx-muted"> {m.lastError}</span> : null}
            </td>
            <td className="cx-muted">{when(m.createdAt)}</td>
          </tr>
        ))}
      </Table>
      <Pager paged={paged} />
    </Section>
  );
}

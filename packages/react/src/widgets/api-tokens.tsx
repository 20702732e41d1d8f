import { GatehouseError } from '@gatehouse/sdk';
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
  SecretBox,
  useLoad,
  WithOrganization,
} from './organization-common.js';

/** Props of {@link ApiTokens}. */
export interface ApiTokensProps {
  /** Called with a new token's bearer (`<key>:<secret>`, shown once). */
  onCreated?: (bearer: string) => void;
}

const TITLE = 'API tokens';

/**
 * The active organization's API tokens for its machines: create one (live or test; the secret is
 * shown once, with a copy button), see when each was last used, revoke them. Needs `org:manage`;
 * creating asks for the password again when the last proof is older than 10 minutes.
 */
export function ApiTokens(props: ApiTokensProps) {
  return (
    <WithOrganization title={TITLE}>{(active) => <Tokens key={active.organization.id} active={active} {...props} />}</WithOrganization>
  );
}

function Tokens({ active, onCreated }: ApiTokensProps & { active: ActiveOrganization }) {
  const client = useGatehouseClient();
  const organizationId = active.organization.id;
  const canManage = active.can('org:manage');
  const tokens = useLoad(`${organizationId}:${canManage}`, async () =>
    canManage ? (await client.organizations.tokens.list({ organizationId, limit: 100 })).apiTokens : [],
  );
  const [name, setName] = useState('');
  const [env, setEnv] = useState<'live' | 'test'>('live');
  const [password, setPassword] = useState('');
  const [needsPassword, setNeedsPassword] = useState(false);
  const [created, setCreated] = useState<{ name: string; bearer: string }>();
  const create = useAction(async () => {
    setCreated(undefined);
    if (needsPassword) {
      await client.auth.reauthenticate({ password });
      setPassword('');
      setNeedsPassword(false);
    }
    try {
      const { apiToken } = await client.organizations.tokens.create({ organizationId, name: name.trim() || 'API token', env });
      setCreated({ name: apiToken.name, bearer: apiToken.bearer });
      setName('');
      await tokens.reload();
      onCreated?.(apiToken.bearer);
    } catch (error) {
      // Minting a credential needs a fresh proof of who you are: ask for the password, then go on.
      if (error instanceof GatehouseError && error.code === 'mfa_required') setNeedsPassword(true);
      else throw error;
    }
  });

  if (!canManage) {
    return (
      <Panel title={TITLE}>
        <Alert tone="info">Only members who can manage the organization see its API tokens.</Alert>
      </Panel>
    );
  }
  if (tokens.data === undefined && !tokens.error) return <LoadingPanel title={TITLE} label="Loading API tokens" />;
  const list = tokens.data ?? [];
  const problem = create.error ? describeError(create.error, { invalid_credentials: 'That password isn’t right. Try again.' }) : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };

  return (
    <Panel
      title={TITLE}
      subtitle={`Let your servers act as ${active.organization.name} when they call Gatehouse.`}
      className="gh-panel-wide"
    >
      <form className="gh-form gh-inline-form" onSubmit={onSubmit} noValidate>
        <Field label="Token name" name="name" placeholder="Billing worker" value={name} onChange={(e) => setName(e.target.value)} />
        <fieldset className="gh-segmented">
          <legend className="gh-label">Environment</legend>
          <div className="gh-segmented-options">
            {(['live', 'test'] as const).map((value) => (
              <label key={value} className="gh-segmented-option">
                <input type="radio" name="env" value={value} checked={env === value} onChange={() => setEnv(value)} />
                <span>{value === 'live' ? 'Live' : 'Test'}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <Button type="submit" pending={create.pending} disabled={needsPassword && !password}>
          Create token
        </Button>
        {needsPassword ? (
          <div className="gh-inline-full">
            <Alert tone="info">For your security, confirm your password to create a token.</Alert>
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoFocus
            />
          </div>
        ) : null}
      </form>
      {problem ? <Alert>{problem.message}</Alert> : null}
      {created ? (
        <SecretBox
          value={created.bearer}
          label="New token"
          warning={`Copy “${created.name}” now and store it somewhere safe: it is shown only this once.`}
        />
      ) : null}
      {tokens.error ? <LoadError error={tokens.error} retry={() => void tokens.reload()} /> : null}
      {!tokens.error && list.length === 0 ? <Empty>No API tokens yet.</Empty> : null}
      {list.length ? (
        <ul className="gh-list" aria-label="API tokens">
          {list.map((token) => (
            <li key={token.id} className="gh-list-row">
              <div className="gh-list-main">
                <span className="gh-list-title">
                  {token.name} <Badge tone={token.env === 'live' ? 'primary' : 'warning'}>{token.env === 'live' ? 'Live' : 'Test'}</Badge>
                </span>
                <span className="gh-list-meta">
                  <code className="gh-mono">
                    {token.key}:…{token.lastFour}
                  </code>{' '}
                  · Created {formatDate(token.createdAt)} · {token.lastUsedAt ? `Last used ${formatDate(token.lastUsedAt)}` : 'Never used'}
                </span>
              </div>
              <div className="gh-list-actions">
                {token.revokedAt ? (
                  <Badge>Revoked</Badge>
                ) : (
                  <ConfirmButton
                    label="Revoke"
                    triggerLabel={`Revoke ${token.name}`}
                    title={`Revoke ${token.name}?`}
                    description="Machines using it get 401 from their next request on. This can’t be undone."
                    confirmLabel="Revoke token"
                    onConfirm={async () => {
                      await client.organizations.tokens.revoke({ organizationId, id: token.id });
                      await tokens.reload();
                    }}
                  />
                )}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </Panel>
  );
}

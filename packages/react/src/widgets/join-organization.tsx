import { type FormEvent, useState } from 'react';
import { useGatehouseClient, useOrganizationList, useUser } from '../hooks.js';
import { Alert, Button, Card, describeError, Field, LoadingCard, useAction } from '../ui.js';

/** Props of {@link JoinOrganization}. */
export interface JoinOrganizationProps {
  /** Called once joined, with the organization now active. */
  onJoined?: (result: { organizationId: string; alreadyMember: boolean }) => void;
}

/**
 * Join an organization with a code someone shared: the person becomes a member with the code's
 * role, and the organization becomes active. A used-up, expired, revoked or unknown code gets one
 * answer (the server does not say which).
 */
export function JoinOrganization({ onJoined }: JoinOrganizationProps) {
  const client = useGatehouseClient();
  const { isLoaded, user } = useUser();
  const list = useOrganizationList();
  const [code, setCode] = useState('');
  const [joined, setJoined] = useState<{ name: string; alreadyMember: boolean }>();
  const join = useAction(async () => {
    setJoined(undefined);
    const result = await client.organizations.joinCodes.join({ code: code.trim() });
    await list.refresh();
    await list.setActive(result.organizationId);
    const name = (await client.organizations.get({ organizationId: result.organizationId })).organization.name;
    setCode('');
    setJoined({ name, alreadyMember: result.alreadyMember });
    onJoined?.(result);
  });
  if (!isLoaded) return <LoadingCard label="Loading" />;
  if (!user) {
    return (
      <Card title="Join an organization">
        <Alert tone="info">Sign in to join an organization with a code.</Alert>
      </Card>
    );
  }
  const problem = join.error
    ? describeError(join.error, {
        join_code_invalid: 'That code doesn’t work: it may be mistyped, used up, expired or revoked. Ask for a new one.',
      })
    : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void join.run();
  };
  return (
    <Card title="Join an organization" subtitle="Enter the code someone from the organization shared with you.">
      <form className="gh-form" onSubmit={onSubmit} noValidate>
        {problem && !problem.fields.code ? <Alert>{problem.message}</Alert> : null}
        {joined ? (
          <Alert tone="success">
            {joined.alreadyMember ? `You’re already a member of ${joined.name}.` : `You’ve joined ${joined.name}.`} It’s now your active
            organization.
          </Alert>
        ) : null}
        <Field
          label="Join code"
          name="code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="XXXX-XXXX-XXXX"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={problem?.fields.code}
          required
        />
        <Button type="submit" className="gh-block" pending={join.pending} disabled={!code.trim()}>
          Join organization
        </Button>
      </form>
    </Card>
  );
}

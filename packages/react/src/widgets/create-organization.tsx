import { type FormEvent, useState } from 'react';
import { useOrganizationList, useUser } from '../hooks.js';
import type { Organization } from '../provider.js';
import { Alert, Button, Card, describeError, Field, LoadingCard, useAction } from '../ui.js';

/** Props of {@link CreateOrganization}. */
export interface CreateOrganizationProps {
  /** Called with the new organization (already active unless `setActive` is false). */
  onCreated?: (organization: Organization) => void;
  /** Make the new organization the session's active one. Default true. */
  setActive?: boolean;
  /** Called when the person gives up (shows a Cancel button). */
  onCancel?: () => void;
}

/** The form without its card, for dialogs (the switcher's "Create organization"). */
export function CreateOrganizationForm({ onCreated, setActive = true, onCancel }: CreateOrganizationProps) {
  const { create, setActive: activate } = useOrganizationList();
  const [name, setName] = useState('');
  const submit = useAction(async () => {
    const organization = await create(name.trim());
    if (setActive) await activate(organization.id);
    setName('');
    onCreated?.(organization);
  });
  const problem = submit.error ? describeError(submit.error) : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run();
  };
  return (
    <form className="gh-form" onSubmit={onSubmit} noValidate>
      {problem && !problem.fields.name ? <Alert>{problem.message}</Alert> : null}
      <Field
        label="Organization name"
        name="name"
        autoComplete="organization"
        placeholder="Acme Inc."
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={problem?.fields.name}
        required
      />
      <div className="gh-actions">
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" pending={submit.pending} disabled={!name.trim()}>
          Create organization
        </Button>
      </div>
    </form>
  );
}

/**
 * Create an organization; the signed-in user becomes its owner and, by default, it becomes the
 * active organization. Asks to sign in first when signed out.
 */
export function CreateOrganization(props: CreateOrganizationProps) {
  const { isLoaded, user } = useUser();
  if (!isLoaded) return <LoadingCard label="Loading" />;
  if (!user) {
    return (
      <Card title="Create an organization">
        <Alert tone="info">Sign in to create an organization.</Alert>
      </Card>
    );
  }
  return (
    <Card title="Create an organization" subtitle="Organizations share members, roles and settings. You’ll be its owner.">
      <CreateOrganizationForm {...props} />
    </Card>
  );
}

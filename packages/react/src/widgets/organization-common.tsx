import * as Dialog from '@radix-ui/react-dialog';
import { type ReactNode, type SelectHTMLAttributes, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useGatehouseClient, useOrganization, useUser } from '../hooks.js';
import type { Organization, OrganizationMembership } from '../provider.js';
import { Alert, Button, cx, describeError, Spinner, useAction, useRootProps } from '../ui.js';

/**
 * Pieces the organization widgets share: the panel they render in, the guard that explains a
 * missing sign-in or active organization, a loader for their lists, a confirm dialog, a labelled
 * select, a copy button and a few words (roles, dates, last-owner).
 */

/** A wide panel: title, subtitle and an action on the right, then its body (lists, forms). */
export function Panel({
  title,
  subtitle,
  action,
  children,
  className,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const titleId = useId();
  return (
    <section {...useRootProps(cx('gh-panel', className))} aria-labelledby={titleId}>
      <header className="gh-panel-header">
        <div className="gh-panel-heading">
          <h2 id={titleId} className="gh-title">
            {title}
          </h2>
          {subtitle ? <p className="gh-subtitle">{subtitle}</p> : null}
        </div>
        {action ? <div className="gh-panel-action">{action}</div> : null}
      </header>
      <div className="gh-panel-body">{children}</div>
    </section>
  );
}

/** The skeleton of a panel while its first answer is on the way. */
export function LoadingPanel({ title, label }: { title: ReactNode; label: string }) {
  return (
    <Panel title={title}>
      <div className="gh-loading" aria-busy="true">
        <Spinner label={label} />
        <div className="gh-skeleton gh-skeleton-row" />
        <div className="gh-skeleton gh-skeleton-row" />
        <div className="gh-skeleton gh-skeleton-row" />
      </div>
    </Panel>
  );
}

/** An empty list: what is missing and, when the caller may, what to do about it. */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="gh-empty">{children}</p>;
}

/** A failed load, with a Retry button. */
export function LoadError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <Alert>
      {describeError(error).message}{' '}
      <Button variant="link" onClick={retry}>
        Retry
      </Button>
    </Alert>
  );
}

/** The active organization and the caller's membership in it, once both are known. */
export interface ActiveOrganization {
  organization: Organization;
  membership: OrganizationMembership;
  /** Whether the caller holds a permission there (the server decides anyway). */
  can(permission: string): boolean;
}

/**
 * Renders `children` with the active organization; before that, the right state: loading,
 * signed out, or no organization active (the personal account).
 */
export function WithOrganization({ title, children }: { title: ReactNode; children: (active: ActiveOrganization) => ReactNode }) {
  const { isLoaded: userLoaded, user } = useUser();
  const { isLoaded, organization, membership } = useOrganization();
  if (!userLoaded || (user && !isLoaded)) return <LoadingPanel title={title} label="Loading" />;
  if (!user) {
    return (
      <Panel title={title}>
        <Alert tone="info">Sign in to manage your organization.</Alert>
      </Panel>
    );
  }
  if (!organization || !membership) {
    return (
      <Panel title={title}>
        <Alert tone="info">Choose an organization in the organization switcher first.</Alert>
      </Panel>
    );
  }
  return <>{children({ organization, membership, can: (p) => membership.permissions.includes(p) })}</>;
}

/** Something loaded from the API, reloaded with `reload()` or when `key` changes. */
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  reload(): Promise<void>;
}

/** Load once per `key` (an organization id), keeping the last answer while a reload runs. */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ key: string; data: T | undefined; error: unknown; isLoading: boolean }>({
    key,
    data: undefined,
    error: undefined,
    isLoading: true,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, key, isLoading: true, error: undefined, data: s.key === key ? s.data : undefined }));
    try {
      const data = await loadRef.current();
      if (mine === generation.current) setState({ key, data, error: undefined, isLoading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, error, isLoading: false }));
    }
  }, [key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data: state.key === key ? state.data : undefined, error: state.error, isLoading: state.isLoading, reload };
}

/** The organization's roles (system and custom) and the permission catalog. */
export function useRoles(organizationId: string) {
  const client = useGatehouseClient();
  return useLoad(organizationId, () => client.organizations.roles({ organizationId }));
}

/** A labelled native select: keyboard and screen readers know it already. */
export function SelectField({
  label,
  hint,
  children,
  id,
  className,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; hint?: string }) {
  const fallbackId = useId();
  const selectId = id ?? fallbackId;
  const hintId = hint ? `${selectId}-hint` : undefined;
  return (
    <div className={cx('gh-field', className)}>
      <label className="gh-label" htmlFor={selectId}>
        {label}
      </label>
      <select id={selectId} className="gh-input gh-select" aria-describedby={hintId} {...select}>
        {children}
      </select>
      {hint ? (
        <p id={hintId} className="gh-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A destructive action behind a dialog: the trigger opens it, Confirm runs `onConfirm`, and a
 * failure stays in the dialog, in words. `confirmText` makes the person type it first.
 */
export function ConfirmButton({
  label,
  title,
  description,
  confirmLabel,
  onConfirm,
  confirmText,
  triggerVariant = 'secondary',
  triggerLabel,
  errorMessages,
}: {
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  confirmText?: string;
  triggerVariant?: 'secondary' | 'danger' | 'ghost';
  /** An accessible name for the trigger when its text is short ("Remove" → "Remove Ada Lovelace"). */
  triggerLabel?: string;
  errorMessages?: Partial<Record<string, string>>;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const action = useAction(async () => {
    await onConfirm();
    setOpen(false);
  });
  const dialogRoot = useRootProps('gh-dialog');
  const overlayRoot = useRootProps('gh-overlay');
  const inputId = useId();
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setTyped('');
          action.reset();
        }
      }}
    >
      <Dialog.Trigger asChild>
        <Button variant={triggerVariant} className="gh-button-small" aria-label={triggerLabel}>
          {label}
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay {...overlayRoot} />
        <Dialog.Content {...dialogRoot} role="alertdialog">
          <Dialog.Title className="gh-title">{title}</Dialog.Title>
          <Dialog.Description className="gh-subtitle gh-dialog-text">{description}</Dialog.Description>
          <div className="gh-form">
            {action.error ? <Alert>{describeError(action.error, errorMessages).message}</Alert> : null}
            {confirmText ? (
              <div className="gh-field">
                <label className="gh-label" htmlFor={inputId}>
                  Type <strong>{confirmText}</strong> to confirm
                </label>
                <input id={inputId} className="gh-input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
              </div>
            ) : null}
            <div className="gh-actions">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button
                variant="danger"
                pending={action.pending}
                disabled={confirmText !== undefined && typed.trim() !== confirmText}
                onClick={() => void action.run()}
              >
                {confirmLabel}
              </Button>
            </div>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Copies `value` to the clipboard and says so; the value stays selectable for browsers without one. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <Button
      variant="secondary"
      className="gh-button-small"
      aria-label={label}
      onClick={() =>
        void navigator.clipboard?.writeText(value).then(
          () => setCopied(true),
          () => undefined,
        )
      }
    >
      {copied ? 'Copied' : 'Copy'}
      <span className="gh-sr-only" aria-live="polite">
        {copied ? 'Copied to the clipboard' : ''}
      </span>
    </Button>
  );
}

/** A secret shown once: monospace, selectable, with its copy button and the warning. */
export function SecretBox({ value, label, warning }: { value: string; label: string; warning: ReactNode }) {
  return (
    <div className="gh-secret">
      <span className="gh-label">{label}</span>
      <div className="gh-secret-row">
        <code className="gh-secret-value">{value}</code>
        <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
      <p className="gh-hint">{warning}</p>
    </div>
  );
}

/** A small status label. */
export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'success' | 'warning' | 'danger' | 'primary';
  children: ReactNode;
}) {
  return <span className={cx('gh-badge', `gh-badge-${tone}`)}>{children}</span>;
}

/** `owner` → "Owner"; custom role keys keep their words. */
export function roleLabel(role: string): string {
  const words = role.replace(/[_:-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Mar 4, 2026" in the reader's language. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The last-owner refusal, explained: what happened and what to do instead. */
export const LAST_OWNER = {
  last_owner: 'An organization always needs an owner, and this is its only one. Make another member an owner first, then try again.',
};

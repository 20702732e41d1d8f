import type { BackendClient } from '@gatehouse/sdk';
import { GatehouseError } from '@gatehouse/sdk';
import * as Dialog from '@radix-ui/react-dialog';
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { Alert, Button } from '../../../packages/react/src/ui.js';

export { Alert, Avatar, Button, Field } from '../../../packages/react/src/ui.js';

/** The backend client of the signed-in console (through /console/api). */
export const ApiContext = createContext<BackendClient | null>(null);

export function useApi(): BackendClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside the signed-in console');
  return api;
}

/** A date as the operator reads it: "3 Dec 2026, 15:04". */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Load once and on `reload()`; the last error stays shown until the next success. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: unknown; loading: boolean; reload(): void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on.
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, loading, reload: useCallback(() => setTick((n) => n + 1), []) };
}

export interface PageOf<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

/**
 * A list paged by cursor: the cursors of the pages before are kept, so Previous goes back without
 * offsets (fast on any size of list). `key` restarts at the first page (a new search or filter).
 */
export function usePaged<T>(fetchPage: (cursor: string | undefined) => Promise<PageOf<T>>, key: unknown[]) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new key starts over.
  useEffect(() => setCursors([undefined]), key);
  const cursor = cursors[cursors.length - 1];
  const state = useLoad(() => fetchPage(cursor), [cursor, ...key]);
  return {
    ...state,
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: Boolean(state.data?.hasMore && state.data.nextCursor),
    next: () => {
      if (state.data?.nextCursor) setCursors((c) => [...c, state.data?.nextCursor as string]);
    },
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}

/** The API's message and the request id to quote, for any failed call. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const api = error instanceof GatehouseError ? error : undefined;
  return (
    <Alert>
      <span className="cx-error-message">
        {api ? api.message : error instanceof Error ? error.message : 'Something went wrong in the console. Reload the page and try again.'}
      </span>
      {api?.requestId ? (
        <span className="cx-request-id">
          Request id <code>{api.requestId}</code>
        </span>
      ) : null}
    </Alert>
  );
}

export function PageHeader({
  title,
  description,
  actions,
  back,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  back?: ReactNode;
}) {
  return (
    <header className="cx-page-header">
      {back ? <div className="cx-back">{back}</div> : null}
      <div className="cx-page-header-row">
        <div className="cx-page-heading">
          <h1 className="cx-h1">{title}</h1>
          {description ? <p className="cx-description">{description}</p> : null}
        </div>
        {actions ? <div className="cx-actions">{actions}</div> : null}
      </div>
    </header>
  );
}

export function Section({
  title,
  description,
  actions,
  children,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="cx-section" aria-label={title}>
      <div className="cx-section-header">
        <div>
          <h2 className="cx-h2">{title}</h2>
          {description ? <p className="cx-description">{description}</p> : null}
        </div>
        {actions ? <div className="cx-actions">{actions}</div> : null}
      </div>
      <div className="cx-section-body">{children}</div>
    </section>
  );
}

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'success' | 'warning' | 'danger' | 'accent';
  children: ReactNode;
}) {
  return <span className={`cx-badge cx-badge-${tone}`}>{children}</span>;
}

/** A table with its header row; `empty` shows when there are no rows. */
export function Table({ label, columns, children, empty }: { label: string; columns: string[]; children: ReactNode; empty?: ReactNode }) {
  const rows = Array.isArray(children) ? children.filter(Boolean).length : children ? 1 : 0;
  return (
    <div className="cx-table-wrap">
      <table className="cx-table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={c || i} scope="col">
                {c || <span className="gh-sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows === 0 ? (
            <tr>
              <td colSpan={columns.length} className="cx-empty">
                {empty ?? 'Nothing here yet.'}
              </td>
            </tr>
          ) : (
            children
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Previous / Next by cursor, with the page number. */
export function Pager({
  paged,
}: {
  paged: { page: number; hasPrevious: boolean; hasNext: boolean; next(): void; previous(): void; loading: boolean };
}) {
  if (!paged.hasPrevious && !paged.hasNext) return null;
  return (
    <nav className="cx-pager" aria-label="Pages">
      <span className="cx-muted">Page {paged.page}</span>
      <Button variant="secondary" disabled={!paged.hasPrevious || paged.loading} onClick={paged.previous}>
        Previous
      </Button>
      <Button variant="secondary" disabled={!paged.hasNext || paged.loading} onClick={paged.next}>
        Next
      </Button>
    </nav>
  );
}

/** The console's dialogs: Radix, themed like the widgets' dialogs. */
function Modal({
  open,
  onOpenChange,
  title,
  description,
  children,
  wide,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="gh-root gh-overlay" data-gh-theme="light" />
        <Dialog.Content
          className={`gh-root gh-dialog cx-dialog${wide ? ' cx-dialog-wide' : ''}`}
          data-gh-theme="light"
          aria-describedby={undefined}
        >
          <Dialog.Title className="gh-title">{title}</Dialog.Title>
          {description ? <Dialog.Description className="gh-subtitle cx-dialog-description">{description}</Dialog.Description> : null}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/**
 * A button that asks first: every destructive action goes through this. The dialog says what
 * happens, and shows the API's refusal (e.g. `last_owner`) with its request id when it fails.
 */
export function ConfirmButton({
  label,
  title,
  description,
  confirmLabel,
  onConfirm,
  variant = 'secondary',
  tone = 'danger',
  explain,
}: {
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm(): Promise<unknown>;
  variant?: 'secondary' | 'ghost' | 'danger' | 'primary';
  tone?: 'danger' | 'primary';
  /** Turn a refusal into words for this action (the last-owner rule). */
  explain?: (error: GatehouseError) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const confirm = async () => {
    setPending(true);
    setError(undefined);
    try {
      await onConfirm();
      setOpen(false);
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  const explained = error instanceof GatehouseError ? explain?.(error) : undefined;
  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) setError(undefined);
        }}
        title={title}
        description={description}
      >
        {explained ? <div className="cx-explain">{explained}</div> : null}
        <ErrorNote error={error} />
        <div className="cx-dialog-actions">
          <Dialog.Close asChild>
            <Button variant="secondary">Cancel</Button>
          </Dialog.Close>
          <Button variant={tone} pending={pending} onClick={confirm}>
            {confirmLabel}
          </Button>
        </div>
      </Modal>
    </>
  );
}

/**
 * A button opening a form in a dialog. `onSubmit` gets the form's values; when it resolves to a
 * node (a one-time secret), the dialog shows it instead of closing.
 */
export function FormButton({
  label,
  title,
  description,
  submitLabel,
  children,
  onSubmit,
  variant = 'primary',
}: {
  label: string;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  children: ReactNode;
  /** Resolves to a node to show in place of the form (a one-time secret), or to nothing to close. */
  onSubmit(values: Record<string, string>): Promise<unknown>;
  variant?: 'primary' | 'secondary' | 'ghost';
}) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<ReactNode>();
  const form = useRef<HTMLFormElement>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values: Record<string, string> = {};
    for (const [k, v] of new FormData(event.currentTarget)) values[k] = String(v).trim();
    setPending(true);
    setError(undefined);
    try {
      const shown = await onSubmit(values);
      if (shown) setResult(shown as ReactNode);
      else setOpen(false);
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) {
            setError(undefined);
            setResult(undefined);
          }
        }}
        title={title}
        description={result ? undefined : description}
      >
        {result ? (
          <>
            {result}
            <div className="cx-dialog-actions">
              <Dialog.Close asChild>
                <Button>Done</Button>
              </Dialog.Close>
            </div>
          </>
        ) : (
          <form ref={form} className="gh-form cx-form" onSubmit={submit} noValidate>
            {children}
            <ErrorNote error={error} />
            <div className="cx-dialog-actions">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" pending={pending}>
                {submitLabel}
              </Button>
            </div>
          </form>
        )}
      </Modal>
    </>
  );
}

/** A labelled select in the widgets' field style. */
export function Select({
  label,
  name,
  options,
  defaultValue,
}: {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
}) {
  const id = `cx-${name}`;
  return (
    <div className="gh-field">
      <label className="gh-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} name={name} className="gh-input cx-select" defaultValue={defaultValue}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A secret shown once (a new key, token, join code or backup codes), with a copy button. */
export function OneTimeSecret({ label, value, note }: { label: string; value: string; note?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="cx-secret">
      <span className="gh-label">{label}</span>
      <code className="cx-secret-value">{value}</code>
      <div className="cx-secret-row">
        <span className="cx-muted">{note ?? 'Copy it now: it is not shown again.'}</span>
        <Button
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(value).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
    </div>
  );
}

/** Label / value rows for a detail page. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="cx-facts">
      {items.map(([k, v]) => (
        <div key={k} className="cx-fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A search box that reports its value on submit (Enter), not on every keystroke. */
export function SearchBox({
  label,
  placeholder,
  onSearch,
  defaultValue = '',
}: {
  label: string;
  placeholder: string;
  onSearch(value: string): void;
  defaultValue?: string;
}) {
  return (
    <search className="cx-search">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSearch(String(new FormData(e.currentTarget).get('q') ?? '').trim());
        }}
      >
        <label className="gh-sr-only" htmlFor="cx-search-input">
          {label}
        </label>
        <svg className="cx-search-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M8.5 3a5.5 5.5 0 0 1 4.38 8.83l3.65 3.64a.75.75 0 1 1-1.06 1.06l-3.64-3.65A5.5 5.5 0 1 1 8.5 3Zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z"
          />
        </svg>
        <input
          id="cx-search-input"
          name="q"
          className="gh-input cx-search-input"
          type="search"
          placeholder={placeholder}
          defaultValue={defaultValue}
        />
      </form>
    </search>
  );
}

/** Tabs of a detail page, as buttons with the current one marked. */
export function Tabs<K extends string>({
  tabs,
  current,
  onSelect,
  label,
}: {
  tabs: [K, string][];
  current: K;
  onSelect(k: K): void;
  label: string;
}) {
  return (
    <div className="cx-tabs" role="tablist" aria-label={label}>
      {tabs.map(([key, text]) => (
        <button
          key={key}
          type="button"
          role="tab"
          aria-selected={current === key}
          className={`cx-tab${current === key ? ' cx-tab-current' : ''}`}
          onClick={() => onSelect(key)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

/** The loading line of a section. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="cx-loading" role="status">
      <span className="gh-spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

import { GatehouseError } from '@gatehouse/sdk';
import * as Dialog from '@radix-ui/react-dialog';
import * as Menu from '@radix-ui/react-dropdown-menu';
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useEffect, useId, useRef, useState } from 'react';
import { useGatehouseClient } from '../hooks.js';
import type { GatehouseUser } from '../provider.js';
import { Alert, Button, cx, describeError, Field, useAction, useRootProps } from '../ui.js';

/** Thrown when the person closes the "Confirm it’s you" dialog: the step ends with no message. */
export class ReauthCancelled extends Error {
  constructor() {
    super('Re-authentication cancelled');
    this.name = 'ReauthCancelled';
  }
}

/** Runs a sensitive call; on 403 `mfa_required` it asks for the password (or a code), then runs it again. */
type Guard = <T>(call: () => Promise<T>) => Promise<T>;
const ReauthContext = createContext<Guard | null>(null);

/** The guard of the surrounding {@link ReauthProvider}. */
export function useReauth(): Guard {
  const guard = useContext(ReauthContext);
  if (!guard) throw new Error('useReauth must be inside <ReauthProvider>.');
  return guard;
}

/** {@link useAction} for profile steps: closing the re-authentication dialog is not a failure. */
export function useStep<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const quiet = useCallback(
    async (...args: A) => {
      try {
        await action(...args);
      } catch (error) {
        if (!(error instanceof ReauthCancelled)) throw error;
      }
    },
    [action],
  );
  return useAction(quiet);
}

function needsReauth(error: unknown): boolean {
  return error instanceof GatehouseError && error.code === 'mfa_required';
}

/**
 * Gives its children a {@link Guard}. The server asks for a fresh password or code (10 minutes)
 * before changing emails, second factors or passkeys; the dialog asks once and the call is retried.
 */
export function ReauthProvider({ user, children }: { user: GatehouseUser; children: ReactNode }) {
  const [pending, setPending] = useState<{ resolve(): void; reject(error: Error): void } | null>(null);
  const guard = useCallback<Guard>(async (call) => {
    try {
      return await call();
    } catch (error) {
      if (!needsReauth(error)) throw error;
      await new Promise<void>((resolve, reject) => setPending({ resolve, reject }));
      return call();
    }
  }, []);
  const close = (ok: boolean) => {
    if (ok) pending?.resolve();
    else pending?.reject(new ReauthCancelled());
    setPending(null);
  };
  return (
    <ReauthContext.Provider value={guard}>
      {children}
      <Dialog.Root open={pending !== null} onOpenChange={(open) => (open ? undefined : close(false))}>
        <Dialog.Portal>
          <Dialog.Overlay {...useRootProps('gh-overlay')} />
          <Dialog.Content {...useRootProps('gh-dialog')}>
            <ReauthForm user={user} onDone={() => close(true)} onCancel={() => close(false)} />
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </ReauthContext.Provider>
  );
}

function ReauthForm({ user, onDone, onCancel }: { user: GatehouseUser; onDone(): void; onCancel(): void }) {
  const client = useGatehouseClient();
  const [method, setMethod] = useState<'password' | 'code'>(user.hasPassword ? 'password' : 'code');
  const [value, setValue] = useState('');
  const confirm = useAction(async () => {
    await client.auth.reauthenticate(method === 'password' ? { password: value } : { code: value });
    onDone();
  });
  const problem = confirm.error
    ? describeError(confirm.error, {
        invalid_credentials: method === 'password' ? 'That password isn’t right.' : 'That code isn’t right.',
      })
    : undefined;
  const canUseCode = user.totpEnabled || user.backupCodesRemaining > 0;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void confirm.run();
  };
  return (
    <>
      <Dialog.Title className="gh-title">Confirm it’s you</Dialog.Title>
      <Dialog.Description className="gh-subtitle">
        {method === 'password'
          ? 'For your security, enter your password to continue.'
          : 'For your security, enter a code from your authenticator app or a backup code.'}
      </Dialog.Description>
      <form className="gh-form" onSubmit={onSubmit} noValidate>
        {problem ? <Alert>{problem.message}</Alert> : null}
        <Field
          key={method}
          label={method === 'password' ? 'Password' : 'Authentication code'}
          name={method}
          type={method === 'password' ? 'password' : 'text'}
          autoComplete={method === 'password' ? 'current-password' : 'one-time-code'}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={problem?.fields[method]}
          autoFocus
          required
        />
        {user.hasPassword && canUseCode ? (
          <Button
            variant="link"
            className="gh-self-start"
            onClick={() => {
              confirm.reset();
              setValue('');
              setMethod(method === 'password' ? 'code' : 'password');
            }}
          >
            {method === 'password' ? 'Use an authentication code instead' : 'Use your password instead'}
          </Button>
        ) : null}
        <div className="gh-actions">
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" pending={confirm.pending} disabled={!value}>
            Continue
          </Button>
        </div>
      </form>
    </>
  );
}

/** Something the profile loads itself (passkeys, sessions): data, failure, and a way to load it again. */
export function useLoad<T>(load: () => Promise<T>): { data: T | undefined; error: unknown; reload(): Promise<void> } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    setError(undefined);
    try {
      const value = await load();
      if (mine === latest.current) setData(value);
    } catch (e) {
      if (mine === latest.current) setError(e);
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

/** One row of the profile: its title on the left, its content on the right. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="gh-section" aria-labelledby={id}>
      <h3 id={id} className="gh-section-title">
        {title}
      </h3>
      <div className="gh-section-body">{children}</div>
    </section>
  );
}

/** An entry of a section: an optional leading icon, text, badges and actions at the end. */
export function Item({ icon, children, end }: { icon?: ReactNode; children: ReactNode; end?: ReactNode }) {
  return (
    <li className="gh-item">
      {icon ? <span className="gh-item-icon">{icon}</span> : null}
      <div className="gh-item-text">{children}</div>
      {end ? <div className="gh-item-end">{end}</div> : null}
    </li>
  );
}

/** A small label beside a name: "Primary", "This device". */
export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'primary' | 'success' | 'warning'; children: ReactNode }) {
  return <span className={cx('gh-badge', `gh-badge-${tone}`)}>{children}</span>;
}

/** The "…" menu of a row; `label` names it for screen readers ("Options for ada@example.com"). */
export function RowMenu({ label, children }: { label: string; children: ReactNode }) {
  const menuRoot = useRootProps('gh-menu');
  return (
    <Menu.Root modal={false}>
      <Menu.Trigger className="gh-icon-button" aria-label={label}>
        <DotsIcon />
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content {...menuRoot} align="end" sideOffset={4}>
          {children}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}

/** An entry of a {@link RowMenu}. */
export function RowMenuItem({ danger, onSelect, children }: { danger?: boolean; onSelect(): void; children: ReactNode }) {
  return (
    <Menu.Item className={cx('gh-menu-item', danger && 'gh-menu-item-danger')} onSelect={onSelect}>
      {children}
    </Menu.Item>
  );
}

/** The grey box an inline form opens in, under the row that opened it. */
export function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="gh-panel">
      <h4 className="gh-panel-title">{title}</h4>
      {children}
    </div>
  );
}

/** The loading rows of a list. */
export function SkeletonRows({ label, count = 2 }: { label: string; count?: number }) {
  return (
    <div className="gh-skeleton-rows" aria-busy="true">
      <span role="status" className="gh-sr-only">
        {label}
      </span>
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders with no identity
        <div key={i} className="gh-skeleton" />
      ))}
    </div>
  );
}

/** A failed load, with a retry. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry(): void }) {
  return (
    <div className="gh-load-error">
      <Alert>{describeError(error).message}</Alert>
      <Button variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}

/** Copies text, and says so for two seconds. */
export function CopyButton({ text, label = 'Copy', copiedLabel = 'Copied' }: { text: string; label?: string; copiedLabel?: string }) {
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
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      <span aria-live="polite">{copied ? copiedLabel : label}</span>
    </Button>
  );
}

/** "Chrome on macOS" from a User-Agent; enough to recognise a device, not to fingerprint it. */
export function device(userAgent: string | null): { title: string; mobile: boolean } {
  if (!userAgent) return { title: 'Unknown device', mobile: false };
  const browser =
    [
      [/Edg\//, 'Edge'],
      [/OPR\//, 'Opera'],
      [/Firefox\//, 'Firefox'],
      [/(Headless)?Chrom(e|ium)\//, 'Chrome'],
      [/Safari\//, 'Safari'],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? null;
  const os =
    [
      [/iPhone|iPad/, 'iOS'],
      [/Android/, 'Android'],
      [/Mac OS X|Macintosh/, 'macOS'],
      [/Windows/, 'Windows'],
      [/CrOS/, 'ChromeOS'],
      [/Linux/, 'Linux'],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? null;
  const mobile = /Mobile|iPhone|Android/.test(userAgent);
  if (browser && os) return { title: `${browser} on ${os}`, mobile };
  return { title: (browser as string | null) ?? (os as string | null) ?? 'Unknown device', mobile };
}

/** "3 minutes ago", "yesterday". A time ahead of this device's clock (skew) reads "just now". */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.min(0, Math.round((new Date(iso).getTime() - now) / 1000));
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 30],
    ['month', 12],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return unit === 'second' && Math.abs(value) < 45 ? 'just now' : format.format(value, unit);
    value = Math.round(value / size);
  }
  return format.format(value, 'year');
}

/** "Mar 4, 2026". */
export function shortDate(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(iso));
}

function DotsIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M4.5 11.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Zm5.5 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Zm5.5 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Z"
      />
    </svg>
  );
}

/** The "+" of "Add …" buttons. */
export function PlusIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M10 3a1 1 0 0 1 1 1v5h5a1 1 0 1 1 0 2h-5v5a1 1 0 1 1-2 0v-5H4a1 1 0 1 1 0-2h5V4a1 1 0 0 1 1-1Z" />
    </svg>
  );
}

import { GatehouseError } from '@gatehouse/sdk';
import {
  type ButtonHTMLAttributes,
  forwardRef,
  type InputHTMLAttributes,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useState,
} from 'react';
import { useGatehouseContext } from './provider.js';

/** Class names joined, falsy ones dropped. */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

/**
 * The scope every widget renders in: its styles apply under `.gh-root` only, so nothing leaks into
 * the host page, and the theme travels as `data-gh-theme` (portals carry it too).
 */
export function useRootProps(className?: string): { className: string; 'data-gh-theme': string } {
  const { theme } = useGatehouseContext();
  return { className: cx('gh-root', className), 'data-gh-theme': theme };
}

/** What a failed call means for the person at the keyboard. */
export interface DescribedError {
  message: string;
  /** Seconds until a rate limit lifts. */
  retryAfter?: number;
  /** Messages for single inputs, by input name (`email`, `password`, `code`). */
  fields: Record<string, string>;
}

const MESSAGES: Partial<Record<GatehouseError['code'], string>> = {
  invalid_credentials: 'That email and password don’t match. Check them and try again.',
  network_error: 'Can’t reach the server. Check your connection and try again.',
  unavailable: 'The service is briefly unavailable. Try again in a moment.',
  forbidden: 'You don’t have permission to do that.',
  unauthenticated: 'Your session has ended. Sign in again.',
  internal: 'Something went wrong on our side. Try again.',
};

/** Turn any failure into words: known codes get a sentence, field problems go to their inputs. */
export function describeError(error: unknown, overrides: Partial<Record<string, string>> = {}): DescribedError {
  if (!(error instanceof GatehouseError)) return { message: MESSAGES.internal as string, fields: {} };
  if (error.code === 'rate_limited') {
    const seconds = error.retryAfter ?? 30;
    return { message: tooManyAttempts(seconds), retryAfter: seconds, fields: {} };
  }
  const fields: Record<string, string> = {};
  if (error.code === 'invalid_request' && Array.isArray(error.details)) {
    for (const item of error.details as { path?: string; message?: string }[]) {
      const name = item.path?.split('.').pop();
      if (name && item.message && !fields[name]) fields[name] = sentence(item.message);
    }
  }
  const message = overrides[error.code] ?? MESSAGES[error.code] ?? sentence(error.message);
  return { message, fields };
}

/** "Too many attempts. Try again in 40 seconds." (minutes past a minute and a half). */
export function tooManyAttempts(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  const wait = seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${minutes} minutes`;
  return `Too many attempts. Try again in ${wait}.`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Counts a rate limit down to zero, one second at a time. */
export function useCountdown(): [number, (seconds: number) => void] {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft((n) => n - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return [left, setLeft];
}

/** Run a submit handler once at a time, keeping its failure for display. */
export function useAction<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
): { run: (...args: A) => Promise<void>; pending: boolean; error: unknown; reset(): void } {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(
    async (...args: A) => {
      setPending(true);
      setError(undefined);
      try {
        await action(...args);
      } catch (e) {
        setError(e);
      } finally {
        setPending(false);
      }
    },
    [action],
  );
  return { run, pending, error, reset: () => setError(undefined) };
}

/** A centered card with a title and an optional subtitle: the frame of the full-page widgets. */
export function Card({
  title,
  subtitle,
  footer,
  children,
  className,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const titleId = useId();
  return (
    <section {...useRootProps(cx('gh-card', className))} aria-labelledby={titleId}>
      <div className="gh-card-body">
        <header className="gh-card-header">
          <h2 id={titleId} className="gh-title">
            {title}
          </h2>
          {subtitle ? <p className="gh-subtitle">{subtitle}</p> : null}
        </header>
        {children}
      </div>
      {footer ? <footer className="gh-card-footer">{footer}</footer> : null}
    </section>
  );
}

/** A labelled input with its hint and its error, both announced by screen readers. */
export const Field = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string }>(
  function Field({ label, hint, error, id, className, ...input }, ref) {
    const fallbackId = useId();
    const inputId = id ?? fallbackId;
    const hintId = hint ? `${inputId}-hint` : undefined;
    const errorId = error ? `${inputId}-error` : undefined;
    const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
    return (
      <div className={cx('gh-field', className)}>
        <label className="gh-label" htmlFor={inputId}>
          {label}
        </label>
        <input
          ref={ref}
          id={inputId}
          className="gh-input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...input}
        />
        {hint && !error ? (
          <p id={hintId} className="gh-hint">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={errorId} className="gh-field-error">
            {error}
          </p>
        ) : null}
      </div>
    );
  },
);

/** A button; `pending` shows a spinner, keeps the label for screen readers and blocks double submits. */
export const Button = forwardRef<
  HTMLButtonElement,
  ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'ghost' | 'danger' | 'link'; pending?: boolean }
>(function Button({ variant = 'primary', pending = false, className, children, disabled, type = 'button', ...rest }, ref) {
  return (
    <button
      ref={ref}
      type={type}
      className={cx('gh-button', `gh-button-${variant}`, className)}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      {...rest}
    >
      {pending ? <Spinner /> : null}
      <span>{children}</span>
    </button>
  );
});

/** A spinner. With `label` it is a status message for screen readers only (skeletons show the loading). */
export function Spinner({ label }: { label?: string }) {
  if (label) {
    return (
      <span role="status" className="gh-sr-only">
        {label}
      </span>
    );
  }
  return <span className="gh-spinner" aria-hidden="true" />;
}

/** A message box; errors are announced as they appear. */
export function Alert({ tone = 'danger', children }: { tone?: 'danger' | 'info' | 'success'; children: ReactNode }) {
  return (
    <div className={cx('gh-alert', `gh-alert-${tone}`)} role={tone === 'danger' ? 'alert' : 'status'}>
      <AlertIcon tone={tone} />
      <div>{children}</div>
    </div>
  );
}

function AlertIcon({ tone }: { tone: 'danger' | 'info' | 'success' }) {
  return (
    <svg className="gh-alert-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      {tone === 'success' ? (
        <path
          fill="currentColor"
          d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.7-9.3-4 4a1 1 0 0 1-1.4 0l-2-2a1 1 0 1 1 1.4-1.4L9 10.6l3.3-3.3a1 1 0 0 1 1.4 1.4Z"
        />
      ) : (
        <path
          fill="currentColor"
          d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16ZM9 6a1 1 0 1 1 2 0v4a1 1 0 1 1-2 0V6Zm1 8.5a1.2 1.2 0 1 1 0-2.4 1.2 1.2 0 0 1 0 2.4Z"
        />
      )}
    </svg>
  );
}

/** Initials, or the image when there is one. Decorative: the control around it carries the name. */
export function Avatar({
  name,
  imageUrl,
  shape = 'circle',
  size = 32,
}: {
  name: string;
  imageUrl?: string | null;
  shape?: 'circle' | 'square';
  size?: number;
}) {
  const initials =
    name
      .split(/[\s@._-]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]?.toUpperCase())
      .join('') || '?';
  // A stable hue per name, so the same organization keeps its color everywhere.
  let hue = 0;
  for (const ch of name) hue = (hue * 31 + ch.charCodeAt(0)) % 360;
  return (
    <span
      className={cx('gh-avatar', shape === 'square' && 'gh-avatar-square')}
      style={{ width: size, height: size, fontSize: Math.round(size * 0.4), ['--gh-avatar-hue' as string]: String(hue) }}
      // Initials drawn by CSS, not text: a control named "Account menu for Ada Lovelace" must not read "AL" too.
      data-initials={imageUrl ? undefined : initials}
      aria-hidden="true"
    >
      {imageUrl ? <img src={imageUrl} alt="" /> : null}
    </span>
  );
}

/** The skeleton a widget shows while its first answer is on the way. */
export function LoadingCard({ label }: { label: string }) {
  return (
    <section {...useRootProps('gh-card')} aria-busy="true">
      <div className="gh-card-body gh-loading">
        <Spinner label={label} />
        <div className="gh-skeleton gh-skeleton-title" />
        <div className="gh-skeleton" />
        <div className="gh-skeleton" />
      </div>
    </section>
  );
}

/** A display name for a user: their name, else their email. */
export function displayName(user: { firstName: string | null; lastName: string | null; email: string | null }): string {
  const full = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return full || user.email || 'Account';
}

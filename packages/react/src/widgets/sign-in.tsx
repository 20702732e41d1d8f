import type { Client } from '@gatehouse/sdk';
import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useGatehouseClient, useSession, useUser } from '../hooks.js';
import type { GatehouseUser } from '../provider.js';
import { Alert, Button, Card, describeError, displayName, Field, LoadingCard, tooManyAttempts, useAction, useCountdown } from '../ui.js';

/** Props of {@link SignIn}. */
export interface SignInProps {
  /** Called once signed in (after the second factor, when one is asked). */
  onSignIn?: (user: GatehouseUser) => void;
  /** Where the "Sign up" link goes; no link without it. */
  signUpUrl?: string;
  /** The heading. Default "Sign in". */
  title?: string;
  /** Offer "Sign in with a passkey" (when the browser supports passkeys). Default `true`. */
  passkeys?: boolean;
}

type AuthenticationOptions = Parameters<typeof startAuthentication>[0]['optionsJSON'];
type AuthenticationAnswer = Parameters<Client['auth']['passkey']['verify']>[0]['response'];

/** The browser said no: the person closed the prompt, it timed out, or there was no passkey to offer. */
function passkeyDeclined(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError');
}

type Step = { kind: 'credentials' } | { kind: 'second_factor'; attemptId: string; factors: string[]; method: 'totp' | 'backup_code' };

/**
 * Sign in with email and password, then a TOTP or backup code when the account has a second factor;
 * or with a passkey, no email typed (no second step: the passkey's user verification is one).
 * Wrong credentials, rate limits (with a countdown) and unreachable servers are explained in place.
 */
export function SignIn({ onSignIn, signUpUrl, title = 'Sign in', passkeys = true }: SignInProps) {
  const client = useGatehouseClient();
  const { isLoaded, isSignedIn, refresh, signOut } = useSession();
  const { user } = useUser();
  const [step, setStep] = useState<Step>({ kind: 'credentials' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [wait, setWait] = useCountdown();
  const codeRef = useRef<HTMLInputElement>(null);

  const finish = async (signedIn: GatehouseUser) => {
    await refresh();
    onSignIn?.(signedIn);
  };

  const submitCredentials = useAction(async () => {
    const result = await client.auth.signIn({ email, password });
    if (result.status === 'complete') return finish(result.user);
    setCode('');
    setStep({ kind: 'second_factor', attemptId: result.attemptId, factors: result.factors, method: 'totp' });
  });
  const submitCode = useAction(async () => {
    if (step.kind !== 'second_factor') return;
    const result = await client.auth.secondFactor({ attemptId: step.attemptId, code });
    await finish(result.user);
  });
  const withPasskey = useAction(async () => {
    const { options } = await client.auth.passkey.options();
    const response = await startAuthentication({ optionsJSON: options as AuthenticationOptions });
    const result = await client.auth.passkey.verify({ response: response as AuthenticationAnswer });
    await finish(result.user);
  });
  const [passkeySupported, setPasskeySupported] = useState(false);
  useEffect(() => setPasskeySupported(browserSupportsWebAuthn()), []);
  const active =
    step.kind === 'second_factor' ? submitCode : withPasskey.error && !submitCredentials.error ? withPasskey : submitCredentials;
  const problem = passkeyDeclined(active.error)
    ? { message: 'The passkey sign-in was cancelled or timed out. Try again, or use your password.', fields: {} as Record<string, string> }
    : active.error
      ? describeError(active.error, {
          invalid_credentials:
            step.kind === 'second_factor'
              ? 'That code isn’t right. Check it and try again.'
              : active === withPasskey
                ? 'That passkey isn’t registered here. Use another one, or your password.'
                : undefined,
          not_found: 'This sign-in attempt has expired. Start again.',
        })
      : undefined;

  useEffect(() => {
    if (problem?.retryAfter) setWait(problem.retryAfter);
  }, [problem?.retryAfter, setWait]);
  useEffect(() => {
    if (step.kind === 'second_factor') codeRef.current?.focus();
  }, [step]);

  if (!isLoaded) return <LoadingCard label="Loading sign-in" />;
  if (isSignedIn && user && step.kind === 'credentials' && !submitCredentials.pending && !withPasskey.pending) {
    return (
      <Card title="You’re signed in" subtitle={`as ${displayName(user)}`}>
        <Button variant="secondary" className="gh-block" onClick={() => void signOut()}>
          Sign out
        </Button>
      </Card>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    withPasskey.reset();
    void (step.kind === 'credentials' ? submitCredentials : submitCode).run();
  };
  const rateLimited = wait > 0 ? tooManyAttempts(wait) : undefined;
  const message = rateLimited ?? (problem && !problem.retryAfter ? problem.message : undefined);

  if (step.kind === 'second_factor') {
    const backup = step.method === 'backup_code';
    return (
      <Card
        title="Two-step verification"
        subtitle={
          backup
            ? 'Enter one of the backup codes you saved when you set up two-step verification.'
            : 'Enter the 6-digit code from your authenticator app.'
        }
      >
        <form className="gh-form" onSubmit={onSubmit} noValidate>
          {message ? <Alert>{message}</Alert> : null}
          <Field
            ref={codeRef}
            key={step.method}
            className={backup ? undefined : 'gh-code'}
            label={backup ? 'Backup code' : 'Authentication code'}
            name="code"
            autoComplete="one-time-code"
            inputMode={backup ? 'text' : 'numeric'}
            placeholder={backup ? 'xxxxx-xxxxx' : '000000'}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={problem?.fields.code}
            required
          />
          <Button type="submit" className="gh-block" pending={submitCode.pending} disabled={wait > 0 || !code.trim()}>
            Verify
          </Button>
        </form>
        <div className="gh-row-between">
          <Button variant="link" onClick={() => setStep({ kind: 'credentials' })}>
            Back
          </Button>
          {step.factors.includes('backup_code') && step.factors.includes('totp') ? (
            <Button
              variant="link"
              onClick={() => {
                submitCode.reset();
                setCode('');
                setStep({ ...step, method: backup ? 'totp' : 'backup_code' });
              }}
            >
              {backup ? 'Use your authenticator app' : 'Use a backup code'}
            </Button>
          ) : null}
        </div>
      </Card>
    );
  }

  return (
    <Card
      title={title}
      subtitle="Welcome back. Sign in to continue."
      footer={
        signUpUrl ? (
          <p>
            Don’t have an account? <a href={signUpUrl}>Sign up</a>
          </p>
        ) : undefined
      }
    >
      <form className="gh-form" onSubmit={onSubmit} noValidate>
        {message ? <Alert>{message}</Alert> : null}
        <Field
          label="Email address"
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={problem?.fields.email}
          required
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={problem?.fields.password}
          required
        />
        <Button type="submit" className="gh-block" pending={submitCredentials.pending} disabled={wait > 0 || withPasskey.pending}>
          Continue
        </Button>
      </form>
      {passkeys && passkeySupported ? (
        <>
          <div className="gh-divider">
            <span>or</span>
          </div>
          <Button
            variant="secondary"
            className="gh-block"
            pending={withPasskey.pending}
            disabled={wait > 0 || submitCredentials.pending}
            onClick={() => {
              submitCredentials.reset();
              void withPasskey.run();
            }}
          >
            <PasskeyIcon />
            Sign in with a passkey
          </Button>
        </>
      ) : null}
    </Card>
  );
}

function PasskeyIcon() {
  return (
    <svg className="gh-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8 2a4 4 0 1 1 0 8 4 4 0 0 1 0-8Zm-5 15a5 5 0 0 1 7.6-4.3 4.5 4.5 0 0 0 .4 4.8V18H4a1 1 0 0 1-1-1Zm12.5-6a2.5 2.5 0 0 1 1 4.8v.5l.7.7-.7.7.7.7-1.2 1.2a.7.7 0 0 1-1 0l-.5-.5v-3.3a2.5 2.5 0 0 1 1-4.8Zm0 1.5a.8.8 0 1 0 0 1.6.8.8 0 0 0 0-1.6Z"
      />
    </svg>
  );
}

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
}

type Step = { kind: 'credentials' } | { kind: 'second_factor'; attemptId: string; factors: string[]; method: 'totp' | 'backup_code' };

/**
 * Sign in with email and password, then a TOTP or backup code when the account has a second factor.
 * Wrong credentials, rate limits (with a countdown) and unreachable servers are explained in place.
 */
export function SignIn({ onSignIn, signUpUrl, title = 'Sign in' }: SignInProps) {
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
  const active = step.kind === 'credentials' ? submitCredentials : submitCode;
  const problem = active.error
    ? describeError(active.error, {
        invalid_credentials: step.kind === 'credentials' ? undefined : 'That code isn’t right. Check it and try again.',
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
  if (isSignedIn && user && step.kind === 'credentials' && !submitCredentials.pending) {
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
    void active.run();
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
        <Button type="submit" className="gh-block" pending={submitCredentials.pending} disabled={wait > 0}>
          Continue
        </Button>
      </form>
    </Card>
  );
}

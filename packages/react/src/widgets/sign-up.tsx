import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useGatehouseClient, useSession, useUser } from '../hooks.js';
import type { GatehouseUser } from '../provider.js';
import { Alert, Button, Card, describeError, displayName, Field, LoadingCard, tooManyAttempts, useAction, useCountdown } from '../ui.js';

/** Props of {@link SignUp}. */
export interface SignUpProps {
  /** Called once the email is verified and the new user is signed in. */
  onSignUp?: (user: GatehouseUser) => void;
  /** Where the "Sign in" link goes; no link without it. */
  signInUrl?: string;
  /** The heading. Default "Create your account". */
  title?: string;
}

/**
 * Create an account: names, email and password, then the 6-digit code mailed to the address. No
 * account exists until the code is entered, so nobody can claim an address they do not read.
 */
export function SignUp({ onSignUp, signInUrl, title = 'Create your account' }: SignUpProps) {
  const client = useGatehouseClient();
  const { isLoaded, isSignedIn, refresh, signOut } = useSession();
  const { user } = useUser();
  const [form, setForm] = useState({ firstName: '', lastName: '', email: '', password: '' });
  const [attemptId, setAttemptId] = useState<string>();
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const [wait, setWait] = useCountdown();
  const codeRef = useRef<HTMLInputElement>(null);

  const begin = async () => {
    const result = await client.auth.signUp({
      email: form.email,
      password: form.password,
      ...(form.firstName.trim() ? { firstName: form.firstName.trim() } : {}),
      ...(form.lastName.trim() ? { lastName: form.lastName.trim() } : {}),
    });
    setAttemptId(result.attemptId);
  };
  const start = useAction(begin);
  const verify = useAction(async () => {
    if (!attemptId) return;
    const result = await client.auth.verifyEmail({ attemptId, code });
    if (result.status !== 'complete') return;
    await refresh();
    onSignUp?.(result.user);
  });
  const resend = useAction(async () => {
    verify.reset();
    await begin();
    setCode('');
    setResent(true);
  });

  const active = attemptId ? verify : start;
  const failure = attemptId ? (resend.error ?? verify.error) : start.error;
  const problem = failure
    ? describeError(failure, {
        invalid_credentials: 'That code isn’t right. Check the latest email and try again.',
        not_found: 'This code has expired. Send a new one.',
      })
    : undefined;
  useEffect(() => {
    if (problem?.retryAfter) setWait(problem.retryAfter);
  }, [problem?.retryAfter, setWait]);
  useEffect(() => {
    if (attemptId) codeRef.current?.focus();
  }, [attemptId]);

  if (!isLoaded) return <LoadingCard label="Loading sign-up" />;
  if (isSignedIn && user && !attemptId) {
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
  const message = rateLimited ?? (problem && !problem.retryAfter && !Object.keys(problem.fields).length ? problem.message : undefined);

  if (attemptId) {
    return (
      <Card
        title="Check your email"
        subtitle={
          <>
            Enter the 6-digit code we sent to <strong className="gh-email">{form.email}</strong>
          </>
        }
      >
        <form className="gh-form" onSubmit={onSubmit} noValidate>
          {message ? <Alert>{message}</Alert> : null}
          {resent && !message ? <Alert tone="success">A new code is on its way.</Alert> : null}
          <Field
            ref={codeRef}
            label="Verification code"
            className="gh-code"
            hint="The code expires in 10 minutes."
            name="code"
            autoComplete="one-time-code"
            inputMode="numeric"
            placeholder="000000"
            maxLength={12}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={problem?.fields.code}
            required
          />
          <Button type="submit" className="gh-block" pending={verify.pending} disabled={wait > 0 || !code.trim()}>
            Verify email
          </Button>
        </form>
        <div className="gh-row-between">
          <Button variant="link" onClick={() => setAttemptId(undefined)}>
            Use another email
          </Button>
          <Button variant="link" pending={resend.pending} disabled={wait > 0} onClick={() => void resend.run()}>
            Send a new code
          </Button>
        </div>
      </Card>
    );
  }

  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  return (
    <Card
      title={title}
      subtitle="Start with your name and email."
      footer={
        signInUrl ? (
          <p>
            Already have an account? <a href={signInUrl}>Sign in</a>
          </p>
        ) : undefined
      }
    >
      <form className="gh-form" onSubmit={onSubmit} noValidate>
        {message ? <Alert>{message}</Alert> : null}
        <div className="gh-row">
          <Field
            label="First name"
            name="firstName"
            autoComplete="given-name"
            value={form.firstName}
            onChange={set('firstName')}
            error={problem?.fields.firstName}
          />
          <Field
            label="Last name"
            name="lastName"
            autoComplete="family-name"
            value={form.lastName}
            onChange={set('lastName')}
            error={problem?.fields.lastName}
          />
        </div>
        <Field
          label="Email address"
          name="email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
          error={problem?.fields.email}
          required
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          value={form.password}
          onChange={set('password')}
          error={problem?.fields.password}
          required
        />
        <Button type="submit" className="gh-block" pending={start.pending} disabled={wait > 0}>
          Continue
        </Button>
      </form>
    </Card>
  );
}

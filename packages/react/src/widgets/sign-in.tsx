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
  /** Offer a "Continue with …" button for each social sign-in provider the server has enabled. Default `true`. */
  social?: boolean;
}

type SocialProvider = Awaited<ReturnType<Client['auth']['oauth']['providers']>>['providers'][number];

/** What the social sign-in callback's `?error=` codes mean, to the person who was sent back. */
const SOCIAL_ERRORS: Record<string, string> = {
  oauth_access_denied: 'The sign-in was cancelled at the provider. Try again, or sign in another way.',
  oauth_state_mismatch: 'That sign-in was started in another browser or has already been used. Start again here.',
  oauth_expired: 'The sign-in took too long. Start again.',
  oauth_provider_disabled: 'That sign-in option has been turned off. Sign in another way.',
  oauth_failed: 'The provider could not confirm who you are. Try again.',
  oauth_email_missing: 'The provider did not share an email address, which an account here needs. Sign in another way.',
  oauth_account_exists_unverified:
    'An account with this email already exists, and the provider has not verified the address, so they were not linked. Sign in with your password.',
  oauth_already_linked: 'That provider account is already connected to another user.',
};

/**
 * Where the social callback sent the browser back with something to do: an error to explain, or a
 * second factor to ask. Read once, then dropped from the address bar so a reload does not repeat it.
 */
function takeSocialReturn(): { error?: string; attemptId?: string; factors?: string[] } {
  if (typeof window === 'undefined') return {};
  const url = new URL(window.location.href);
  const error = url.searchParams.get('error');
  const pending = url.searchParams.get('oauth') === 'needs_second_factor' ? url.searchParams.get('attemptId') : null;
  if (!(error && error in SOCIAL_ERRORS) && !pending) return {};
  const factors = (url.searchParams.get('factors') ?? 'totp').split(',').filter(Boolean);
  for (const name of ['error', 'oauth', 'attemptId', 'factors']) url.searchParams.delete(name);
  window.history.replaceState(window.history.state, '', url.toString());
  return pending ? { attemptId: pending, factors } : { error: SOCIAL_ERRORS[error as string] };
}

/** The page the provider should send the browser back to: this one, without a previous sign-in's answer. */
function currentPageUrl(): string {
  const url = new URL(window.location.href);
  for (const name of ['error', 'oauth', 'attemptId', 'factors']) url.searchParams.delete(name);
  url.hash = '';
  return url.toString();
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
export function SignIn({ onSignIn, signUpUrl, title = 'Sign in', passkeys = true, social = true }: SignInProps) {
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
  const [providers, setProviders] = useState<SocialProvider[]>([]);
  const [socialError, setSocialError] = useState<string>();
  useEffect(() => {
    const back = takeSocialReturn();
    if (back.error) setSocialError(back.error);
    if (back.attemptId) setStep({ kind: 'second_factor', attemptId: back.attemptId, factors: back.factors ?? ['totp'], method: 'totp' });
  }, []);
  useEffect(() => {
    if (!social) return;
    let live = true;
    // No buttons when the list cannot be read: the other ways in still work.
    client.auth.oauth.providers().then(
      (answer) => live && setProviders(answer.providers),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, social]);
  // The provider whose button was pressed: it stays pending while the browser leaves for the provider.
  const [leavingFor, setLeavingFor] = useState<string>();
  const withProvider = useAction(async (providerId: string) => {
    setLeavingFor(providerId);
    try {
      const { authorizationUrl } = await client.auth.oauth.start({ providerId, redirectUrl: currentPageUrl() });
      window.location.assign(authorizationUrl);
    } catch (error) {
      setLeavingFor(undefined);
      throw error;
    }
  });
  const active =
    step.kind === 'second_factor'
      ? submitCode
      : withProvider.error
        ? withProvider
        : withPasskey.error && !submitCredentials.error
          ? withPasskey
          : submitCredentials;
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
    withProvider.reset();
    setSocialError(undefined);
    void (step.kind === 'credentials' ? submitCredentials : submitCode).run();
  };
  const rateLimited = wait > 0 ? tooManyAttempts(wait) : undefined;
  const message = rateLimited ?? (problem && !problem.retryAfter ? problem.message : socialError);

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
      {(passkeys && passkeySupported) || providers.length > 0 ? (
        <div className="gh-divider">
          <span>or</span>
        </div>
      ) : null}
      {providers.map((provider) => (
        <Button
          key={provider.id}
          variant="secondary"
          className="gh-block gh-social"
          pending={leavingFor === provider.id}
          disabled={wait > 0 || leavingFor !== undefined || submitCredentials.pending}
          onClick={() => {
            submitCredentials.reset();
            withPasskey.reset();
            setSocialError(undefined);
            void withProvider.run(provider.id);
          }}
        >
          Continue with {provider.name}
        </Button>
      ))}
      {passkeys && passkeySupported ? (
        <>
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

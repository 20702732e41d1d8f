import '@fontsource-variable/inter/index.css';
import '@gatehouse/react/styles.css';
import './console.css';
import { GatehouseError } from '@gatehouse/sdk';
import { type FormEvent, StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { type ConsoleSession, consoleBackend, currentSession, signIn, signOut } from './api.js';
import { InstancePage } from './pages/instance.js';
import { OrganizationDetail, OrganizationsPage } from './pages/organizations.js';
import { UserDetail, UsersPage } from './pages/users.js';
import { Link, Router, useRouter } from './router.js';
import { Alert, ApiContext, Button, ErrorNote, Field, Loading } from './ui.js';

function Logo() {
  return (
    <svg className="cx-logo" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect width="24" height="24" rx="6" fill="currentColor" />
      <path d="M7 17V9.5L12 6l5 3.5V17h-3.2v-4.2h-3.6V17H7Z" fill="#fff" />
    </svg>
  );
}

function SignInPage({ onSignedIn, ended }: { onSignedIn(session: ConsoleSession): void; ended: boolean }) {
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = String(new FormData(event.currentTarget).get('secretKey') ?? '').trim();
    setPending(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(key));
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  const fieldError =
    error instanceof GatehouseError && error.code === 'unauthenticated' ? 'This key is not valid or was revoked.' : undefined;
  return (
    <main className="cx-signin">
      <div className="cx-signin-brand">
        <Logo />
        <span>Gatehouse</span>
      </div>
      <section className="gh-root gh-card cx-signin-card" data-gh-theme="light" aria-labelledby="signin-title">
        <div className="gh-card-body">
          <header className="gh-card-header">
            <h1 id="signin-title" className="gh-title">
              Sign in to the console
            </h1>
            <p className="gh-subtitle">
              Paste a secret key of this instance. The key is exchanged for a session and not stored in the browser.
            </p>
          </header>
          {ended ? <Alert tone="info">Your console session has ended. Sign in again.</Alert> : null}
          <form className="gh-form" onSubmit={submit} noValidate>
            <Field
              label="Secret key"
              name="secretKey"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="sk_live_…"
              required
              hint="npm start prints the initial key the first time it runs."
              {...(fieldError ? { error: fieldError } : {})}
            />
            {error && !fieldError ? <ErrorNote error={error} /> : null}
            <Button type="submit" className="gh-block" pending={pending}>
              Sign in
            </Button>
          </form>
        </div>
        <footer className="gh-card-footer">
          <p>A session ends after 30 minutes idle, or 8 hours after sign-in.</p>
        </footer>
      </section>
    </main>
  );
}

const NAV = [
  { to: 'users', label: 'Users', icon: 'M10 10a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Zm-6 7a6 6 0 0 1 12 0v.5H4V17Z' },
  {
    to: 'organizations',
    label: 'Organizations',
    icon: 'M3 17V5.5A1.5 1.5 0 0 1 4.5 4h6A1.5 1.5 0 0 1 12 5.5V8h3.5A1.5 1.5 0 0 1 17 9.5V17h-4v-3H7v3H3Zm3-10v2h2V7H6Zm0 4v2h2v-2H6Zm7 0v2h2v-2h-2Z',
  },
  {
    to: 'instance',
    label: 'Instance',
    icon: 'M10 2.5 16.5 6v8L10 17.5 3.5 14V6L10 2.5Zm0 4.5a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z',
  },
] as const;

function Shell({ session, onSignOut }: { session: ConsoleSession; onSignOut(): void }) {
  const { location } = useRouter();
  const [first, id] = location.path.split('/');
  const section = first || 'users';
  let content: React.ReactNode;
  if (section === 'users') content = id ? <UserDetail userId={id} /> : <UsersPage />;
  else if (section === 'organizations') content = id ? <OrganizationDetail organizationId={id} /> : <OrganizationsPage />;
  else if (section === 'instance') content = <InstancePage />;
  else
    content = (
      <p>
        No such page. <Link to="users">Go to users</Link>
      </p>
    );
  return (
    <div className="cx-shell">
      <aside className="cx-sidebar">
        <div className="cx-sidebar-inner">
          <div className="cx-brand">
            <Logo />
            <span className="cx-brand-name">Gatehouse</span>
            <span className="cx-brand-tag">Console</span>
          </div>
          <nav aria-label="Console">
            <ul className="cx-nav">
              {NAV.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} className="cx-nav-link" aria-current={section === item.to ? 'page' : undefined}>
                    <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">
                      <path fill="currentColor" d={item.icon} />
                    </svg>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="cx-sidebar-foot">
            <a className="cx-nav-link" href="/docs">
              API reference
            </a>
            <div className="cx-whoami">
              <span className="cx-muted">Signed in with</span>
              <code>{session.keyId === 'env' ? 'GATEHOUSE_SECRET_KEY' : session.keyId}</code>
            </div>
            <Button variant="secondary" className="gh-block" onClick={onSignOut}>
              Sign out
            </Button>
          </div>
        </div>
      </aside>
      <main className="cx-main" id="main">
        {content}
      </main>
    </div>
  );
}

function App() {
  const [session, setSession] = useState<ConsoleSession | null | undefined>(undefined);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<unknown>();
  const { location, navigate } = useRouter();
  useEffect(() => {
    currentSession().then((s) => setSession(s ?? null), setError);
  }, []);
  const api = useMemo(
    () =>
      session
        ? consoleBackend(session, () => {
            setEnded(true);
            setSession(null);
          })
        : null,
    [session],
  );
  useEffect(() => {
    if (session && location.path === '') navigate('users', true);
  }, [session, location.path, navigate]);
  if (error) return <ErrorNote error={error} />;
  if (session === undefined) return <Loading label="Opening the console…" />;
  if (!session || !api) {
    return (
      <SignInPage
        ended={ended}
        onSignedIn={(s) => {
          setEnded(false);
          setSession(s);
        }}
      />
    );
  }
  return (
    <ApiContext.Provider value={api}>
      <Shell
        session={session}
        onSignOut={async () => {
          await signOut(session).catch(() => {});
          setSession(null);
        }}
      />
    </ApiContext.Provider>
  );
}

const root = document.getElementById('root');
if (root) {
  root.className = 'gh-root cx-root';
  root.setAttribute('data-gh-theme', 'light');
  createRoot(root).render(
    <StrictMode>
      <Router>
        <App />
      </Router>
    </StrictMode>,
  );
}

import '@fontsource-variable/inter/index.css';
import '@gatehouse/react/styles.css';
import './playground.css';
import {
  CreateOrganization,
  GatehouseProvider,
  OrganizationSwitcher,
  SignIn,
  SignUp,
  type Theme,
  UserButton,
  useOrganization,
  useUser,
} from '@gatehouse/react';
import { type ReactNode, StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AccountPage } from './account.js';
import { AcceptPage, JoinPage, OrganizationPages } from './organization.js';

/** The playground lives under /playground on the Gatehouse server; its API is the SDK's connector at /playground/api. */
const BASE = '/playground';

const PAGES = {
  '': 'Overview',
  'sign-in': 'Sign in',
  'sign-up': 'Sign up',
  'create-organization': 'Create organization',
  account: 'Account',
  organization: 'Organization',
  join: 'Join',
  accept: 'Accept invitation',
} as const;
type Page = keyof typeof PAGES;

function currentPage(): Page {
  const rest =
    window.location.pathname
      .slice(BASE.length)
      .replace(/^\/+|\/+$/g, '')
      .split('/')[0] ?? '';
  return rest in PAGES ? (rest as Page) : '';
}

function initialTheme(): Theme {
  const asked = new URLSearchParams(window.location.search).get('theme') ?? localStorage.getItem('gh-playground-theme');
  return asked === 'dark' || asked === 'light' ? asked : 'system';
}

function resolvedDark(theme: Theme): boolean {
  return theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
}

function App() {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [page, setPage] = useState<Page>(currentPage);
  useEffect(() => {
    document.documentElement.dataset.theme = resolvedDark(theme) ? 'dark' : 'light';
  }, [theme]);
  useEffect(() => {
    const onPop = () => setPage(currentPage());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (next: Page) => {
    window.history.pushState(null, '', `${BASE}/${next}${window.location.search}`);
    setPage(next);
  };
  const toggleTheme = () => {
    const next = resolvedDark(theme) ? 'light' : 'dark';
    localStorage.setItem('gh-playground-theme', next);
    setTheme(next);
  };
  return (
    <GatehouseProvider basePath="/playground/api" theme={theme}>
      <div className="pg-shell">
        <header className="pg-header">
          <a
            className="pg-brand"
            href={`${BASE}/`}
            onClick={(e) => {
              e.preventDefault();
              go('');
            }}
          >
            <Logo />
            Gatehouse <span className="pg-brand-tag">Playground</span>
          </a>
          <div className="pg-header-widgets">
            <OrganizationSwitcher />
          </div>
          <nav className="pg-nav" aria-label="Widgets">
            {(Object.keys(PAGES) as Page[]).map((key) => (
              <a
                key={key}
                href={`${BASE}/${key}`}
                aria-current={page === key ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  go(key);
                }}
              >
                {PAGES[key]}
              </a>
            ))}
          </nav>
          <div className="pg-header-end">
            <button
              type="button"
              className="pg-theme"
              onClick={toggleTheme}
              aria-label={resolvedDark(theme) ? 'Switch to light theme' : 'Switch to dark theme'}
            >
              {resolvedDark(theme) ? <SunIcon /> : <MoonIcon />}
            </button>
            <UserButton showName={false} userProfileUrl={`${BASE}/account`} onSignOut={() => go('sign-in')} />
          </div>
        </header>
        <main className="pg-main">
          <Content page={page} go={go} />
        </main>
      </div>
    </GatehouseProvider>
  );
}

function Content({ page, go }: { page: Page; go: (page: Page) => void }) {
  switch (page) {
    case 'sign-in':
      return (
        <Stage>
          <SignIn signUpUrl={`${BASE}/sign-up`} onSignIn={() => go('')} />
        </Stage>
      );
    case 'sign-up':
      return (
        <Stage>
          <SignUp signInUrl={`${BASE}/sign-in`} onSignUp={() => go('')} />
        </Stage>
      );
    case 'create-organization':
      return (
        <Stage>
          <CreateOrganization onCreated={() => go('')} />
        </Stage>
      );
    case 'account':
      return <AccountPage />;
    case 'organization':
      return <OrganizationPages onLeave={() => go('')} />;
    case 'join':
      return (
        <Stage>
          <JoinPage />
        </Stage>
      );
    case 'accept':
      return (
        <Stage>
          <AcceptPage />
        </Stage>
      );
    default:
      return <Overview go={go} />;
  }
}

function Overview({ go }: { go: (page: Page) => void }) {
  const { isLoaded, user } = useUser();
  const { organization, membership } = useOrganization();
  if (!isLoaded) return null;
  if (!user) {
    return (
      <Stage>
        <SignIn signUpUrl={`${BASE}/sign-up`} />
      </Stage>
    );
  }
  return (
    <div className="pg-overview">
      <h1>Welcome, {user.firstName ?? user.email}</h1>
      <p className="pg-lead">
        {organization ? (
          <>
            You’re working in <strong>{organization.name}</strong> as <strong>{membership?.role}</strong>.
          </>
        ) : (
          'You’re in your personal account. Create an organization or switch to one from the header.'
        )}
      </p>
      <div className="pg-grid">
        <Tile title="Create organization" text="Start a new organization and become its owner." onClick={() => go('create-organization')} />
        <Tile
          title="Organization"
          text="Settings, members, invitations, join codes, API tokens and roles."
          onClick={() => go('organization')}
        />
        <Tile title="Join" text="Join an organization with a code someone shared." onClick={() => go('join')} />
        <Tile title="Sign in" text="Password, then a TOTP or backup code when enabled." onClick={() => go('sign-in')} />
        <Tile title="Sign up" text="Name, email and password, then the emailed code." onClick={() => go('sign-up')} />
      </div>
    </div>
  );
}

function Tile({ title, text, onClick }: { title: string; text: string; onClick: () => void }) {
  return (
    <button type="button" className="pg-tile" onClick={onClick}>
      <span className="pg-tile-title">{title}</span>
      <span className="pg-tile-text">{text}</span>
    </button>
  );
}

function Stage({ children }: { children: ReactNode }) {
  return <div className="pg-stage">{children}</div>;
}

function Logo() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
      <rect width="24" height="24" rx="6" fill="#4f46e5" />
      <path d="M7 17V9.5L12 6l5 3.5V17h-3v-4h-4v4H7Z" fill="#fff" />
    </svg>
  );
}

function SunIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
      <circle cx="12" cy="12" r="4" fill="currentColor" />
      <path
        d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
      />
    </svg>
  );
}

function MoonIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5Z" fill="currentColor" />
    </svg>
  );
}

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

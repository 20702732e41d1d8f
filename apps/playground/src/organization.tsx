import './organization.css';
import {
  AcceptInvitation,
  ApiTokens,
  InvitationList,
  InviteMember,
  JoinCodes,
  JoinOrganization,
  MemberList,
  OrganizationProfile,
  RoleMatrix,
  useOrganization,
} from '@gatehouse/react';
import { useEffect, useState } from 'react';

/**
 * The organization widgets: /playground/organization/<section> shows one of them beside a section
 * list, as an app's organization settings would; /playground/join and /playground/accept stand alone.
 */
const SECTIONS = {
  settings: 'Settings',
  members: 'Members',
  invite: 'Invite member',
  invitations: 'Invitations',
  'join-codes': 'Join codes',
  'api-tokens': 'API tokens',
  roles: 'Roles',
} as const;
type Section = keyof typeof SECTIONS;

const BASE = '/playground/organization';

function currentSection(): Section {
  const rest = window.location.pathname.startsWith(`${BASE}/`) ? window.location.pathname.slice(BASE.length + 1).replace(/\/+$/, '') : '';
  return rest in SECTIONS ? (rest as Section) : 'settings';
}

export function OrganizationPages({ onLeave }: { onLeave: () => void }) {
  const [section, setSection] = useState<Section>(currentSection);
  const { organization } = useOrganization();
  useEffect(() => {
    const onPop = () => setSection(currentSection());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (next: Section) => {
    window.history.pushState(null, '', `${BASE}/${next}${window.location.search}`);
    setSection(next);
  };
  return (
    <div className="pg-settings">
      <nav className="pg-sections" aria-label="Organization">
        <p className="pg-sections-title">{organization?.name ?? 'Organization'}</p>
        {(Object.keys(SECTIONS) as Section[]).map((key) => (
          <a
            key={key}
            href={`${BASE}/${key}`}
            aria-current={section === key ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              go(key);
            }}
          >
            {SECTIONS[key]}
          </a>
        ))}
      </nav>
      <div className="pg-settings-body">
        <SectionWidget section={section} onLeave={onLeave} />
      </div>
    </div>
  );
}

function SectionWidget({ section, onLeave }: { section: Section; onLeave: () => void }) {
  switch (section) {
    case 'members':
      return <MemberList />;
    case 'invite':
      return <InviteMember />;
    case 'invitations':
      return <InvitationList />;
    case 'join-codes':
      return <JoinCodes />;
    case 'api-tokens':
      return <ApiTokens />;
    case 'roles':
      return <RoleMatrix />;
    default:
      return <OrganizationProfile onLeft={onLeave} onDeleted={onLeave} />;
  }
}

/** /playground/join: enter a code someone shared; the widget says whom you joined. */
export function JoinPage() {
  return <JoinOrganization />;
}

/** /playground/accept: the default INVITATION_URL; the token rides in the fragment. */
export function AcceptPage() {
  return <AcceptInvitation />;
}

import { Suspense, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { isAdmin, useSession, useSessionState } from '../auth/session-context';
import { SessionExpiry } from '../auth/SessionExpiry';
import { ProjectSwitcher } from './ProjectSwitcher';
import { UserMenu } from './UserMenu';
import { useTheme } from './theme';

const PROJECT_PANELS = [
  ['overview', 'Overview'],
  ['instances', 'Instances'],
  ['images', 'Images'],
  ['key-pairs', 'Key pairs'],
  ['volumes', 'Volumes'],
  ['networks', 'Networks'],
  ['routers', 'Routers'],
  ['security-groups', 'Security groups'],
  ['floating-ips', 'Floating IPs'],
  ['ports', 'Ports'],
  ['topology', 'Network topology'],
  ['containers', 'Containers'],
  ['stacks', 'Stacks'],
  ['metrics', 'Metrics'],
  ['alarms', 'Alarms'],
] as const;

const ADMIN_PANELS = [
  ['admin/hypervisors', 'Hypervisors'],
  ['admin/instances', 'All instances'],
  ['admin/flavors', 'Flavors'],
  ['admin/aggregates', 'Host aggregates'],
  ['admin/volumes', 'All volumes'],
  ['admin/volume-types', 'Volume types'],
  ['admin/images', 'All images'],
  ['admin/networks', 'All networks'],
  ['admin/routers', 'All routers'],
  ['admin/defaults', 'Defaults'],
  ['admin/system', 'System information'],
] as const;

const IDENTITY_PANELS = [
  ['identity/projects', 'Projects'],
  ['identity/users', 'Users'],
  ['identity/groups', 'Groups'],
  ['identity/roles', 'Roles'],
  ['identity/domains', 'Domains'],
] as const;

/** One heading of the navigation and its links. */
function NavSection({ title, panels }: { title: string; panels: ReadonlyArray<readonly [string, string]> }) {
  return (
    <>
      <h2>{title}</h2>
      <ul>
        {panels.map(([path, label]) => (
          <li key={path}>
            <NavLink to={`/${path}`}>{label}</NavLink>
          </li>
        ))}
      </ul>
    </>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const session = useSession();
  const { logout } = useSessionState();
  const [theme, toggleTheme] = useTheme();
  return (
    <div className="shell">
      <header>
        <span className="brand">Nimbus</span>
        <ProjectSwitcher />
        <UserMenu />
        <button type="button" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? 'Light' : 'Dark'} theme
        </button>
        <button type="button" onClick={() => void logout()}>
          Sign out
        </button>
      </header>
      <SessionExpiry />
      <nav aria-label="Panels">
        <NavSection title="Project" panels={PROJECT_PANELS} />
        {isAdmin(session) && <NavSection title="Admin" panels={ADMIN_PANELS} />}
        {isAdmin(session) && <NavSection title="Identity" panels={IDENTITY_PANELS} />}
      </nav>
      <main>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>{children}</Suspense>
      </main>
    </div>
  );
}

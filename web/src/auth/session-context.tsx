/** The signed-in session shared by every panel, with the calls that change it. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api/errors';
import { useQueryClient } from '@tanstack/react-query';
import { loadSession, passwordLogin, revoke, saveSession, scopeTo, listMyProjects, type ProjectRef, type Session } from '../api/session';

interface SessionState {
  session: Session | null;
  login(domain: string, user: string, password: string): Promise<void>;
  switchProject(project: ProjectRef): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);
const LAST_PROJECT_KEY = 'nimbus.lastProject';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(loadSession);
  const queries = useQueryClient();

  const adopt = useCallback(
    (next: Session | null) => {
      saveSession(next);
      // Nothing cached for one project or user may show under another.
      queries.clear();
      setSession(next);
      if (next) localStorage.setItem(LAST_PROJECT_KEY, next.project.id);
    },
    [queries],
  );

  const login = useCallback(
    async (domain: string, user: string, password: string) => {
      const unscoped = await passwordLogin(domain, user, password);
      const projects = await listMyProjects(unscoped.token);
      const preferred = projects.find((p) => p.id === (session?.project.id ?? localStorage.getItem(LAST_PROJECT_KEY))) ?? projects[0];
      if (!preferred) throw new Error(`User ${user} has a role on no project: ask an administrator for one.`);
      adopt(await scopeTo(unscoped.token, preferred));
    },
    [adopt, session],
  );

  const switchProject = useCallback(
    async (project: ProjectRef) => {
      if (session) adopt(await scopeTo(session.unscopedToken, project));
    },
    [adopt, session],
  );

  const logout = useCallback(async () => {
    if (session) await revoke(session);
    adopt(null);
  }, [adopt, session]);

  // A token that expired or was revoked elsewhere (401 from any API) ends the session: back to the login form.
  useEffect(
    () =>
      queries.getQueryCache().subscribe((event) => {
        if (event.type === 'updated' && event.action.type === 'error' && event.action.error instanceof ApiError && event.action.error.status === 401) {
          saveSession(null);
          setSession(null);
        }
      }),
    [queries],
  );

  const value = useMemo(() => ({ session, login, switchProject, logout }), [session, login, switchProject, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The session of a page that only renders once signed in. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('useSession before login');
  return session;
}

export function isAdmin(session: Session): boolean {
  return session.roles.includes('admin');
}

/**
 * The user's Keystone session: password login (unscoped), then a token scoped to one of the
 * user's projects; both kept in sessionStorage so a reload keeps the session and closing the
 * tab ends it. Endpoints come from the scoped token's catalog (public interface).
 */
import { ApiError, errorMessage, requestIdOf } from './errors';

/** Before the catalog is known the dashboard reaches Keystone where this server mounts it. */
export const IDENTITY_URL = '/identity/v3';
const STORAGE_KEY = 'nimbus.session';

export interface ProjectRef {
  id: string;
  name: string;
  domainId: string;
}

export interface Session {
  userName: string;
  userId: string;
  domainName: string;
  unscopedToken: string;
  token: string;
  expiresAt: string;
  project: ProjectRef;
  roles: string[];
  /** Catalog type (compute, network, volumev3, image, identity, ...) → public endpoint path on this origin. */
  endpoints: Record<string, string>;
  /** The region of the identity endpoint (absent in sessions stored before it was kept). */
  region?: string;
}

interface CatalogEndpoint {
  interface: string;
  url: string;
  region_id?: string;
  region?: string;
}
interface TokenBody {
  token: {
    expires_at: string;
    user: { id: string; name: string; domain: { name: string } };
    roles?: { name: string }[];
    project?: { id: string; name: string; domain: { id: string } };
    catalog?: { type: string; endpoints: CatalogEndpoint[] }[];
  };
}

export function loadSession(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (!stored) return null;
  const session = JSON.parse(stored) as Session;
  return Date.parse(session.expiresAt) > Date.now() ? session : null;
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

async function issueToken(body: unknown): Promise<{ token: string; body: TokenBody }> {
  const response = await fetch(`${IDENTITY_URL}/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, errorMessage(text, response.status), requestIdOf(response.headers));
  return { token: response.headers.get('x-subject-token') ?? '', body: JSON.parse(text) as TokenBody };
}

/**
 * The catalog names absolute URLs of the server's public address; the dashboard is served by
 * that same server, so it keeps only their paths and stays on the page's origin.
 */
function publicEndpoints(catalog: TokenBody['token']['catalog']): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const service of catalog ?? []) {
    const endpoint = service.endpoints.find((e) => e.interface === 'public');
    if (endpoint) endpoints[service.type] = new URL(endpoint.url, window.location.origin).pathname.replace(/\/+$/, '');
  }
  return endpoints;
}

/** The region a client configuration names: the one of Keystone's public endpoint. */
function identityRegion(catalog: TokenBody['token']['catalog']): string | undefined {
  const endpoint = catalog?.find((service) => service.type === 'identity')?.endpoints.find((e) => e.interface === 'public');
  return endpoint?.region_id ?? endpoint?.region;
}

export async function passwordLogin(domain: string, user: string, password: string): Promise<{ token: string; userId: string; expiresAt: string }> {
  const { token, body } = await issueToken({
    auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { name: domain }, password } } } },
  });
  return { token, userId: body.token.user.id, expiresAt: body.token.expires_at };
}

export async function listMyProjects(unscopedToken: string): Promise<ProjectRef[]> {
  const response = await fetch(`${IDENTITY_URL}/auth/projects`, { headers: { 'x-auth-token': unscopedToken } });
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, errorMessage(text, response.status), requestIdOf(response.headers));
  const projects = (JSON.parse(text) as { projects: { id: string; name: string; domain_id: string }[] }).projects;
  return projects.map((p) => ({ id: p.id, name: p.name, domainId: p.domain_id })).sort((a, b) => a.name.localeCompare(b.name));
}

/** A token for `project` from the unscoped one (Keystone keeps the unscoped token's expiry). */
export async function scopeTo(unscopedToken: string, project: ProjectRef): Promise<Session> {
  const { token, body } = await issueToken({
    auth: { identity: { methods: ['token'], token: { id: unscopedToken } }, scope: { project: { id: project.id } } },
  });
  const t = body.token;
  return {
    userName: t.user.name,
    userId: t.user.id,
    domainName: t.user.domain.name,
    unscopedToken,
    token,
    expiresAt: t.expires_at,
    project,
    roles: (t.roles ?? []).map((r) => r.name),
    endpoints: publicEndpoints(t.catalog),
    region: identityRegion(t.catalog),
  };
}

/** Logout revokes both tokens, so neither outlives the tab that held them. */
export async function revoke(session: Session): Promise<void> {
  await Promise.all(
    [session.token, session.unscopedToken].map((subject) =>
      fetch(`${IDENTITY_URL}/auth/tokens`, { method: 'DELETE', headers: { 'x-auth-token': session.token, 'x-subject-token': subject } }).catch(() => undefined),
    ),
  );
}

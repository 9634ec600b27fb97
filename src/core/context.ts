/**
 * Who is calling: one CallerContext, built from a validated token by the
 * identity service (and given the request id by the service's API), passed
 * through every operation, including calls from one service to another, so
 * policy and quotas hold across the hop. A service's own background work
 * acts as `serviceCaller(...)`; a durable task keeps its caller as a
 * `StoredCaller` (never the token).
 */
import { currentClock } from './clock.js';

export interface CallerContext {
  /** The token the caller presented (forwarded on service-to-service calls); '' for a service's own work. */
  token: string;
  userId: string;
  userName: string;
  userDomainId: string;
  userDomainName: string;
  /** Set for project-scoped tokens. */
  project: { id: string; name: string; domainId: string; domainName: string } | null;
  /** Set for domain-scoped tokens. */
  domain: { id: string; name: string } | null;
  /** True for system-scoped tokens (system "all"). */
  system: boolean;
  /** Effective role names on the scope (implied roles expanded). */
  roles: string[];
  roleIds: string[];
  /** True when the project is the cloud's admin project (Keystone's is_admin_project). */
  isAdminProject: boolean;
  applicationCredentialId: string | null;
  /** The trust a trust-scoped token was issued through; null for every other token. */
  trustId: string | null;
  /** The OAuth access token an OS-OAUTH1 token was issued from; null for every other token. */
  oauthAccessTokenId: string | null;
  auditIds: string[];
  expiresAt: Date;
  issuedAt: Date;
  /** `req-<uuid>` of the API request that acts (x-openstack-request-id), null outside a request. */
  requestId: string | null;
}

/** The credential dictionary oslo.policy rules see (oslo.context's to_policy_values). */
export function policyCredentials(caller: CallerContext): Record<string, unknown> & { roles: string[] } {
  return {
    user_id: caller.userId,
    user_domain_id: caller.userDomainId,
    project_id: caller.project?.id ?? null,
    project_domain_id: caller.project?.domainId ?? null,
    domain_id: caller.domain?.id ?? null,
    system_scope: caller.system ? 'all' : null,
    roles: caller.roles,
    is_admin_project: caller.isAdminProject,
    // Keystone's own rules refer to the token as `token.*`.
    token: {
      user: { id: caller.userId, domain: { id: caller.userDomainId } },
      project: caller.project ? { id: caller.project.id, domain: { id: caller.project.domainId } } : null,
      domain: caller.domain ? { id: caller.domain.id } : null,
    },
  };
}

/** How long a service's own context claims to be valid; nothing checks it, but it must be in the future. */
const SERVICE_CALLER_LIFETIME_MS = 3_600_000;

/**
 * A service acting on its own (first-start content, DHCP ports, a task that
 * outlives its caller's token): admin, member and reader, plus `service`, in
 * `project`, or system-scoped when `project` is null. `service` names the
 * user (`nimbus-network`, ...) so logs and stored records tell who acted.
 */
export function serviceCaller(service: string, project: { id: string; name?: string } | null): CallerContext {
  const now = currentClock().now();
  return {
    token: '',
    userId: service,
    userName: service,
    userDomainId: 'default',
    userDomainName: 'Default',
    project: project === null ? null : { id: project.id, name: project.name ?? project.id, domainId: 'default', domainName: 'Default' },
    domain: null,
    system: project === null,
    roles: ['admin', 'member', 'reader', 'service'],
    roleIds: [],
    isAdminProject: true,
    applicationCredentialId: null,
    trustId: null,
    oauthAccessTokenId: null,
    auditIds: [],
    expiresAt: new Date(now.getTime() + SERVICE_CALLER_LIFETIME_MS),
    issuedAt: now,
    requestId: null,
  };
}

/** A caller kept in a durable task's payload (JSON): the token itself is never stored. */
export type StoredCaller = Omit<CallerContext, 'token' | 'expiresAt' | 'issuedAt'> & { expiresAt: string; issuedAt: string };

export function storeCaller(caller: CallerContext): StoredCaller {
  const { token: _token, expiresAt, issuedAt, ...rest } = caller;
  return { ...rest, expiresAt: expiresAt.toISOString(), issuedAt: issuedAt.toISOString() };
}

/** The caller back from a task payload; tasks written before `trustId`/`requestId`/`oauthAccessTokenId` existed get null. */
export function reviveCaller(stored: StoredCaller): CallerContext {
  return {
    ...stored,
    trustId: stored.trustId ?? null,
    oauthAccessTokenId: stored.oauthAccessTokenId ?? null,
    requestId: stored.requestId ?? null,
    token: '',
    expiresAt: new Date(stored.expiresAt),
    issuedAt: new Date(stored.issuedAt),
  };
}

/**
 * The caller as services with a single admin rule see it (Glance's and
 * Cinder's request context): the project it acts in, whether the service's
 * `context_is_admin` rule holds, and the policy credentials, computed once.
 */
export interface ScopedCaller {
  auth: CallerContext;
  /** The project the token is scoped to (the request context's `project_id`/`owner`), or null. */
  projectId: string | null;
  isAdmin: boolean;
  credentials: ReturnType<typeof policyCredentials>;
}

export function scopedCaller(isAdminRule: (credentials: ReturnType<typeof policyCredentials>) => boolean, caller: CallerContext): ScopedCaller {
  const credentials = policyCredentials(caller);
  return { auth: caller, projectId: caller.project?.id ?? null, isAdmin: isAdminRule(credentials), credentials };
}

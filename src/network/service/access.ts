/**
 * Who may see and change what: Neutron's ownership model (a resource belongs
 * to one project; admins see all; shared and external networks are visible to
 * everyone, or to the projects an RBAC policy names) and the policy checks on
 * admin-only attributes.
 */
import type { CallerContext } from '../../core/context.js';
import { QuotaExceeded } from '../../core/errors.js';
import { authorizer, type Authorizer } from '../../core/policy/authorizer.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';
import type { PolicyTarget } from '../../core/policy/policy-values.js';
import { errors } from '../errors.js';
import type { NetworkDb, Resource } from '../store/index.js';
import type { NetworkDeps, QuotaResource } from './deps.js';

export type { PolicyTarget } from '../../core/policy/policy-values.js';

/**
 * Neutron's policy checks, built once per service: `network:context_is_admin`,
 * rules named `network:<action>` on the target given, and Neutron's 403
 * `PolicyNotAuthorized` naming the rule.
 */
export function networkAuthorizer(policy: PolicyEnforcer): Authorizer {
  return authorizer(policy, {
    adminRule: 'network:context_is_admin',
    ruleName: (action) => `network:${action}`,
    denied: (action) => errors.policyNotAuthorized(action),
  });
}

/** The target of a stored resource (`project_id` and `tenant_id` are its owner), with `extra` keys such as `network:project_id`. */
export function targetOf(resource: Resource, extra: PolicyTarget = {}): PolicyTarget {
  return { ...resource.attrs, id: resource.id, name: resource.name, project_id: resource.projectId, tenant_id: resource.projectId, ...extra };
}

/**
 * The project a new resource belongs to: the caller's, or another one an
 * admin names. `create_<resource>` is checked first on it (with `target`'s
 * other keys), so a reader, or a token without a project, gets Neutron's 403.
 */
export function owningProject(deps: NetworkDeps, auth: CallerContext, body: Record<string, unknown>, action: string, target: PolicyTarget = {}): string {
  const projectId = (body.project_id ?? body.tenant_id) as string | undefined;
  if (body.project_id !== undefined && body.tenant_id !== undefined && body.project_id !== body.tenant_id) {
    throw errors.projectTenantMismatch();
  }
  const own = auth.project?.id;
  const owner = projectId ?? own ?? null;
  deps.access.authorize(auth, action, { ...target, project_id: owner, tenant_id: owner });
  if (projectId !== undefined && projectId !== own) {
    if (!deps.access.isAdmin(auth)) throw errors.policyNotAuthorized('create:tenant_id');
    return projectId;
  }
  if (!own) throw errors.projectScopeRequired();
  return own;
}

/**
 * Neutron's show check (`get_<resource>`): what the caller's policy does not
 * let it read does not exist for it (404, never 403), so a token without a
 * role on the owner's project learns nothing.
 */
export function readable(deps: NetworkDeps, auth: CallerContext, resourceType: string, target: PolicyTarget): boolean {
  return deps.access.allowed(auth, `get_${resourceType}`, target);
}

export function owns(deps: NetworkDeps, auth: CallerContext, resource: Resource): boolean {
  return deps.access.isAdmin(auth) || resource.projectId === auth.project?.id;
}

/** Visibility of resources with a `shared` flag and no RBAC (subnet pools, address scopes): owned or shared, and readable by policy. */
export function ownedOrShared(deps: NetworkDeps, auth: CallerContext, resourceType: string, resource: Resource): boolean {
  return (owns(deps, auth, resource) || resource.attrs.shared === true) && readable(deps, auth, resourceType, targetOf(resource));
}

/** A visible resource the caller may still not change: 403 unless it owns it (or is admin) and the policy of `action` allows it. */
export function requireOwner(deps: NetworkDeps, auth: CallerContext, resource: Resource, action: string, extra: PolicyTarget = {}): void {
  if (!owns(deps, auth, resource)) throw errors.policyNotAuthorized(action);
  deps.access.authorize(auth, action, targetOf(resource, extra));
}

/**
 * Counts what the service makes on its own for a project (DHCP and router
 * interface ports, the default security group): Neutron's usage counts every
 * row a project owns, but only API requests are checked against the limit.
 */
export async function countUnchecked(deps: NetworkDeps, trx: NetworkDb, projectId: string, deltas: Partial<Record<QuotaResource, number>>): Promise<void> {
  if (projectId) await deps.quota.reserve(trx, projectId, deltas, { unchecked: true });
}

/** Quota reservation with Neutron's 409 OverQuota in place of the engine's error. */
export async function reserve(deps: NetworkDeps, trx: NetworkDb, projectId: string, deltas: Partial<Record<QuotaResource, number>>): Promise<void> {
  try {
    await deps.quota.reserve(trx, projectId, deltas);
  } catch (error) {
    if (error instanceof QuotaExceeded) throw errors.overQuota(error.resource);
    throw error;
  }
}

/**
 * Who may see and change what: Neutron's ownership model (a resource belongs
 * to one project; admins see all; shared and external networks are visible to
 * everyone, or to the projects an RBAC policy names) and the policy checks on
 * admin-only attributes.
 */
import { policyCredentials, type AuthContext } from '../../core/context.js';
import { BadRequest, QuotaExceeded } from '../../core/errors.js';
import { errors } from '../errors.js';
import type { NetworkDb, Resource } from '../store/index.js';
import type { NetworkDeps, QuotaResource } from './deps.js';

export function isAdmin(deps: NetworkDeps, auth: AuthContext): boolean {
  return deps.policy.enforce('network:context_is_admin', {}, policyCredentials(auth));
}

/** The project a new resource belongs to: the caller's, or another one an admin names. */
export function owningProject(deps: NetworkDeps, auth: AuthContext, body: Record<string, unknown>): string {
  const projectId = (body.project_id ?? body.tenant_id) as string | undefined;
  if (body.project_id !== undefined && body.tenant_id !== undefined && body.project_id !== body.tenant_id) {
    throw new BadRequest("'project_id' and 'tenant_id' do not match", { type: 'HTTPBadRequest' });
  }
  const own = auth.project?.id;
  if (projectId !== undefined && projectId !== own) {
    if (!isAdmin(deps, auth)) throw errors.policyNotAuthorized('create:tenant_id');
    return projectId;
  }
  if (!own) throw new BadRequest('A project-scoped token is required to create network resources.');
  return own;
}

/** Policy check of `network:<action>` on a resource's target. */
export function authorize(deps: NetworkDeps, auth: AuthContext, action: string, target: Record<string, unknown>): void {
  if (!deps.policy.enforce(`network:${action}`, target, policyCredentials(auth))) throw errors.policyNotAuthorized(action);
}

export function owns(deps: NetworkDeps, auth: AuthContext, resource: Resource): boolean {
  return isAdmin(deps, auth) || resource.projectId === auth.project?.id;
}

/** Visibility of resources with a `shared` flag and no RBAC (subnet pools, address scopes). */
export function ownedOrShared(deps: NetworkDeps, auth: AuthContext, resource: Resource): boolean {
  return owns(deps, auth, resource) || resource.attrs.shared === true;
}

/** A visible resource the caller may still not change: 403 unless it owns it (or is admin). */
export function requireOwner(deps: NetworkDeps, auth: AuthContext, resource: Resource, action: string): void {
  if (!owns(deps, auth, resource)) throw errors.policyNotAuthorized(action);
}

/** Quota reservation with Neutron's 409 OverQuota in place of the engine's error. */
export async function reserve(
  deps: NetworkDeps,
  trx: NetworkDb,
  projectId: string,
  deltas: Partial<Record<QuotaResource, number>>,
): Promise<void> {
  try {
    await deps.quota.reserve(trx, projectId, deltas);
  } catch (error) {
    if (error instanceof QuotaExceeded) throw errors.overQuota(error.resource);
    throw error;
  }
}

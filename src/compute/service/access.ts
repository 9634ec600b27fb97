/**
 * Policy checks as Nova makes them: an `os_compute_api:*` rule against the
 * caller's credentials and a target naming the resource's project (and
 * user), 403 "Policy doesn't allow ... to be performed." when it fails.
 * The checks are core's authorizer, built once per service (deps.authz);
 * these functions keep the call sites' shape (`authorize(deps, auth, rule)`).
 */
import type { CallerContext } from '../../core/context.js';
import { QuotaExceeded } from '../../core/errors.js';
import { authorizer, type Authorizer } from '../../core/policy/authorizer.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';
import type { PolicyTarget } from '../../core/policy/policy-values.js';
import { novaErrors, requestErrors } from '../errors.js';
import type { ComputeDeps } from './deps.js';

/** Nova's authorizer: `compute:context_is_admin`, and the caller's project and user as the target's defaults (nova.context.can). */
export function computeAuthorizer(policy: PolicyEnforcer): Authorizer {
  return authorizer(policy, {
    adminRule: 'compute:context_is_admin',
    target: (caller, target) => ({ project_id: caller.project?.id ?? null, user_id: caller.userId, ...target }),
    denied: (rule) => novaErrors.policy(rule),
  });
}

export function isAdmin(deps: ComputeDeps, auth: CallerContext): boolean {
  return deps.authz.isAdmin(auth);
}

export function allowed(deps: ComputeDeps, auth: CallerContext, rule: string, target: PolicyTarget = {}): boolean {
  return deps.authz.allowed(auth, rule, target);
}

export function authorize(deps: ComputeDeps, auth: CallerContext, rule: string, target: PolicyTarget = {}): void {
  deps.authz.authorize(auth, rule, target);
}

/** The project of a project-scoped token; Nova's API needs one. */
export function callerProject(auth: CallerContext): string {
  if (!auth.project) throw requestErrors.projectScopeRequired();
  return auth.project.id;
}

/** Runs `fn`, turning the quota engine's error into Nova's 403 message. */
export async function withNovaQuota<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof QuotaExceeded) throw novaErrors.quota(error);
    throw error;
  }
}

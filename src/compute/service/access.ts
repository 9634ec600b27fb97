/**
 * Policy checks as Nova makes them: an `os_compute_api:*` rule against the
 * caller's credentials and a target naming the resource's project (and
 * user), 403 "Policy doesn't allow ... to be performed." when it fails.
 */
import { policyCredentials, type CallerContext } from '../../core/context.js';
import { BadRequest, QuotaExceeded } from '../../core/errors.js';
import { novaErrors } from '../errors.js';
import type { ComputeDeps } from './deps.js';

export function isAdmin(deps: ComputeDeps, auth: CallerContext): boolean {
  return deps.policy.enforce('compute:context_is_admin', {}, policyCredentials(auth));
}

export function allowed(deps: ComputeDeps, auth: CallerContext, rule: string, target: Record<string, unknown> = {}): boolean {
  return deps.policy.enforce(rule, { project_id: auth.project?.id ?? null, user_id: auth.userId, ...target }, policyCredentials(auth));
}

export function authorize(deps: ComputeDeps, auth: CallerContext, rule: string, target: Record<string, unknown> = {}): void {
  if (!allowed(deps, auth, rule, target)) throw novaErrors.policy(rule);
}

/** The project of a project-scoped token; Nova's API needs one. */
export function callerProject(auth: CallerContext): string {
  if (!auth.project) throw new BadRequest('A project-scoped token is required.');
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

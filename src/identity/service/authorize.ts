/**
 * Policy checks for identity operations: the caller's credentials against a
 * Keystone rule and a target shaped as Keystone builds it (`target.user.id`,
 * `target.project.domain_id`, ...).
 */
import { policyCredentials, type CallerContext } from '../../core/context.js';
import type { IdentityDeps } from './deps.js';

export type PolicyTarget = Record<string, unknown>;

export function authorize(deps: IdentityDeps, auth: CallerContext, action: string, target: PolicyTarget = {}): void {
  deps.policy.authorize(`identity:${action}`, keystoneTarget(target), policyCredentials(auth));
}

export function isAllowed(deps: IdentityDeps, auth: CallerContext, action: string, target: PolicyTarget = {}): boolean {
  return deps.policy.enforce(`identity:${action}`, keystoneTarget(target), policyCredentials(auth));
}

/**
 * Keystone's target: the attributes at the top level (rules such as
 * `user_id:%(user_id)s`) and again under `target` (`%(target.user.domain_id)s`;
 * the enforcer walks nested objects for dotted names).
 */
function keystoneTarget(attributes: PolicyTarget): PolicyTarget {
  return { ...attributes, target: attributes };
}

/**
 * Keystone's policy checks, as core's authorizer: rules are registered under
 * `identity:` (`identity:get_project`), the target is shaped as Keystone
 * builds it, and a denial is Keystone's 403. Built once (identity/index.ts)
 * and carried in the deps, so every operation checks the same way.
 */
import { authorizer, type Authorizer } from '../../core/policy/authorizer.js';
import type { PolicyEnforcer, PolicyTarget } from '../../core/policy/index.js';
import { identityErrors } from '../errors.js';

export function identityAuthorizer(policy: PolicyEnforcer): Authorizer {
  return authorizer(policy, {
    adminRule: 'admin_required',
    ruleName: (action) => `identity:${action}`,
    target: (_caller, target) => keystoneTarget(target),
    denied: (action) => identityErrors.notAuthorized(`identity:${action}`),
  });
}

/**
 * Keystone's target: the attributes at the top level (rules such as
 * `user_id:%(user_id)s`) and again under `target` (`%(target.user.domain_id)s`;
 * the enforcer walks nested objects for dotted names).
 */
function keystoneTarget(attributes: PolicyTarget): PolicyTarget {
  return { ...attributes, target: attributes };
}

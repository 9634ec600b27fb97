/**
 * A service's policy checks on a caller, in one shape: whether its admin rule
 * holds, whether a rule allows an action on a target, and the 403 (in the
 * service's own words) when it does not. Each service makes one with its
 * rule names, the target keys its upstream adds and its denial error;
 * operations call it, so a call from another service is checked as an API
 * call is.
 */
import { policyCredentials, type CallerContext } from '../context.js';
import type { PolicyEnforcer } from './enforcer.js';
import type { PolicyTarget } from './policy-values.js';

export interface AuthorizerOptions {
  /** The rule that makes a caller an admin for this service (`context_is_admin`, `compute:context_is_admin`, ...). */
  adminRule: string;
  /** The registered rule name of an action, e.g. `network:${action}`; the action itself when absent. */
  ruleName?(action: string): string;
  /** The target the rule sees: the service's defaults for the caller merged with the given one. */
  target?(caller: CallerContext, target: PolicyTarget): PolicyTarget;
  /** The error a denial raises (the service's own 403 body and message). */
  denied(action: string): Error;
}

export interface Authorizer {
  isAdmin(caller: CallerContext): boolean;
  allowed(caller: CallerContext, action: string, target?: PolicyTarget): boolean;
  /** Throws the service's 403 unless `action` is allowed. */
  authorize(caller: CallerContext, action: string, target?: PolicyTarget): void;
}

export function authorizer(policy: PolicyEnforcer, options: AuthorizerOptions): Authorizer {
  const allowed = (caller: CallerContext, action: string, target: PolicyTarget = {}) =>
    policy.enforce(options.ruleName?.(action) ?? action, options.target?.(caller, target) ?? target, policyCredentials(caller));
  return {
    isAdmin: (caller) => policy.enforce(options.adminRule, {}, policyCredentials(caller)),
    allowed,
    authorize(caller, action, target) {
      if (!allowed(caller, action, target)) throw options.denied(action);
    },
  };
}

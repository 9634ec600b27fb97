/**
 * The caller as Glance sees it: the request context's `owner` (the project),
 * `is_admin` (the `context_is_admin` rule); import tasks record the caller's
 * request id (`ctx.auth.requestId`).
 */
import { scopedCaller, type CallerContext, type ScopedCaller } from '../../core/context.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';

export type ImageContext = ScopedCaller;

export function imageContext(policy: PolicyEnforcer, auth: CallerContext): ImageContext {
  return scopedCaller((credentials) => policy.enforce('context_is_admin', {}, credentials), auth);
}

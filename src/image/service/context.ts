/**
 * The caller as Glance sees it: the request context's `owner` (the project),
 * `is_admin` (the `context_is_admin` rule); import tasks record the caller's
 * request id (`ctx.auth.requestId`).
 */
import { scopedCaller, type CallerContext, type ScopedCaller } from '../../core/context.js';
import type { Authorizer } from '../../core/policy/authorizer.js';

export type ImageContext = ScopedCaller;

export function imageContext(authz: Authorizer, auth: CallerContext): ImageContext {
  return scopedCaller(() => authz.isAdmin(auth), auth);
}

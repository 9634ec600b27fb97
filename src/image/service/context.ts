/**
 * The caller as Glance sees it: the request context's `owner` (the project),
 * `is_admin` (the `context_is_admin` rule) and the request id that import
 * tasks record.
 */
import { policyCredentials, type AuthContext } from '../../core/context.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';

export interface ImageContext {
  auth: AuthContext;
  /** The project the token is scoped to (Glance's `context.owner`), or null. */
  projectId: string | null;
  isAdmin: boolean;
  requestId: string | null;
  credentials: ReturnType<typeof policyCredentials>;
}

export function imageContext(policy: PolicyEnforcer, auth: AuthContext, requestId: string | null = null): ImageContext {
  const credentials = policyCredentials(auth);
  return {
    auth,
    projectId: auth.project?.id ?? null,
    isAdmin: policy.enforce('context_is_admin', {}, credentials),
    requestId,
    credentials,
  };
}

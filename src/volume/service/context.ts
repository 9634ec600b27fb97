/**
 * The caller as Cinder sees it (project, admin or not), and Cinder's policy
 * checks as core's authorizer: the target is the resource's project (the
 * caller's own when none is given), a denial is Cinder's 403. The volume
 * service's own background work acts as core's `serviceCaller('nimbus-volume', ...)`,
 * an admin in the resource's project, because a task may run long after the
 * caller's token expired.
 */
import { scopedCaller, type CallerContext, type ScopedCaller } from '../../core/context.js';
import { authorizer, type Authorizer } from '../../core/policy/authorizer.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';
import { errors } from '../errors.js';

export type VolumeContext = ScopedCaller;

/** Cinder's rule that makes a caller an admin. */
const ADMIN_RULE = 'context_is_admin';

/** Built once per service (index.ts); operations call `authz.authorize(ctx.auth, action, { project_id })`. */
export function volumeAuthorizer(policy: PolicyEnforcer): Authorizer {
  return authorizer(policy, {
    adminRule: ADMIN_RULE,
    target: (caller, target) => ({ project_id: caller.project?.id ?? null, ...target }),
    denied: (action) => errors.policy(action),
  });
}

export function volumeContext(authz: Authorizer, auth: CallerContext): VolumeContext {
  return scopedCaller(() => authz.isAdmin(auth), auth);
}

/** A caller must be project-scoped to create resources. */
export function requireProject(ctx: VolumeContext): string {
  if (ctx.projectId === null) throw errors.invalidInput('a project-scoped token is required.');
  return ctx.projectId;
}

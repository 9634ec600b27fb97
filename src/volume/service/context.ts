/**
 * The caller as Cinder sees it (project, admin or not), and policy checks
 * that fail with Cinder's message. The volume service's own background work
 * acts as core's `serviceCaller('nimbus-volume', ...)`, an admin in the
 * resource's project, because a task may run long after the caller's token expired.
 */
import { scopedCaller, type CallerContext, type ScopedCaller } from '../../core/context.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';
import { errors } from '../errors.js';
import type { VolumeDeps } from './deps.js';

export type VolumeContext = ScopedCaller;

export function volumeContext(policy: PolicyEnforcer, auth: CallerContext): VolumeContext {
  return scopedCaller((credentials) => policy.enforce('context_is_admin', {}, credentials), auth);
}

/** Throws Cinder's 403 unless `action` allows the caller on a resource of `projectId`. */
export function enforce(deps: Pick<VolumeDeps, 'policy'>, ctx: VolumeContext, action: string, projectId: string | null = ctx.projectId): void {
  if (!deps.policy.enforce(action, { project_id: projectId }, ctx.credentials)) throw errors.policy(action);
}

export function allowed(deps: Pick<VolumeDeps, 'policy'>, ctx: VolumeContext, action: string, projectId: string | null = ctx.projectId): boolean {
  return deps.policy.enforce(action, { project_id: projectId }, ctx.credentials);
}

/** A caller must be project-scoped to create resources. */
export function requireProject(ctx: VolumeContext): string {
  if (ctx.projectId === null) throw errors.invalidInput('a project-scoped token is required.');
  return ctx.projectId;
}

/**
 * The caller as Cinder sees it (project, admin or not), and policy checks
 * that fail with Cinder's message. The volume service's own background work
 * acts through `serviceAuth`, an admin in the resource's project, because a
 * task may run long after the caller's token expired.
 */
import { policyCredentials, type AuthContext } from '../../core/context.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';
import { errors } from '../errors.js';
import type { VolumeDeps } from './deps.js';

export interface VolumeContext {
  auth: AuthContext;
  projectId: string | null;
  isAdmin: boolean;
  credentials: ReturnType<typeof policyCredentials>;
}

export function volumeContext(policy: PolicyEnforcer, auth: AuthContext): VolumeContext {
  const credentials = policyCredentials(auth);
  return { auth, projectId: auth.project?.id ?? null, isAdmin: policy.enforce('context_is_admin', {}, credentials), credentials };
}

/** Throws Cinder's 403 unless `action` allows the caller on a resource of `projectId`. */
export function enforce(deps: Pick<VolumeDeps, 'policy'>, ctx: VolumeContext, action: string, projectId: string | null = ctx.projectId): void {
  if (!deps.policy.enforce(action, { project_id: projectId }, ctx.credentials)) throw errors.policy(action);
}

export function allowed(deps: Pick<VolumeDeps, 'policy'>, ctx: VolumeContext, action: string, projectId: string | null = ctx.projectId): boolean {
  return deps.policy.enforce(action, { project_id: projectId }, ctx.credentials);
}

/** The volume service acting in `projectId` (image reads and uploads of tasks). */
export function serviceAuth(projectId: string): AuthContext {
  const now = new Date();
  return {
    token: '',
    userId: 'cinder',
    userName: 'cinder',
    userDomainId: 'default',
    userDomainName: 'Default',
    project: { id: projectId, name: projectId, domainId: 'default', domainName: 'Default' },
    domain: null,
    system: false,
    roles: ['admin', 'member', 'reader', 'service'],
    roleIds: [],
    isAdminProject: false,
    applicationCredentialId: null,
    auditIds: [],
    expiresAt: new Date(now.getTime() + 3_600_000),
    issuedAt: now,
  };
}

/** A caller must be project-scoped to create resources. */
export function requireProject(ctx: VolumeContext): string {
  if (ctx.projectId === null) throw errors.invalidInput('a project-scoped token is required.');
  return ctx.projectId;
}

/**
 * The login half of identity/operations.ts: a password token for a user, as
 * POST /v3/auth/tokens gives one, and the user's own application credentials
 * (the seed makes a user's resources and credentials with the user's own
 * token, so Keystone's and every service's policy and quotas judge them as
 * the user's requests).
 */
import type { CallerContext } from '../core/context.js';
import { toBool } from '../core/db/values.js';
import type { IdentityServiceOps } from './service/index.js';

export interface ApplicationCredentialInfo {
  id: string;
  name: string;
  userId: string;
  projectId: string | null;
  description: string | null;
  expiresAt: string | null;
  unrestricted: boolean;
  roles: string[];
}

export interface NewApplicationCredential {
  name: string;
  /** Absent: generated (and returned once). */
  secret?: string;
  description?: string;
  /** Role names; absent: every role of the caller's token. */
  roles?: string[];
  /** ISO 8601. */
  expiresAt?: string;
  unrestricted?: boolean;
}

export interface CredentialOperations {
  /**
   * A project-scoped token for the user with this password, exactly as
   * POST /v3/auth/tokens issues it (401 for a wrong password or a disabled
   * user, 401 without a role on the project), and the caller it stands for.
   */
  passwordToken(credentials: { userId: string; password: string; projectId: string }): Promise<{ token: string; caller: CallerContext }>;
  /** The caller's own application credential of this name, or null. Read-only. */
  findApplicationCredential(caller: CallerContext, name: string): Promise<ApplicationCredentialInfo | null>;
  /**
   * An application credential of the caller on the token's project, under
   * Keystone's policy and role checks (a credential never exceeds its
   * creator); 409 when the user has one of this name. The secret is returned only here.
   */
  createApplicationCredential(caller: CallerContext, request: NewApplicationCredential): Promise<ApplicationCredentialInfo & { secret: string }>;
}

export function credentialOperations(service: IdentityServiceOps): CredentialOperations {
  return {
    async passwordToken({ userId, password, projectId }) {
      const data = await service.tokens.issue({
        identity: { methods: ['password'], password: { user: { id: userId, password } } },
        scope: { project: { id: projectId } },
      });
      return { token: data.token, caller: service.tokens.toCallerContext(data) };
    },
    async findApplicationCredential(caller, name) {
      const [found] = await service.appCredentials.list(caller, caller.userId, { name });
      return found ? applicationCredentialInfo(found) : null;
    },
    async createApplicationCredential(caller, request) {
      const created = await service.appCredentials.create(caller, caller.userId, {
        name: request.name,
        ...(request.secret !== undefined && { secret: request.secret }),
        ...(request.description !== undefined && { description: request.description }),
        ...(request.roles !== undefined && { roles: request.roles.map((name) => ({ name })) }),
        ...(request.expiresAt !== undefined && { expires_at: request.expiresAt }),
        ...(request.unrestricted !== undefined && { unrestricted: request.unrestricted }),
      });
      return { ...applicationCredentialInfo(created), secret: created.secret };
    },
  };
}

type StoredCredential = Awaited<ReturnType<IdentityServiceOps['appCredentials']['list']>>[number];

function applicationCredentialInfo(credential: StoredCredential): ApplicationCredentialInfo {
  return {
    id: credential.id,
    name: credential.name,
    userId: credential.user_id,
    projectId: credential.project_id,
    description: credential.description,
    expiresAt: credential.expires_at,
    unrestricted: toBool(credential.unrestricted),
    roles: credential.roles.map((role) => role.name),
  };
}

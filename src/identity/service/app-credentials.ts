/**
 * Application credentials: a user delegates some of their roles on one
 * project to an application, which authenticates with an id and a secret.
 * The secret is hashed like a password and shown only once, at creation.
 */
import type { CallerContext } from '../../core/context.js';

import { hexId, secret as randomSecret } from '../../core/ids.js';
import { nowIso, nowMs } from '../../core/time.js';
import { toBool } from '../../core/db/values.js';
import * as store from '../store/index.js';
import type { AppCredential, IdentityDb, Role } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { effectiveRoles, expandImpliedRoles } from './effective-roles.js';
import type { Attributes } from './extras.js';
import { hashPassword } from './passwords.js';
import { isOAuthToken } from './oauth1-flow.js';
import { identityErrors } from '../errors.js';

/** Keystone generates 64 random bytes, URL-safe base64 without padding (86 characters). */
const GENERATED_SECRET_BYTES = 64;
/** Keystone's parse_expiration_date: an ISO 8601 time, UTC unless it carries an offset. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([zZ]|[+-]\d{2}:\d{2})?$/;

export interface AppCredentialWithRoles extends AppCredential {
  roles: Role[];
}

/** The creation result: the only time the secret leaves the server. */
export interface NewAppCredential extends AppCredentialWithRoles {
  secret: string;
}

interface RoleRef {
  id?: string;
  name?: string;
}

export class AppCredentialOps {
  constructor(private readonly deps: IdentityDeps) {}

  /**
   * Creates an application credential for the caller on the token's project.
   * The roles default to all the token's roles; any role asked for (by id or
   * name, with the roles it implies) must be one the token carries and the
   * user still holds there, so a credential never exceeds its creator.
   */
  async create(auth: CallerContext, userId: string, body: Attributes): Promise<NewAppCredential> {
    this.deps.authz.authorize(auth, 'create_application_credential', { user_id: userId });
    this.refuseTrustOrOAuthToken(auth);
    await assertUnrestrictedToken(this.deps, auth, 'application credentials');
    if (auth.userId !== userId) {
      throw identityErrors.notAuthorized('Cannot create an application credential for another user');
    }
    if (!auth.project) {
      throw identityErrors.appCredentialNeedsProjectScope();
    }
    if (Array.isArray(body.access_rules) && body.access_rules.length > 0) {
      throw identityErrors.accessRulesUnsupported();
    }
    const projectId = auth.project.id;
    const roleIds = await this.delegatedRoleIds(auth, body.roles as RoleRef[] | undefined);
    await this.assertUserHoldsRoles(userId, projectId, roleIds);
    const expiresAt = parseExpiry(body.expires_at as string | null | undefined);
    const secret = typeof body.secret === 'string' && body.secret !== '' ? body.secret : randomSecret(GENERATED_SECRET_BYTES);
    const id = hexId();
    const row = {
      id,
      name: body.name as string,
      user_id: userId,
      project_id: projectId,
      secret_hash: await hashPassword(secret, this.deps.config.identity.password_hash_rounds),
      description: (body.description as string | null | undefined) ?? null,
      expires_at: expiresAt,
      unrestricted: (body.unrestricted as boolean | null | undefined) ?? false,
      system: null,
      created_at: nowIso(),
    };
    await this.deps.db.transaction().execute((trx) => store.insertAppCredential(trx, row, roleIds));
    const [created] = await this.withRoles([await store.getAppCredentialOrThrow(this.deps.db, id)]);
    return { ...(created as AppCredentialWithRoles), secret };
  }

  async list(auth: CallerContext, userId: string, filter: { name?: string }): Promise<AppCredentialWithRoles[]> {
    this.deps.authz.authorize(auth, 'list_application_credentials', { user_id: userId });
    this.refuseTrustOrOAuthToken(auth);
    return this.withRoles(await store.listAppCredentials(this.deps.db, userId, filter));
  }

  async get(auth: CallerContext, userId: string, id: string): Promise<AppCredentialWithRoles> {
    const credential = await this.owned(auth, userId, id, 'get_application_credential');
    return (await this.withRoles([credential]))[0] as AppCredentialWithRoles;
  }

  /** Tokens issued from the credential stop validating with it (validation re-reads it). */
  async delete(auth: CallerContext, userId: string, id: string): Promise<void> {
    await this.owned(auth, userId, id, 'delete_application_credential');
    await assertUnrestrictedToken(this.deps, auth, 'application credentials');
    await this.deps.db.transaction().execute((trx) => store.deleteAppCredential(trx, id));
  }

  /**
   * The credential `id` of `userId`, or 404 (also for another user's, so the
   * URL cannot be used to probe ids). Policy sees the owner from the row, not
   * from the URL, as Keystone does.
   */
  private async owned(auth: CallerContext, userId: string, id: string, action: string): Promise<AppCredential> {
    const credential = await store.getAppCredential(this.deps.db, id);
    if (!credential || credential.user_id !== userId) throw identityErrors.notFound('Application Credential', id);
    this.deps.authz.authorize(auth, action, { user_id: credential.user_id });
    this.refuseTrustOrOAuthToken(auth);
    return credential;
  }

  /**
   * Keystone's _block_delegated_token_app_creds: a credential made through a
   * trust or an OAuth access token would outlive that delegation's expiry and
   * scope, so their tokens may not manage credentials at all. An application
   * credential's own token is judged by `unrestricted` instead.
   */
  private refuseTrustOrOAuthToken(auth: CallerContext): void {
    if (auth.trustId !== null || isOAuthToken(auth)) throw identityErrors.appCredentialsThroughDelegation();
  }

  /** The requested roles (ids or global role names) plus what they imply, each on the token. */
  private async delegatedRoleIds(auth: CallerContext, requested: RoleRef[] | undefined): Promise<string[]> {
    if (!requested || requested.length === 0) return [...auth.roleIds];
    const ids: string[] = [];
    for (const ref of requested) {
      if (ref.id !== undefined) {
        ids.push(ref.id);
        continue;
      }
      const role = await store.findRoleByName(this.deps.db, ref.name as string);
      if (!role) throw identityErrors.notFound('role', String(ref.name));
      ids.push(role.id);
    }
    const withImplied = await expandImpliedRoles(this.deps.db, ids);
    if (withImplied.some((id) => !auth.roleIds.includes(id))) {
      throw identityErrors.unassignedRole();
    }
    return withImplied;
  }

  /** Guards service-to-service callers whose context is older than the assignments. */
  private async assertUserHoldsRoles(userId: string, projectId: string, roleIds: string[]): Promise<void> {
    const project = await store.getProjectOrThrow(this.deps.db, projectId);
    const held = new Set((await effectiveRoles(this.deps.db, userId, { project })).map((r) => r.id));
    const missing = roleIds.find((id) => !held.has(id));
    if (missing !== undefined) {
      throw identityErrors.roleNotHeld(missing, userId, projectId);
    }
  }

  /** Credentials with their role rows, in two queries whatever their number. */
  private async withRoles(credentials: AppCredential[]): Promise<AppCredentialWithRoles[]> {
    const roleIds = await store.appCredentialRoleIds(
      this.deps.db,
      credentials.map((c) => c.id),
    );
    const roles = new Map((await store.rolesByIds(this.deps.db, [...new Set([...roleIds.values()].flat())])).map((r) => [r.id, r]));
    return credentials.map((c) => ({ ...c, roles: (roleIds.get(c.id) ?? []).flatMap((id) => roles.get(id) ?? []) }));
  }
}

/**
 * Keystone's one assignment-driven clean-up of application credentials
 * (assignment_api._send_app_cred_notification_for_role_removal, run when a
 * role is deleted): every user granted `roleId` directly on a project,
 * inherited grants included but not group grants, loses all their
 * application credentials for that project, whatever roles they delegate.
 * Revoking a grant or leaving a group deletes none: those credentials stay
 * and stop authenticating once their roles are no longer held.
 */
export async function deleteAppCredentialsOfRoleHolders(db: IdentityDb, roleId: string): Promise<void> {
  const grants = await store.listAssignments(db, { types: ['UserProject'], roleIds: [roleId] });
  for (const grant of grants) await store.deleteAppCredentialsForUserOnProject(db, grant.actor_id, grant.target_id);
}

/**
 * A token from a restricted application credential may not mint further
 * secrets (`what`: application credentials, EC2 credentials), or a leaked
 * credential could outlive its own revocation.
 */
export async function assertUnrestrictedToken(deps: IdentityDeps, auth: CallerContext, what: string): Promise<void> {
  if (auth.applicationCredentialId === null) return;
  const used = await store.getAppCredential(deps.db, auth.applicationCredentialId);
  if (!used || !toBool(used.unrestricted)) {
    throw identityErrors.notAuthorized(`Using method 'application_credential' is not allowed for managing additional ${what}`);
  }
}

/**
 * `expires_at` as stored (ISO, UTC, microseconds kept: Keystone returns the
 * time exactly as given); it must parse (400) and lie in the future (400).
 * Application credentials and trusts expire alike.
 */
export function parseExpiry(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  const match = ISO_8601.exec(value);
  const iso = value.replace(' ', 'T');
  const at = match ? Date.parse(match[1] === undefined ? `${iso}Z` : iso) : NaN;
  if (Number.isNaN(at)) throw identityErrors.timestampFormat();
  if (at <= nowMs()) throw identityErrors.expiresInPast();
  const micros = (/\.\d{3}(\d{1,3})/.exec(value)?.[1] ?? '').padEnd(3, '0');
  return new Date(at).toISOString().replace(/Z$/, `${micros}Z`);
}

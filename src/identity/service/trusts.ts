/**
 * OS-TRUST: a trustor delegates some of their roles on one project to a
 * trustee, who then gets trust-scoped tokens (acting as the trustor when the
 * trust impersonates). Heat and Aodh hold trusts to act for a stack's or an
 * alarm's owner long after the owner's token expired.
 *
 * As Keystone: a trust that expired or whose remaining uses are spent no
 * longer exists (404, and its tokens stop validating); a trust's roles must
 * be the trustor's on the project, at creation and at every validation of a
 * token, so a trustor who loses a role takes it from the trustee at once;
 * redelegation (a trust made with a trust-scoped token) narrows what it
 * passes on and is at most `max_redelegation_count` deep.
 */
import type { CallerContext } from '../../core/context.js';
import { toBool } from '../../core/db/values.js';
import { hexId } from '../../core/ids.js';
import { nowIso, nowMs } from '../../core/time.js';
import * as store from '../store/index.js';
import type { IdentityDb, Role, Trust } from '../store/index.js';
import { identityErrors } from '../errors.js';
import { parseExpiry } from './app-credentials.js';
import type { IdentityDeps } from './deps.js';
import { effectiveRoles, expandImpliedRoles } from './effective-roles.js';
import { isOAuthToken } from './oauth1-flow.js';

/** keystone.conf [trust] max_redelegation_count's default. */
export const MAX_REDELEGATION_COUNT = 3;

export interface TrustWithRoles extends Trust {
  roles: Role[];
}

/** A create request's `trust` object, after the API's JSON schema. */
export interface TrustRequest {
  trustor_user_id: string;
  trustee_user_id: string;
  project_id?: string | null;
  impersonation: boolean;
  roles?: Array<{ id?: string; name?: string }>;
  expires_at?: string | null;
  remaining_uses?: number | null;
  allow_redelegation?: boolean;
  redelegation_count?: number | null;
}

export class TrustOps {
  constructor(private readonly deps: IdentityDeps) {}

  async create(auth: CallerContext, request: TrustRequest): Promise<TrustWithRoles> {
    this.deps.authz.authorize(auth, 'create_trust', { trust: { trustor_user_id: request.trustor_user_id } });
    if (auth.applicationCredentialId !== null) throw identityErrors.notAuthorized("Using method 'application_credential' is not allowed for managing trusts");
    // Keystone's _find_redelegated_trust: of the delegated tokens only a trust's may delegate further.
    if (auth.trustId === null && isOAuthToken(auth)) throw identityErrors.notAuthorized('Redelegation allowed for delegated by trust only');
    if (request.project_id && (request.roles ?? []).length === 0) throw identityErrors.notAuthorized('At least one role should be specified');
    if (auth.userId !== request.trustor_user_id) throw identityErrors.notAuthorized('The authenticated user should match the trustor');
    const db = this.deps.db;
    await store.getUserOrThrow(db, request.trustee_user_id);
    const projectId = request.project_id || null;
    const roleIds = await this.roleIds(request.roles ?? []);
    const redelegated = auth.trustId ? await usableTrust(db, auth.trustId) : null;
    if (auth.trustId && !redelegated) throw identityErrors.notFound('trust', auth.trustId);
    if (projectId) {
      const held = new Set(
        (
          await effectiveRoles(db, redelegated ? await originalTrustor(db, redelegated) : request.trustor_user_id, {
            project: await store.getProjectOrThrow(db, projectId),
          })
        ).map((r) => r.id),
      );
      const missing = roleIds.find((id) => !held.has(id));
      if (missing !== undefined) throw identityErrors.notFound('role', missing);
    }
    const row = {
      id: hexId(),
      trustor_user_id: request.trustor_user_id,
      trustee_user_id: request.trustee_user_id,
      project_id: projectId,
      impersonation: request.impersonation,
      expires_at: parseExpiry(request.expires_at),
      remaining_uses: request.remaining_uses ?? null,
      redelegated_trust_id: redelegated?.id ?? null,
      redelegation_count: 0,
      created_at: nowIso(),
    };
    row.redelegation_count = await redelegationCount(db, request, row, roleIds, redelegated);
    await db.transaction().execute((trx) => store.insertTrust(trx, row, roleIds));
    return this.withRoles(await requireTrust(db, row.id));
  }

  /** Without a filter: admins only (Keystone's identity:list_trusts). */
  async list(auth: CallerContext, filter: { trustorUserId?: string; trusteeUserId?: string }): Promise<Trust[]> {
    if (filter.trustorUserId !== undefined) {
      this.deps.authz.authorize(auth, 'list_trusts_for_trustor', { trust: { trustor_user_id: filter.trustorUserId } });
    } else if (filter.trusteeUserId !== undefined) {
      this.deps.authz.authorize(auth, 'list_trusts_for_trustee', { trust: { trustee_user_id: filter.trusteeUserId } });
    } else {
      this.deps.authz.authorize(auth, 'list_trusts', {});
    }
    this.refuseAppCredential(auth);
    const now = nowMs();
    return (await store.listTrustRows(this.deps.db, filter)).filter((t) => usable(t, now));
  }

  async get(auth: CallerContext, id: string): Promise<TrustWithRoles> {
    return this.withRoles(await this.related(auth, id, 'get_trust'));
  }

  async roles(auth: CallerContext, id: string): Promise<Role[]> {
    return (await this.withRoles(await this.related(auth, id, 'list_roles_for_trust'))).roles;
  }

  async role(auth: CallerContext, id: string, roleId: string): Promise<Role> {
    const { roles } = await this.withRoles(await this.related(auth, id, 'get_role_for_trust'));
    const role = roles.find((r) => r.id === roleId);
    if (!role) throw identityErrors.notFound('role', roleId);
    return role;
  }

  /** Deletes the trust and, as Keystone, every trust redelegated from it; their tokens stop validating. */
  async delete(auth: CallerContext, id: string): Promise<void> {
    const trust = await requireTrust(this.deps.db, id);
    this.deps.authz.authorize(auth, 'delete_trust', { trust: { trustor_user_id: trust.trustor_user_id, trustee_user_id: trust.trustee_user_id } });
    this.refuseAppCredential(auth);
    await this.deleteHeld(id);
  }

  /** Deletes the trust and its redelegated chain, for its trustee service giving it up (no policy: an in-process call). */
  async deleteHeld(id: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const doomed = [id];
      for (let i = 0; i < doomed.length; i++) {
        for (const child of await store.listTrustRows(trx, { redelegatedTrustId: doomed[i] as string })) doomed.push(child.id);
      }
      for (const trustId of doomed.reverse()) await store.deleteTrustRow(trx, trustId);
    });
  }

  /** A trust the caller is trustor or trustee of (policy), or 404 when it does not exist. */
  private async related(auth: CallerContext, id: string, action: string): Promise<Trust> {
    const trust = await requireTrust(this.deps.db, id);
    this.deps.authz.authorize(auth, action, { trust: { trustor_user_id: trust.trustor_user_id, trustee_user_id: trust.trustee_user_id } });
    this.refuseAppCredential(auth);
    return trust;
  }

  private refuseAppCredential(auth: CallerContext): void {
    if (auth.applicationCredentialId !== null) throw identityErrors.notAuthorized("Using method 'application_credential' is not allowed for managing trusts");
  }

  /** Role references (id, or a global role's name) as ids; an unknown one is 404. */
  private async roleIds(refs: Array<{ id?: string; name?: string }>): Promise<string[]> {
    const ids: string[] = [];
    for (const ref of refs) {
      const role = ref.id !== undefined ? await store.getRole(this.deps.db, ref.id) : await store.findRoleByName(this.deps.db, ref.name ?? '');
      if (!role) throw identityErrors.notFound('role', String(ref.id ?? ref.name));
      if (!ids.includes(role.id)) ids.push(role.id);
    }
    return ids;
  }

  private async withRoles(trust: Trust): Promise<TrustWithRoles> {
    const ids = (await store.trustRoleIds(this.deps.db, [trust.id])).get(trust.id) ?? [];
    return { ...trust, roles: await store.rolesByIds(this.deps.db, ids) };
  }
}

/** Not expired and not used up: what Keystone's get_trust still returns. */
function usable(trust: Trust, now = nowMs()): boolean {
  if (trust.expires_at !== null && Date.parse(trust.expires_at) <= now) return false;
  return trust.remaining_uses === null || trust.remaining_uses > 0;
}

export async function usableTrust(db: IdentityDb, id: string): Promise<Trust | null> {
  const trust = await store.getTrustRow(db, id);
  return trust && usable(trust) ? trust : null;
}

async function requireTrust(db: IdentityDb, id: string): Promise<Trust> {
  const trust = await usableTrust(db, id);
  if (!trust) throw identityErrors.notFound('trust', id);
  return trust;
}

/** The first trustor of a redelegation chain: whose roles every trust in it passes on. */
async function originalTrustor(db: IdentityDb, trust: Trust): Promise<string> {
  let current = trust;
  for (let depth = 0; current.redelegated_trust_id && depth <= MAX_REDELEGATION_COUNT; depth++) {
    const parent = await store.getTrustRow(db, current.redelegated_trust_id);
    if (!parent) break;
    current = parent;
  }
  return current.trustor_user_id;
}

/**
 * The new trust's redelegation_count, with keystone/trust/core.py's checks:
 * a trust that may be redelegated takes no remaining_uses and at most
 * MAX_REDELEGATION_COUNT levels; a redelegated one inherits one level less
 * than its parent, its expiry at most the parent's, roles among the
 * parent's, and impersonation only if the parent has it.
 */
async function redelegationCount(
  db: IdentityDb,
  request: TrustRequest,
  row: { remaining_uses: number | null; expires_at: string | null; impersonation: boolean },
  roleIds: string[],
  parent: Trust | null,
): Promise<number> {
  const requested = request.redelegation_count ?? null;
  const redelegatable = request.allow_redelegation === true && requested !== 0;
  if (!redelegatable && row.remaining_uses !== null && row.remaining_uses <= 0) {
    throw identityErrors.remainingUses('remaining_uses must be a positive integer or null.');
  }
  if (redelegatable) {
    if (requested !== null && requested > MAX_REDELEGATION_COUNT) {
      throw identityErrors.redelegation(`Requested redelegation depth of ${requested} is greater than allowed ${MAX_REDELEGATION_COUNT}`);
    }
    if (row.remaining_uses !== null) throw identityErrors.remainingUses('remaining_uses must not be set if redelegation is allowed');
  }
  if (!parent) return redelegatable ? (requested ?? MAX_REDELEGATION_COUNT) : 0;
  const remaining = parent.redelegation_count - 1;
  if (redelegatable && requested !== null && requested !== remaining) {
    throw identityErrors.redelegation('Modifying "redelegation_count" upon redelegation is forbidden. Omitting this parameter is advised.');
  }
  if (!(parent.redelegation_count > 0 && parent.redelegation_count <= MAX_REDELEGATION_COUNT)) {
    throw identityErrors.redelegation(`Remaining redelegation depth of ${parent.redelegation_count} out of allowed range of [0..${MAX_REDELEGATION_COUNT}]`);
  }
  if (row.remaining_uses !== null) {
    throw identityErrors.redelegation(`Field "remaining_uses" is set to ${row.remaining_uses} while it must not be set in order to redelegate a trust`);
  }
  if (row.expires_at === null) row.expires_at = parent.expires_at;
  else if (parent.expires_at !== null && Date.parse(parent.expires_at) < Date.parse(row.expires_at)) {
    throw identityErrors.redelegation('Requested expiration time is more than redelegated trust can provide');
  }
  const parentRoles = new Set((await store.trustRoleIds(db, [parent.id])).get(parent.id) ?? []);
  if (!roleIds.every((id) => parentRoles.has(id))) throw identityErrors.redelegation('Some of requested roles are not in redelegated trust');
  if (!toBool(parent.impersonation) && row.impersonation) {
    throw identityErrors.redelegation(
      `Impersonation is not allowed because redelegated trust does not specify impersonation. Redelegated trust id: ${parent.id}`,
    );
  }
  return remaining;
}

/**
 * The roles a trust-scoped token carries: the trust's roles with those they
 * imply, each still held by the (original) trustor on the project; a trust
 * role the trustor lost ends the trust's use (403, as Keystone).
 */
export async function delegatedRoles(db: IdentityDb, trust: Trust): Promise<Role[]> {
  if (!trust.project_id) return [];
  const project = await store.getProjectOrThrow(db, trust.project_id);
  const held = new Set((await effectiveRoles(db, await originalTrustor(db, trust), { project })).map((r) => r.id));
  const granted = await expandImpliedRoles(db, (await store.trustRoleIds(db, [trust.id])).get(trust.id) ?? []);
  if (granted.some((id) => !held.has(id))) throw identityErrors.noDelegatedRoles();
  return (await store.rolesByIds(db, granted)).filter((r) => r.domain_id === '').sort((a, b) => a.name.localeCompare(b.name));
}

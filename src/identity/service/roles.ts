/** Roles (global and domain-specific) and implied-role rules. */
import type { CallerContext } from '../../core/context.js';

import { hexId } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import * as store from '../store/index.js';
import type { Role } from '../store/index.js';
import { deleteAppCredentialsOfRoleHolders } from './app-credentials.js';
import type { IdentityDeps } from './deps.js';
import { extraOf, mergeExtra, type Attributes } from './extras.js';
import { identityErrors } from '../errors.js';

const ROLE_FIELDS = ['id', 'name', 'domain_id', 'description', 'options', 'links'] as const;
/** Keystone's role option: an immutable role cannot be changed or deleted. */
const IMMUTABLE = 'immutable';

export interface ImpliedRule {
  prior: Role;
  implies: Role[];
}

export class RoleOps {
  constructor(private readonly deps: IdentityDeps) {}

  async createRole(auth: CallerContext, body: Attributes): Promise<Role> {
    const domainId = (body.domain_id as string | null | undefined) ?? null;
    this.deps.authz.authorize(auth, domainId ? 'create_domain_role' : 'create_role', { role: { domain_id: domainId } });
    if (domainId && !(await store.getDomain(this.deps.db, domainId))) throw identityErrors.referenceNotFound('domain', domainId);
    const id = hexId();
    await store.insertRole(this.deps.db, {
      id,
      name: body.name as string,
      domain_id: domainId ?? '',
      description: (body.description as string | null | undefined) ?? null,
      options: JSON.stringify(checkRoleOptions(body.options)),
      extra: extraOf(body, ROLE_FIELDS),
      created_at: nowIso(),
    });
    return store.getRoleOrThrow(this.deps.db, id);
  }

  async getRole(auth: CallerContext, id: string): Promise<Role> {
    const role = await store.getRoleOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, role.domain_id ? 'get_domain_role' : 'get_role', { role: { id, domain_id: role.domain_id || null } });
    return role;
  }

  async listRoles(auth: CallerContext, filter: { name?: string; domainId?: string }): Promise<Role[]> {
    this.deps.authz.authorize(auth, filter.domainId ? 'list_domain_roles' : 'list_roles', { domain_id: filter.domainId ?? null });
    return store.listRoles(this.deps.db, filter);
  }

  async updateRole(auth: CallerContext, id: string, patch: Attributes): Promise<Role> {
    const role = await store.getRoleOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, role.domain_id ? 'update_domain_role' : 'update_role', { role: { id, domain_id: role.domain_id || null } });
    const options = { ...(JSON.parse(role.options) as Attributes), ...checkRoleOptions(patch.options) };
    if ((JSON.parse(role.options) as Attributes)[IMMUTABLE] === true && !('options' in patch && Object.keys(patch).length === 1)) {
      throw identityErrors.roleImmutable(id);
    }
    if (patch.domain_id !== undefined && (patch.domain_id ?? '') !== role.domain_id) throw identityErrors.roleDomainImmutable();
    await store.updateRole(this.deps.db, id, {
      ...(patch.name !== undefined && { name: patch.name as string }),
      ...(patch.description !== undefined && { description: patch.description as string | null }),
      options: JSON.stringify(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== null))),
      extra: mergeExtra(role.extra, patch, ROLE_FIELDS),
    });
    return store.getRoleOrThrow(this.deps.db, id);
  }

  /** Goes with its grants, and the application credentials deleteAppCredentialsOfRoleHolders names. */
  async deleteRole(auth: CallerContext, id: string): Promise<void> {
    const role = await store.getRoleOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, role.domain_id ? 'delete_domain_role' : 'delete_role', { role: { id, domain_id: role.domain_id || null } });
    if ((JSON.parse(role.options) as Attributes)[IMMUTABLE] === true) {
      throw identityErrors.roleImmutableDelete(id);
    }
    await this.deps.db.transaction().execute(async (trx) => {
      await deleteAppCredentialsOfRoleHolders(trx, id);
      await store.deleteRole(trx, id);
    });
  }

  async createImpliedRole(auth: CallerContext, priorId: string, impliedId: string): Promise<{ prior: Role; implied: Role }> {
    this.deps.authz.authorize(auth, 'create_implied_role');
    const { prior, implied } = await this.pair(priorId, impliedId);
    // A global role may not imply a domain-specific one; domain roles may imply anything.
    if (prior.domain_id === '' && implied.domain_id !== '') {
      throw identityErrors.domainRoleImplied(impliedId);
    }
    if (await this.implies(impliedId, priorId)) {
      throw identityErrors.impliedRoleCycle(priorId, impliedId);
    }
    await store.insertImpliedRole(this.deps.db, priorId, impliedId);
    return { prior, implied };
  }

  async getImpliedRole(
    auth: CallerContext,
    priorId: string,
    impliedId: string,
    action: 'get_implied_role' | 'check_implied_role',
  ): Promise<{ prior: Role; implied: Role }> {
    this.deps.authz.authorize(auth, action);
    const pair = await this.pair(priorId, impliedId);
    const rules = await store.listImpliedRoles(this.deps.db, priorId);
    if (!rules.some((r) => r.implied_role_id === impliedId)) {
      throw identityErrors.noImplication(priorId, impliedId);
    }
    return pair;
  }

  async deleteImpliedRole(auth: CallerContext, priorId: string, impliedId: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_implied_role');
    await this.pair(priorId, impliedId);
    if (!(await store.deleteImpliedRole(this.deps.db, priorId, impliedId))) {
      throw identityErrors.noImplication(priorId, impliedId);
    }
  }

  /** GET /v3/roles/{id}/implies: direct implications of one role. */
  async listImpliedRoles(auth: CallerContext, priorId: string): Promise<ImpliedRule> {
    this.deps.authz.authorize(auth, 'list_implied_roles');
    const prior = await store.getRoleOrThrow(this.deps.db, priorId);
    const ids = (await store.listImpliedRoles(this.deps.db, priorId)).map((r) => r.implied_role_id);
    return { prior, implies: await store.rolesByIds(this.deps.db, ids) };
  }

  /** GET /v3/role_inferences: every rule, grouped by prior role. */
  async listInferenceRules(auth: CallerContext): Promise<ImpliedRule[]> {
    this.deps.authz.authorize(auth, 'list_role_inference_rules');
    const rules = await store.listImpliedRoles(this.deps.db);
    const roles = new Map(
      (await store.rolesByIds(this.deps.db, [...new Set(rules.flatMap((r) => [r.prior_role_id, r.implied_role_id]))])).map((r) => [r.id, r]),
    );
    const grouped = new Map<string, ImpliedRule>();
    for (const rule of rules) {
      const prior = roles.get(rule.prior_role_id);
      const implied = roles.get(rule.implied_role_id);
      if (!prior || !implied) continue;
      const entry = grouped.get(prior.id) ?? { prior, implies: [] };
      entry.implies.push(implied);
      grouped.set(prior.id, entry);
    }
    return [...grouped.values()];
  }

  private async pair(priorId: string, impliedId: string): Promise<{ prior: Role; implied: Role }> {
    return { prior: await store.getRoleOrThrow(this.deps.db, priorId), implied: await store.getRoleOrThrow(this.deps.db, impliedId) };
  }

  /** Whether `from` implies `to`, directly or through other rules. */
  private async implies(from: string, to: string): Promise<boolean> {
    if (from === to) return true;
    const rules = await store.listImpliedRoles(this.deps.db);
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...rules.filter((r) => r.prior_role_id === id).map((r) => r.implied_role_id));
    }
    return false;
  }
}

function checkRoleOptions(value: unknown): Attributes {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw identityErrors.optionsNotObject();
  for (const [key, option] of Object.entries(value)) {
    if (key !== IMMUTABLE) throw identityErrors.unknownOption(key);
    if (option !== null && typeof option !== 'boolean') throw identityErrors.immutableOptionNotBoolean();
  }
  return value as Attributes;
}

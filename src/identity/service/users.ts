/** Users (with passwords and the self-service password change) and groups. */
import type { CallerContext } from '../../core/context.js';

import { hexId } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { toBool } from '../../core/db/values.js';
import * as store from '../store/index.js';
import type { Group, Password, User } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { extraOf, mergeExtra, type Attributes } from './extras.js';
import { checkMinimumPasswordAge, checkPasswordHistory, checkPasswordRequirements, setPassword, verifyPassword, type UserOptions } from './passwords.js';
import { identityErrors } from '../errors.js';

const USER_FIELDS = ['id', 'name', 'domain_id', 'enabled', 'default_project_id', 'description', 'password', 'options', 'links', 'federated'] as const;
const GROUP_FIELDS = ['id', 'name', 'domain_id', 'description', 'links'] as const;
const USER_OPTIONS = [
  'ignore_change_password_upon_first_use',
  'ignore_password_expiry',
  'ignore_lockout_failure_attempts',
  'lock_password',
  'ignore_user_inactivity',
  'multi_factor_auth_rules',
  'multi_factor_auth_enabled',
];

export interface UserWithPassword extends User {
  password_expires_at: string | null;
}

export class UserOps {
  constructor(private readonly deps: IdentityDeps) {}

  private get rules() {
    return this.deps.config.security_compliance;
  }

  async createUser(auth: CallerContext, body: Attributes): Promise<UserWithPassword> {
    const domainId = (body.domain_id as string | undefined) ?? auth.domain?.id ?? auth.project?.domainId ?? 'default';
    this.deps.authz.authorize(auth, 'create_user', { user: { domain_id: domainId } });
    await store.getDomainOrThrow(this.deps.db, domainId);
    const password = body.password as string | null | undefined;
    if (password) checkPasswordRequirements(password, this.rules);
    const options = checkOptions(body.options);
    const id = hexId();
    await this.deps.db.transaction().execute(async (trx) => {
      await store.insertUser(trx, {
        id,
        name: body.name as string,
        domain_id: domainId,
        enabled: (body.enabled as boolean | undefined) ?? true,
        default_project_id: (body.default_project_id as string | undefined) ?? null,
        description: (body.description as string | undefined) ?? null,
        extra: extraOf(body, USER_FIELDS),
        options: JSON.stringify(options),
        failed_auth_count: 0,
        failed_auth_at: null,
        last_active_at: null,
        created_at: nowIso(),
      });
      if (password) {
        await setPassword(trx, { id, options: JSON.stringify(options) }, password, {
          selfService: false,
          rules: this.rules,
          rounds: this.deps.config.identity.password_hash_rounds,
        });
      }
    });
    return this.withPassword(await store.getUserOrThrow(this.deps.db, id));
  }

  async getUser(auth: CallerContext, id: string): Promise<UserWithPassword> {
    const user = await store.getUserOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'get_user', { user: { id, domain_id: user.domain_id } });
    return this.withPassword(user);
  }

  async listUsers(auth: CallerContext, filter: { name?: string; domainId?: string; enabled?: boolean }): Promise<UserWithPassword[]> {
    this.deps.authz.authorize(auth, 'list_users', { domain_id: filter.domainId ?? null });
    return this.withPasswords(await store.listUsers(this.deps.db, filter));
  }

  async updateUser(auth: CallerContext, id: string, patch: Attributes): Promise<UserWithPassword> {
    const user = await store.getUserOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'update_user', { user: { id, domain_id: user.domain_id } });
    if (patch.id !== undefined && patch.id !== id) throw identityErrors.userIdImmutable();
    if (patch.domain_id !== undefined && patch.domain_id !== user.domain_id) throw identityErrors.userDomainImmutable();
    const password = patch.password as string | null | undefined;
    // An admin reset is not held to the password history (only self-service changes are).
    if (password) checkPasswordRequirements(password, this.rules);
    const options =
      patch.options === undefined
        ? (JSON.parse(user.options) as UserOptions)
        : { ...(JSON.parse(user.options) as UserOptions), ...checkOptions(patch.options) };
    for (const [key, value] of Object.entries(options)) if (value === null) delete options[key];
    await this.deps.db.transaction().execute(async (trx) => {
      await store.updateUser(trx, id, {
        ...(patch.name !== undefined && { name: patch.name as string }),
        ...(patch.description !== undefined && { description: patch.description as string | null }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled as boolean }),
        ...(patch.default_project_id !== undefined && { default_project_id: patch.default_project_id as string | null }),
        // Re-enabling a user clears a lockout, as an admin unlock does in Keystone.
        ...(patch.enabled === true && { failed_auth_count: 0, failed_auth_at: null }),
        options: JSON.stringify(options),
        extra: mergeExtra(user.extra, patch, USER_FIELDS),
      });
      if (password) {
        await setPassword(trx, { id, options: JSON.stringify(options) }, password, {
          selfService: false,
          rules: this.rules,
          rounds: this.deps.config.identity.password_hash_rounds,
        });
      }
      if (password || (patch.enabled === false && toBool(user.enabled))) await revokeUserTokens(trx, id);
    });
    return this.withPassword(await store.getUserOrThrow(this.deps.db, id));
  }

  async deleteUser(auth: CallerContext, id: string): Promise<void> {
    const user = await store.getUserOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'delete_user', { user: { id, domain_id: user.domain_id } });
    await this.deps.db.transaction().execute(async (trx) => {
      await store.deleteUser(trx, id);
      await revokeUserTokens(trx, id);
    });
  }

  /**
   * POST /v3/users/{id}/password: needs no token (a user whose password
   * expired must still be able to change it); the original password is the proof.
   */
  async changePassword(id: string, originalPassword: string, newPassword: string): Promise<void> {
    const user = await store.getUser(this.deps.db, id);
    if (!user) throw identityErrors.notFound('user', id);
    const [current] = await store.passwordHistory(this.deps.db, id, 1);
    if (!current || !(await verifyPassword(originalPassword, current.hash))) {
      throw identityErrors.authRequired();
    }
    if ((JSON.parse(user.options) as UserOptions).lock_password) {
      throw identityErrors.passwordLocked(id);
    }
    checkPasswordRequirements(newPassword, this.rules);
    await checkMinimumPasswordAge(this.deps.db, id, this.rules);
    await checkPasswordHistory(this.deps.db, id, newPassword, this.rules);
    await this.deps.db.transaction().execute(async (trx) => {
      await setPassword(trx, user, newPassword, {
        selfService: true,
        rules: this.rules,
        rounds: this.deps.config.identity.password_hash_rounds,
      });
      await revokeUserTokens(trx, id);
    });
  }

  async createGroup(auth: CallerContext, body: Attributes): Promise<Group> {
    const domainId = (body.domain_id as string | undefined) ?? auth.domain?.id ?? auth.project?.domainId ?? 'default';
    this.deps.authz.authorize(auth, 'create_group', { group: { domain_id: domainId } });
    await store.getDomainOrThrow(this.deps.db, domainId);
    const id = hexId();
    await store.insertGroup(this.deps.db, {
      id,
      name: body.name as string,
      domain_id: domainId,
      description: (body.description as string | undefined) ?? null,
      extra: extraOf(body, GROUP_FIELDS),
      created_at: nowIso(),
    });
    return store.getGroupOrThrow(this.deps.db, id);
  }

  async getGroup(auth: CallerContext, id: string): Promise<Group> {
    const group = await store.getGroupOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'get_group', { group: { id, domain_id: group.domain_id } });
    return group;
  }

  async listGroups(auth: CallerContext, filter: { name?: string; domainId?: string }): Promise<Group[]> {
    this.deps.authz.authorize(auth, 'list_groups', { domain_id: filter.domainId ?? null });
    return store.listGroups(this.deps.db, filter);
  }

  async updateGroup(auth: CallerContext, id: string, patch: Attributes): Promise<Group> {
    const group = await store.getGroupOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'update_group', { group: { id, domain_id: group.domain_id } });
    if (patch.domain_id !== undefined && patch.domain_id !== group.domain_id) throw identityErrors.groupDomainImmutable();
    await store.updateGroup(this.deps.db, id, {
      ...(patch.name !== undefined && { name: patch.name as string }),
      ...(patch.description !== undefined && { description: patch.description as string | null }),
      extra: mergeExtra(group.extra, patch, GROUP_FIELDS),
    });
    return store.getGroupOrThrow(this.deps.db, id);
  }

  async deleteGroup(auth: CallerContext, id: string): Promise<void> {
    const group = await store.getGroupOrThrow(this.deps.db, id);
    this.deps.authz.authorize(auth, 'delete_group', { group: { id, domain_id: group.domain_id } });
    await this.deps.db.transaction().execute((trx) => store.deleteGroup(trx, id));
  }

  async addUserToGroup(auth: CallerContext, groupId: string, userId: string): Promise<void> {
    const { group } = await this.membershipTargets(groupId, userId);
    this.deps.authz.authorize(auth, 'add_user_to_group', { group: { id: groupId, domain_id: group.domain_id } });
    await store.addMembership(this.deps.db, userId, groupId);
  }

  async removeUserFromGroup(auth: CallerContext, groupId: string, userId: string): Promise<void> {
    const { group } = await this.membershipTargets(groupId, userId);
    this.deps.authz.authorize(auth, 'remove_user_from_group', { group: { id: groupId, domain_id: group.domain_id } });
    if (!(await store.removeMembership(this.deps.db, userId, groupId))) {
      throw identityErrors.userNotInGroup(userId, groupId);
    }
  }

  async checkUserInGroup(auth: CallerContext, groupId: string, userId: string): Promise<void> {
    const { group } = await this.membershipTargets(groupId, userId);
    this.deps.authz.authorize(auth, 'check_user_in_group', { group: { id: groupId, domain_id: group.domain_id } });
    if (!(await store.isMember(this.deps.db, userId, groupId))) {
      throw identityErrors.userNotInGroup(userId, groupId);
    }
  }

  async listUsersInGroup(auth: CallerContext, groupId: string): Promise<UserWithPassword[]> {
    const group = await store.getGroupOrThrow(this.deps.db, groupId);
    this.deps.authz.authorize(auth, 'list_users_in_group', { group: { id: groupId, domain_id: group.domain_id } });
    const ids = await store.userIdsInGroup(this.deps.db, groupId);
    return this.withPasswords(await store.listUsers(this.deps.db, { ids }));
  }

  async listGroupsForUser(auth: CallerContext, userId: string): Promise<Group[]> {
    const user = await store.getUserOrThrow(this.deps.db, userId);
    this.deps.authz.authorize(auth, 'list_groups_for_user', { user_id: userId, user: { id: userId, domain_id: user.domain_id } });
    return store.listGroups(this.deps.db, { ids: await store.groupIdsOfUser(this.deps.db, userId) });
  }

  private async membershipTargets(groupId: string, userId: string): Promise<{ group: Group; user: User }> {
    const group = await store.getGroupOrThrow(this.deps.db, groupId);
    const user = await store.getUserOrThrow(this.deps.db, userId);
    return { group, user };
  }

  private async withPassword(user: User): Promise<UserWithPassword> {
    return (await this.withPasswords([user]))[0] as UserWithPassword;
  }

  private async withPasswords(users: User[]): Promise<UserWithPassword[]> {
    const passwords: Map<string, Password> = await store.currentPasswords(
      this.deps.db,
      users.map((u) => u.id),
    );
    return users.map((u) => ({ ...u, password_expires_at: passwords.get(u.id)?.expires_at ?? null }));
  }
}

/** A password change, disable or delete ends every token the user holds. */
export async function revokeUserTokens(db: store.IdentityDb, userId: string): Promise<void> {
  const now = nowIso();
  await store.insertRevocationEvent(db, {
    audit_id: null,
    user_id: userId,
    project_id: null,
    domain_id: null,
    issued_before: now,
    revoked_at: now,
  });
}

function checkOptions(value: unknown): UserOptions {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw identityErrors.optionsNotObject();
  for (const key of Object.keys(value)) {
    if (!USER_OPTIONS.includes(key)) throw identityErrors.unknownOption(key);
  }
  return value as UserOptions;
}

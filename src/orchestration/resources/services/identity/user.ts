/** OS::Keystone::User: a user with its role assignments on projects or domains. */
import type { UserChanges, UserInfo } from '../../../../identity/operations.js';
import type { JsonObject } from '../../../json.js';
import type { ResourceContext, ResourcePlugin } from '../../types.js';
import { attribute, boolean, custom, list, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, deleteUnlessGone, flag, strings, text, unlessGone } from '../support.js';
import { keystone } from './lookups.js';
import { rolesProperty, syncRoles, validateRoles } from './role-assignments.js';

async function groupIds(ctx: ResourceContext, p: JsonObject): Promise<Set<string>> {
  const identity = keystone(ctx.services);
  return new Set(await Promise.all(strings(p, 'groups').map(async (group) => (await identity.findGroup(ctx.caller, group)).id)));
}

/** Adds the user to the groups `next` lists and removes it from those only `previous` did; adding twice is harmless. */
async function syncGroups(ctx: ResourceContext, userId: string, previous: JsonObject, next: JsonObject): Promise<void> {
  const identity = keystone(ctx.services);
  const wanted = await groupIds(ctx, next);
  for (const old of await groupIds(ctx, previous)) if (!wanted.has(old)) await deleteUnlessGone(identity.removeUserFromGroup(ctx.caller, old, userId));
  for (const group of wanted) await identity.addUserToGroup(ctx.caller, group, userId);
}

const plugin = serviceResource<UserInfo>(
  {
    type: 'OS::Keystone::User',
    description: 'A Keystone user.',
    nameProperty: 'name',
    properties: {
      name: string('Name of keystone user.', { updateAllowed: true }),
      domain: string('Name or ID of keystone domain.', { default: 'default', constraints: [custom('keystone.domain')] }),
      description: string('Description of keystone user.', { default: '', updateAllowed: true }),
      enabled: boolean('Keystone user is enabled or disabled.', { default: true, updateAllowed: true }),
      email: string('Email address of keystone user.', { updateAllowed: true }),
      password: string('Password of keystone user.', { updateAllowed: true }),
      default_project: string('Name or ID of default project of keystone user.', { updateAllowed: true, constraints: [custom('keystone.project')] }),
      groups: list('Keystone user groups.', {
        updateAllowed: true,
        schema: { '*': string('Keystone user group.', { constraints: [custom('keystone.group')] }) },
      }),
      roles: rolesProperty,
    },
    attributes: {
      name: attribute('User name.', 'string'),
      default_project_id: attribute('Default project id for user.', 'string'),
      domain_id: attribute('Domain id for user.', 'string'),
      enabled: attribute('Flag of enable user.', 'boolean'),
    },
  },
  {
    get: (ctx, id) => keystone(ctx.services).getUser(ctx.caller, id),
    findByName: async (ctx, name) => {
      const found = await unlessGone(keystone(ctx.services).findUser(ctx.caller, name));
      return found?.name === name ? found : null;
    },
    async create(ctx, p, name) {
      const identity = keystone(ctx.services);
      const project = text(p, 'default_project');
      const email = text(p, 'email');
      const password = text(p, 'password');
      return identity.createUser(ctx.caller, {
        name,
        domainId: (await identity.findDomain(ctx.caller, text(p, 'domain') ?? 'default')).id,
        description: text(p, 'description') ?? '',
        enabled: flag(p, 'enabled') ?? true,
        ...(email !== undefined && { email }),
        ...(password !== undefined && { password }),
        ...(project !== undefined && { defaultProjectId: (await identity.findProject(ctx.caller, project)).id }),
      });
    },
    async awaitReady(ctx, user, p) {
      await syncGroups(ctx, user.id, {}, p);
      await syncRoles(ctx, { kind: 'user', id: user.id }, {}, p);
    },
    async update(ctx, id, change) {
      const identity = keystone(ctx.services);
      const p = change.properties;
      const changes: UserChanges = {};
      if (change.changed.includes('name')) changes.name = text(p, 'name') ?? ctx.resource.physicalName;
      if (change.changed.includes('description')) changes.description = text(p, 'description') ?? '';
      if (change.changed.includes('enabled')) changes.enabled = flag(p, 'enabled') ?? true;
      if (change.changed.includes('email')) changes.email = text(p, 'email') ?? null;
      if (change.changed.includes('password') && text(p, 'password') !== undefined) changes.password = text(p, 'password')!;
      if (change.changed.includes('default_project')) {
        const project = text(p, 'default_project');
        changes.defaultProjectId = project === undefined ? null : (await identity.findProject(ctx.caller, project)).id;
      }
      if (Object.keys(changes).length > 0) await identity.updateUser(ctx.caller, id, changes);
      if (change.changed.includes('groups')) await syncGroups(ctx, id, change.previous, p);
      if (change.changed.includes('roles')) await syncRoles(ctx, { kind: 'user', id }, change.previous, p);
    },
    remove: (ctx, id) => keystone(ctx.services).deleteUser(ctx.caller, id),
    idOf: (user) => user.id,
    view: (user) =>
      asJson({
        id: user.id,
        name: user.name,
        domain_id: user.domainId,
        enabled: user.enabled,
        default_project_id: user.defaultProjectId,
        description: user.description,
        email: user.email,
      }),
  },
);

export const userResource: ResourcePlugin = { ...plugin, validate: async (p) => validateRoles(p) };

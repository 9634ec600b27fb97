/** OS::Keystone::User: a user with its role assignments on projects or domains. */
import type { RoleAssignment, UserChanges, UserInfo } from '../../../../identity/operations.js';
import type { JsonObject } from '../../../json.js';
import type { ResourceContext } from '../../types.js';
import { attribute, boolean, custom, listOf, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, deleteUnlessGone, flag, maps, text, unlessGone } from '../support.js';
import { keystone } from './lookups.js';

async function assignments(ctx: ResourceContext, userId: string, p: JsonObject): Promise<RoleAssignment[]> {
  const identity = keystone(ctx.services);
  return Promise.all(
    maps(p, 'roles').map(async (entry) => {
      const project = text(entry, 'project');
      const roleId = (await identity.findRole(ctx.caller, text(entry, 'role') ?? '')).id;
      const target: RoleAssignment['target'] =
        project !== undefined
          ? { kind: 'project', id: (await identity.findProject(ctx.caller, project)).id }
          : { kind: 'domain', id: (await identity.findDomain(ctx.caller, text(entry, 'domain') ?? '')).id };
      return { roleId, actor: { kind: 'user' as const, id: userId }, target };
    }),
  );
}

const key = (a: RoleAssignment) => JSON.stringify([a.roleId, a.target]);

/** Grants what `next` lists and `previous` did not; revokes the reverse. Granting twice is harmless, so a retry converges. */
async function syncRoles(ctx: ResourceContext, userId: string, previous: JsonObject, next: JsonObject): Promise<void> {
  const identity = keystone(ctx.services);
  const wanted = await assignments(ctx, userId, next);
  const before = await assignments(ctx, userId, previous);
  const wantedKeys = new Set(wanted.map(key));
  for (const old of before) if (!wantedKeys.has(key(old))) await deleteUnlessGone(identity.revokeRole(ctx.caller, old));
  for (const assignment of wanted) await identity.grantRole(ctx.caller, assignment);
}

export const userResource = serviceResource<UserInfo>(
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
      roles: listOf(
        'List of role assignments.',
        {
          role: string('Keystone role.', { required: true, constraints: [custom('keystone.role')] }),
          project: string('Keystone project.', { constraints: [custom('keystone.project')] }),
          domain: string('Keystone domain.', { constraints: [custom('keystone.domain')] }),
        },
        { updateAllowed: true },
      ),
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
    awaitReady: (ctx, user, p) => syncRoles(ctx, user.id, {}, p),
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
      if (change.changed.includes('roles')) await syncRoles(ctx, id, change.previous, p);
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

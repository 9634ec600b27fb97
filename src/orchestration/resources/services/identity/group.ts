/** OS::Keystone::Group: a group in a domain with its role assignments on projects or domains. */
import type { GroupChanges, GroupInfo } from '../../../../identity/operations.js';
import type { ResourcePlugin } from '../../types.js';
import { custom, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, text } from '../support.js';
import { keystone } from './lookups.js';
import { rolesProperty, syncRoles, validateRoles } from './role-assignments.js';

const plugin = serviceResource<GroupInfo>(
  {
    type: 'OS::Keystone::Group',
    description: 'A Keystone group.',
    nameProperty: 'name',
    properties: {
      name: string('Name of keystone group.', { updateAllowed: true }),
      domain: string('Name or id of keystone domain.', { default: 'default', updateAllowed: true, constraints: [custom('keystone.domain')] }),
      description: string('Description of keystone group.', { default: '', updateAllowed: true }),
      roles: rolesProperty,
    },
    attributes: {},
  },
  {
    get: (ctx, id) => keystone(ctx.services).getGroup(ctx.caller, id),
    findByName: async (ctx, name) => (await keystone(ctx.services).listGroups(ctx.caller, { name }))[0] ?? null,
    async create(ctx, p, name) {
      const identity = keystone(ctx.services);
      const domainId = (await identity.findDomain(ctx.caller, text(p, 'domain') ?? 'default')).id;
      return identity.createGroup(ctx.caller, { name, domainId, description: text(p, 'description') ?? '' });
    },
    awaitReady: (ctx, group, p) => syncRoles(ctx, { kind: 'group', id: group.id }, {}, p),
    async update(ctx, id, change) {
      const identity = keystone(ctx.services);
      const p = change.properties;
      const changes: GroupChanges = {};
      if (change.changed.includes('name')) changes.name = text(p, 'name') ?? ctx.resource.physicalName;
      if (change.changed.includes('description')) changes.description = text(p, 'description') ?? '';
      // Keystone keeps a group in its domain: a changed domain is its 403, as Heat gets it.
      if (change.changed.includes('domain')) changes.domainId = (await identity.findDomain(ctx.caller, text(p, 'domain') ?? 'default')).id;
      if (Object.keys(changes).length > 0) await identity.updateGroup(ctx.caller, id, changes);
      if (change.changed.includes('roles')) await syncRoles(ctx, { kind: 'group', id }, change.previous, p);
    },
    remove: (ctx, id) => keystone(ctx.services).deleteGroup(ctx.caller, id),
    idOf: (group) => group.id,
    view: (group) => asJson({ id: group.id, name: group.name, domain_id: group.domainId, description: group.description }),
  },
);

export const groupResource: ResourcePlugin = { ...plugin, validate: async (p) => validateRoles(p) };

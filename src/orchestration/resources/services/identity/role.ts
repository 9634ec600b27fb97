/** OS::Keystone::Role: a global role, or one of a domain. */
import type { RoleInfo } from '../../../../identity/operations.js';
import type { ResourceContext } from '../../types.js';
import { custom, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, text, unlessGone } from '../support.js';
import { keystone } from './lookups.js';

async function domainId(ctx: ResourceContext, domain: string | undefined): Promise<string | undefined> {
  return domain === undefined ? undefined : (await keystone(ctx.services).findDomain(ctx.caller, domain)).id;
}

export const roleResource = serviceResource<RoleInfo>(
  {
    type: 'OS::Keystone::Role',
    description: 'A Keystone role.',
    nameProperty: 'name',
    properties: {
      name: string('Name of keystone role.', { updateAllowed: true }),
      domain: string('Name or id of keystone domain.', { constraints: [custom('keystone.domain')] }),
    },
    attributes: {},
  },
  {
    get: (ctx, id) => keystone(ctx.services).getRole(ctx.caller, id),
    // An earlier attempt made it in the template's domain; a global role of the same name is not it.
    findByName: async (ctx, name) => {
      const found = await unlessGone(keystone(ctx.services).findRole(ctx.caller, name, await domainId(ctx, text(ctx.resource.data, 'domain'))));
      return found?.name === name ? found : null;
    },
    async create(ctx, p, name) {
      const domain = await domainId(ctx, text(p, 'domain'));
      if (domain !== undefined) await ctx.setData('domain', domain);
      return keystone(ctx.services).createRole(ctx.caller, { name, ...(domain !== undefined && { domainId: domain }) });
    },
    async update(ctx, id, change) {
      if (change.changed.includes('name'))
        await keystone(ctx.services).updateRole(ctx.caller, id, text(change.properties, 'name') ?? ctx.resource.physicalName);
    },
    remove: (ctx, id) => keystone(ctx.services).deleteRole(ctx.caller, id),
    idOf: (role) => role.id,
    view: (role) => asJson({ id: role.id, name: role.name, domain_id: role.domainId }),
  },
);

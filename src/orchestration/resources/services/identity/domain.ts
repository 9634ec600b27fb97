/**
 * OS::Keystone::Domain. Keystone deletes only a disabled domain (with
 * everything in it), so deleting disables it first.
 */
import type { DomainChanges, DomainInfo } from '../../../../identity/operations.js';
import { boolean, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, flag, text, unlessGone } from '../support.js';
import { keystone } from './lookups.js';

export const domainResource = serviceResource<DomainInfo>(
  {
    type: 'OS::Keystone::Domain',
    description: 'A Keystone domain.',
    nameProperty: 'name',
    properties: {
      name: string('The name of the domain.', { updateAllowed: true }),
      description: string('Description of keystone domain.', { updateAllowed: true }),
      enabled: boolean('This domain is enabled or disabled.', { default: true, updateAllowed: true }),
    },
    attributes: {},
  },
  {
    get: (ctx, id) => keystone(ctx.services).getDomain(ctx.caller, id),
    findByName: async (ctx, name) => {
      const found = await unlessGone(keystone(ctx.services).findDomain(ctx.caller, name));
      return found?.name === name ? found : null;
    },
    create: (ctx, p, name) => {
      const description = text(p, 'description');
      return keystone(ctx.services).createDomain(ctx.caller, { name, enabled: flag(p, 'enabled') ?? true, ...(description !== undefined && { description }) });
    },
    async update(ctx, id, change) {
      const p = change.properties;
      const changes: DomainChanges = {};
      if (change.changed.includes('name')) changes.name = text(p, 'name') ?? ctx.resource.physicalName;
      if (change.changed.includes('description')) changes.description = text(p, 'description') ?? '';
      if (change.changed.includes('enabled')) changes.enabled = flag(p, 'enabled') ?? true;
      await keystone(ctx.services).updateDomain(ctx.caller, id, changes);
    },
    async remove(ctx, id) {
      const identity = keystone(ctx.services);
      await identity.updateDomain(ctx.caller, id, { enabled: false });
      await identity.deleteDomain(ctx.caller, id);
    },
    idOf: (domain) => domain.id,
    view: (domain) => asJson({ id: domain.id, name: domain.name, description: domain.description, enabled: domain.enabled }),
  },
);

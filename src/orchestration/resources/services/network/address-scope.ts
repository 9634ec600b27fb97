/** OS::Neutron::AddressScope: a scope subnet pools join so their prefixes never overlap. */
import type { AddressScopeInfo, UpdateAddressScopeRequest } from '../../../../network/operations.js';
import { allowed, boolean, custom, integer, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, flag, integer as integerValue, text } from '../support.js';
import { neutron, neutronByName } from './lookups.js';

export const addressScopeResource = serviceResource<AddressScopeInfo>(
  {
    type: 'OS::Neutron::AddressScope',
    description: 'A Neutron address scope.',
    nameProperty: 'name',
    properties: {
      name: string('The name for the address scope.', { updateAllowed: true }),
      shared: boolean(
        'Whether the address scope should be shared to other tenants. Note that the default policy setting restricts usage of this attribute ' +
          'to administrative users only, and restricts changing of shared address scope to unshared with update.',
        { default: false, updateAllowed: true },
      ),
      tenant_id: string('The owner tenant ID of the address scope. Only administrative users can specify a tenant ID other than their own.', {
        constraints: [custom('keystone.project')],
      }),
      ip_version: integer('Address family of the address scope, which is 4 or 6.', { default: 4, constraints: [allowed(4, 6)] }),
    },
    attributes: {},
  },
  {
    get: (ctx, id) => neutron(ctx.services).addressScopes.get(ctx.caller, id),
    findByName: (ctx, name) => neutronByName(ctx, neutron(ctx.services).addressScopes, name),
    create: (ctx, p, name) => {
      const tenant = text(p, 'tenant_id');
      return neutron(ctx.services).addressScopes.create(ctx.caller, {
        name,
        ipVersion: integerValue(p, 'ip_version') === 6 ? 6 : 4,
        shared: flag(p, 'shared') ?? false,
        ...(tenant !== undefined && { projectId: tenant }),
      });
    },
    async update(ctx, id, change) {
      const request: UpdateAddressScopeRequest = {};
      if (change.changed.includes('name')) request.name = text(change.properties, 'name') ?? ctx.resource.physicalName;
      if (change.changed.includes('shared')) request.shared = flag(change.properties, 'shared') ?? false;
      await neutron(ctx.services).addressScopes.update(ctx.caller, id, request);
    },
    remove: (ctx, id) => neutron(ctx.services).addressScopes.delete(ctx.caller, id),
    idOf: (scope) => scope.id,
    view: (scope) =>
      asJson({ id: scope.id, name: scope.name, shared: scope.shared, ip_version: scope.ipVersion, tenant_id: scope.projectId, project_id: scope.projectId }),
  },
);

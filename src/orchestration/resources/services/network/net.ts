/** OS::Neutron::Net: a network of the stack's project. */
import type { NetworkInfo, UpdateNetworkRequest } from '../../../../network/operations.js';
import type { JsonObject } from '../../../json.js';
import { attribute, boolean, string } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { flag, text } from '../support.js';
import { neutron, neutronByName } from './lookups.js';
import { networkView } from './views.js';

function changes(properties: JsonObject, keys: readonly string[], fallbackName: string): UpdateNetworkRequest {
  const request: UpdateNetworkRequest = {};
  for (const key of keys) {
    if (key === 'name') request.name = text(properties, 'name') ?? fallbackName;
    if (key === 'admin_state_up') request.adminStateUp = flag(properties, key) ?? true;
    if (key === 'shared') request.shared = flag(properties, key) ?? false;
    if (key === 'port_security_enabled') request.portSecurityEnabled = flag(properties, key) ?? true;
  }
  return request;
}

export const netResource = serviceResource<NetworkInfo>(
  {
    type: 'OS::Neutron::Net',
    description: 'A Neutron network.',
    nameProperty: 'name',
    properties: {
      name: string('A string specifying a symbolic name for the network, which is not required to be unique.', { updateAllowed: true }),
      admin_state_up: boolean('A boolean value specifying the administrative status of the network.', { default: true, updateAllowed: true }),
      tenant_id: string('The ID of the tenant which will own the network. Only administrative users can set the tenant identifier.'),
      shared: boolean('Whether this network should be shared across all tenants.', { default: false, updateAllowed: true }),
      port_security_enabled: boolean('Flag to enable/disable port security on the network.', { updateAllowed: true }),
    },
    attributes: {
      status: attribute('The status of the network.', 'string'),
      name: attribute('The name of the network.', 'string'),
      subnets: attribute('Subnets of this network.', 'list'),
      admin_state_up: attribute('The administrative status of the network.', 'boolean'),
      tenant_id: attribute('The tenant owning this network.', 'string'),
      port_security_enabled: attribute('Port security enabled of the network.', 'boolean'),
      mtu: attribute('The maximum transmission unit size (in bytes) for the network.', 'integer'),
    },
  },
  {
    get: (ctx, id) => neutron(ctx.services).networks.get(ctx.caller, id),
    findByName: (ctx, name) => neutronByName(ctx, neutron(ctx.services).networks, name),
    create: (ctx, p, name) => {
      const tenant = text(p, 'tenant_id');
      const portSecurity = flag(p, 'port_security_enabled');
      return neutron(ctx.services).networks.create(ctx.caller, {
        name,
        adminStateUp: flag(p, 'admin_state_up') ?? true,
        ...(flag(p, 'shared') === true && { shared: true }),
        ...(portSecurity !== undefined && { portSecurityEnabled: portSecurity }),
        ...(tenant !== undefined && { projectId: tenant }),
      });
    },
    update: async (ctx, id, change) => {
      await neutron(ctx.services).networks.update(ctx.caller, id, changes(change.properties, change.changed, ctx.resource.physicalName));
    },
    remove: (ctx, id) => neutron(ctx.services).networks.delete(ctx.caller, id),
    idOf: (n) => n.id,
    view: networkView,
  },
);

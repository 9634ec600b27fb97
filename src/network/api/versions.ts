/** Version discovery: `/network` lists v2.0, `/network/v2.0` its resources. Both need no token. */
import type { FastifyInstance } from 'fastify';
import type { NetworkApi } from './context.js';

const RESOURCES: Array<[string, string]> = [
  ['network', 'networks'],
  ['subnet', 'subnets'],
  ['port', 'ports'],
  ['router', 'routers'],
  ['floatingip', 'floatingips'],
  ['security_group', 'security-groups'],
  ['security_group_rule', 'security-group-rules'],
  ['rbac_policy', 'rbac-policies'],
  ['subnetpool', 'subnetpools'],
  ['address_scope', 'address-scopes'],
  ['network_ip_availability', 'network-ip-availabilities'],
  ['quota', 'quotas'],
  ['extension', 'extensions'],
];

export function versionRoutes(app: FastifyInstance, api: NetworkApi): void {
  const versions = () => ({
    versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${api.root}/v2.0/`, rel: 'self' }] }],
  });
  app.get('/', async () => versions());
  app.get('/v2.0', async () => resources(api));
}

function resources(api: NetworkApi) {
  return {
    resources: RESOURCES.map(([name, collection]) => ({
      name,
      collection: collection.replaceAll('-', '_'),
      links: [{ href: `${api.root}/v2.0/${collection}`, rel: 'self' }],
    })),
  };
}

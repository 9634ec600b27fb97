/**
 * DevStack-like default content, made once on the first start: the external
 * network `public` (admin's, flat on physnet `public`) with its subnet, and
 * for project `demo` a `private` network and subnet and `router1` with its
 * gateway on `public` and an interface on `private-subnet`.
 */
import type { CallerContext } from '../core/context.js';
import type { Logger } from '../core/logger.js';
import type { IdentityOperations } from '../identity/operations.js';
import type { NetworkConfig } from './config.js';
import type { NetworkService } from './service/index.js';
import { serviceCaller } from '../core/context.js';

/** A system-scoped admin context for the service's own first-start work. */
export function serviceContext(project: { id: string; name: string } | null): CallerContext {
  return serviceCaller('nimbus-network', project);
}

export async function bootstrapNetworks(ops: NetworkService, identity: IdentityOperations | undefined, config: NetworkConfig, log: Logger): Promise<void> {
  if (!config.devstack_defaults || !identity) return;
  const system = serviceContext(null);
  if ((await ops.networks.listVisible(system)).length > 0) return;
  const [adminProject] = await identity.listProjects(system, { name: 'admin' });
  const [demoProject] = await identity.listProjects(system, { name: 'demo' });
  if (!adminProject) return;
  const admin = serviceContext({ id: adminProject.id, name: adminProject.name });

  const publicNet = await ops.networks.create(admin, {
    name: 'public',
    'router:external': true,
    'provider:network_type': 'flat',
    'provider:physical_network': 'public',
  });
  const publicSubnet = await ops.subnets.create(admin, {
    name: 'public-subnet',
    network_id: publicNet.id,
    ip_version: 4,
    cidr: config.public_cidr,
    enable_dhcp: false,
  });
  log.info({ network: publicNet.id, subnet: publicSubnet.id }, 'created external network public');
  if (!demoProject) return;
  const owner = { project_id: demoProject.id };
  const privateNet = await ops.networks.create(admin, { name: 'private', ...owner });
  const privateSubnet = await ops.subnets.create(admin, {
    name: 'private-subnet',
    network_id: privateNet.id,
    ip_version: 4,
    cidr: config.private_cidr,
    ...owner,
  });
  const router = await ops.routers.create(admin, { name: 'router1', external_gateway_info: { network_id: publicNet.id }, ...owner });
  await ops.routers.addInterface(admin, router.id, { subnet_id: privateSubnet.id });
  log.info({ network: privateNet.id, router: router.id }, 'created demo network private and router1');
}

/**
 * Neutron names or ids in properties (`network: private`), turned into ids
 * through the network service's find, as Heat's neutron client plugin does.
 */
import type { CallerContext } from '../../../../core/context.js';
import type { ServiceRegistry } from '../../../../core/service-module.js';
import type { NetworkOperations, ResourceInfo } from '../../../../network/operations.js';
import type { ResourceContext } from '../../types.js';
import { door } from '../support.js';

export function neutron(services: ServiceRegistry): NetworkOperations {
  return door(services, 'network');
}

type Collection = 'networks' | 'subnets' | 'ports' | 'routers' | 'securityGroups' | 'subnetPools' | 'addressScopes';

/** The id of the named (or identified) resource of the collection; Neutron's 404/409 when none or several. */
export async function neutronId(ctx: { caller: CallerContext; services: ServiceRegistry }, collection: Collection, nameOrId: string): Promise<string> {
  return (await neutron(ctx.services)[collection].find(ctx.caller, nameOrId)).id;
}

/** The one resource of the collection carrying exactly this name, or null. */
export async function neutronByName<Info extends ResourceInfo>(
  ctx: ResourceContext,
  calls: { list(auth: CallerContext): Promise<Info[]> },
  name: string,
): Promise<Info | null> {
  return (await calls.list(ctx.caller)).find((info) => info.name === name) ?? null;
}

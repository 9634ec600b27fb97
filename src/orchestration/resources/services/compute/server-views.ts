/**
 * What OS::Nova::Server's attributes and `show` hold, from compute's view of
 * the server and the network service's ports (which address is on which
 * port and network, as Heat reads them from Neutron).
 */
import type { ComputeServer, ServerAddress } from '../../../../compute/operations.js';
import type { PortInfo } from '../../../../network/operations.js';
import type { Json, JsonObject } from '../../../json.js';
import type { ResourceContext } from '../../types.js';
import { neutron } from '../network/lookups.js';
import { asJson } from '../support.js';

interface NetworkAddresses {
  name: string;
  id: string | null;
  addresses: Array<ServerAddress & { port: string | null }>;
}

async function networkAddresses(ctx: ResourceContext, server: ComputeServer): Promise<NetworkAddresses[]> {
  const ports: PortInfo[] = ctx.services.network === undefined ? [] : await neutron(ctx.services).ports.listWhere(ctx.caller, { deviceId: server.id });
  return Object.entries(server.addresses).map(([name, addresses]) => {
    const withPorts = addresses.map((a) => ({ ...a, port: ports.find((p) => p.macAddress === a.macAddress)?.id ?? null }));
    const port = ports.find((p) => addresses.some((a) => a.macAddress === p.macAddress));
    return { name, id: port?.networkId ?? null, addresses: withPorts };
  });
}

/** Every network under its name and, where known, its id (Heat gives both keys). */
function byNameAndId(networks: NetworkAddresses[], value: (n: NetworkAddresses) => Json): JsonObject {
  const result: JsonObject = {};
  for (const network of networks) {
    result[network.name] = value(network);
    if (network.id !== null) result[network.id] = value(network);
  }
  return result;
}

export async function serverAttribute(ctx: ResourceContext, server: ComputeServer, name: string): Promise<Json> {
  switch (name) {
    case 'name':
      return server.name;
    case 'accessIPv4':
      return server.accessIPv4;
    case 'accessIPv6':
      return server.accessIPv6;
    case 'tags':
      return server.tags;
    case 'instance_name':
      // Nova shows it to admins only (OS-EXT-SRV-ATTR); compute's door does not expose it.
      return null;
    case 'networks':
      return byNameAndId(await networkAddresses(ctx, server), (n) => n.addresses.map((a) => a.address));
    case 'addresses':
      return byNameAndId(await networkAddresses(ctx, server), (n) =>
        n.addresses.map((a) => ({ addr: a.address, version: a.version, 'OS-EXT-IPS-MAC:mac_addr': a.macAddress, 'OS-EXT-IPS:type': a.type, port: a.port })),
      );
    case 'first_address':
      return Object.values(server.addresses)[0]?.[0]?.address ?? '';
    default:
      return null;
  }
}

/** The server as Nova's API shows it. */
export function serverView(server: ComputeServer): JsonObject {
  return asJson({
    id: server.id,
    name: server.name,
    status: server.status,
    'OS-EXT-STS:task_state': server.taskState,
    tenant_id: server.projectId,
    user_id: server.userId,
    flavor: { id: server.flavorId },
    image: server.imageId === null ? '' : { id: server.imageId },
    key_name: server.keyName,
    'OS-EXT-AZ:availability_zone': server.availabilityZone,
    metadata: server.metadata,
    tags: server.tags,
    description: server.description,
    accessIPv4: server.accessIPv4,
    accessIPv6: server.accessIPv6,
    security_groups: server.securityGroups.map((name) => ({ name })),
    addresses: Object.fromEntries(
      Object.entries(server.addresses).map(([network, list]) => [
        network,
        list.map((a) => ({ addr: a.address, version: a.version, 'OS-EXT-IPS-MAC:mac_addr': a.macAddress, 'OS-EXT-IPS:type': a.type })),
      ]),
    ),
    locked: server.locked,
    ...(server.fault !== null && { fault: server.fault }),
    created: server.createdAt,
    updated: server.updatedAt,
  });
}

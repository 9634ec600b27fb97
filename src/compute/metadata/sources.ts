/** The metadata API's view of Nimbus: servers and keypairs from the compute store, ports and subnets from the network service. */
import type { NetworkOperations } from '../../network/service/index.js';
import type { ComputeDeps } from '../service/deps.js';
import { serviceCaller } from '../../core/context.js';
import * as store from '../store/index.js';
import { InstanceMetadata, type MetadataPort, type MetadataSubnet } from './content.js';
import { gatherFacts, type MetadataSources } from './handler.js';

export function metadataSources(deps: ComputeDeps): MetadataSources {
  const auth = serviceCaller('nimbus-compute', null);
  const network = (): NetworkOperations => deps.peers.network();
  return {
    ports: async () => (await network().ports.list(auth)) as unknown as MetadataPort[],
    subnets: async () => (await network().subnets.list(auth)) as unknown as MetadataSubnet[],
    networkMtu: async (id) => {
      const mtu = (await network().networks.get(auth, id)).mtu;
      return typeof mtu === 'number' ? mtu : null;
    },
    floatingIps: async (portIds) =>
      (await network().floatingIps.list(auth)).filter((f) => portIds.includes(f.port_id as string)).map((f) => f.floating_ip_address as string),
    server: (id) => store.getServer(deps.db, id),
    keypair: async (userId, name) => {
      const keypair = await store.getKeypair(deps.db, userId, name);
      return keypair && { name: keypair.name, type: keypair.type, public_key: keypair.public_key };
    },
    availabilityZone: (server) => server.attrs.availabilityZone ?? deps.config.default_availability_zone,
  };
}

/** The config drive files of a server (Nova's config_drive: true, or [DEFAULT] force_config_drive), else null. */
export async function configDriveFiles(deps: ComputeDeps, server: store.Server): Promise<Record<string, string> | null> {
  if (server.attrs.configDrive !== 'True' && !deps.config.force_config_drive) return null;
  return new InstanceMetadata(await gatherFacts(metadataSources(deps), server)).configDriveFiles();
}

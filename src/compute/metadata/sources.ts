/** The metadata API's view of Nimbus: servers and keypairs from the compute store, ports and subnets from the network service. */
import type { NetworkOperations, PortInfo, SubnetInfo } from '../../network/operations.js';
import type { ComputeDeps } from '../service/deps.js';
import { serviceCaller } from '../../core/context.js';
import * as store from '../store/index.js';
import { InstanceMetadata, type MetadataPort, type MetadataSubnet } from './content.js';
import { gatherFacts, type MetadataSources } from './handler.js';

/** A port as the metadata content reads it (Neutron's field names). */
function metadataPort(port: PortInfo): MetadataPort {
  return {
    id: port.id,
    network_id: port.networkId,
    mac_address: port.macAddress,
    fixed_ips: port.fixedIps.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
    device_id: port.deviceId,
    device_owner: port.deviceOwner,
    'binding:vif_type': port.vifType ?? 'unbound',
  };
}

function metadataSubnet(subnet: SubnetInfo): MetadataSubnet {
  return {
    id: subnet.id,
    network_id: subnet.networkId,
    ip_version: subnet.ipVersion,
    cidr: subnet.cidr,
    gateway_ip: subnet.gatewayIp,
    enable_dhcp: subnet.enableDhcp,
    dns_nameservers: subnet.dnsNameservers,
    host_routes: subnet.hostRoutes,
  };
}

export function metadataSources(deps: ComputeDeps): MetadataSources {
  const auth = serviceCaller('nimbus-compute', null);
  const network = (): NetworkOperations => deps.peers.network();
  return {
    ports: async () => (await network().ports.list(auth)).map(metadataPort),
    subnets: async () => (await network().subnets.list(auth)).map(metadataSubnet),
    networkMtu: async (id) => (await network().networks.get(auth, id)).mtu || null,
    floatingIps: async (portIds) => (await network().floatingIps.listWhere(auth, { portIds })).map((f) => f.floatingIpAddress),
    server: (id) => store.getServer(deps.db, id),
    keypair: async (userId, name) => {
      const keypair = await store.getKeypair(deps.db, userId, name);
      return keypair && { name: keypair.name, type: keypair.type, public_key: keypair.public_key };
    },
    availabilityZone: (server) => server.attrs.availabilityZone ?? deps.config.default_availability_zone,
    vendorData: (server) => deps.vendorData.collect(server),
  };
}

/** The config drive files of a server (Nova's config_drive: true, or [DEFAULT] force_config_drive), else null. */
export async function configDriveFiles(deps: ComputeDeps, server: store.Server): Promise<Record<string, string> | null> {
  if (server.attrs.configDrive !== 'True' && !deps.config.force_config_drive) return null;
  return new InstanceMetadata(await gatherFacts(metadataSources(deps), server)).configDriveFiles();
}

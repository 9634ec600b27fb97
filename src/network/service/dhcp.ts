/**
 * DHCP ports: one per network with a DHCP-enabled subnet, owned by the
 * network's project (`device_owner: network:dhcp`), holding one address of
 * every such subnet, bound to the default host as Neutron's DHCP agent binds
 * its port. Subnet changes call in here; failures are logged, never fatal,
 * since a missing DHCP port does not make the subnet unusable.
 *
 * On an IPv4 subnet the DHCP port takes the first address of the pool (`.2`
 * after a `.1` gateway), as users of Neutron's DHCP agent see it, rather than
 * one picked at random: a client that chooses addresses of its own near the
 * top of the pool (Tempest does) must not find one taken by DHCP by chance.
 */
import * as store from '../store/index.js';
import type { NetworkDeps } from './deps.js';
import { scheduleNetwork } from './dhcp-bindings.js';
import type { Port, PortAttrs, PortOps } from './ports.js';
import type { Realisation } from './realisation.js';
import type { Subnet, SubnetAttrs } from './subnets.js';
import { serviceCaller } from '../../core/context.js';
import { Conflict } from '../../core/errors.js';

export const DHCP_OWNER = 'network:dhcp';

export class DhcpOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly ports: PortOps,
    private readonly realisation: Realisation,
  ) {}

  /** A subnet of the network was made, changed or removed: the DHCP server's answers follow. */
  async subnetChanged(networkId: string): Promise<void> {
    try {
      const port = await this.#dhcpPort(networkId);
      // Rebinding moves the DHCP port's addresses on the host; then the answers are rewritten.
      if (port?.attrs['binding:host_id'])
        await this.ports.update(serviceCaller('nimbus-network', { id: port.projectId }), port.id, { 'binding:host_id': port.attrs['binding:host_id'] });
      else await this.realisation.syncDhcp(networkId);
    } catch (error) {
      this.deps.log.warn({ err: error, network: networkId }, 'could not update the DHCP server after a subnet change');
    }
  }

  /** Gives the network's DHCP port an address on `subnet`, creating the port if needed. */
  async subnetEnabled(subnet: Subnet): Promise<void> {
    try {
      const networkId = subnet.attrs.network_id;
      const existing = await this.#dhcpPort(networkId);
      if (existing) {
        if (existing.attrs.fixed_ips.some((f) => f.subnet_id === subnet.id)) return;
        const auth = serviceCaller('nimbus-network', { id: existing.projectId });
        await withAnyAddressOnConflict(subnet, (request) => this.ports.update(auth, existing.id, { fixed_ips: [...existing.attrs.fixed_ips, request] }));
        return;
      }
      const network = await store.getResource(this.deps.db, 'network', networkId);
      if (!network || !(await scheduleNetwork(this.deps, networkId))) return;
      await withAnyAddressOnConflict(subnet, (request) =>
        this.ports.createPort(
          serviceCaller('nimbus-network', { id: network.projectId }),
          {
            network_id: networkId,
            device_owner: DHCP_OWNER,
            device_id: `dhcp-${networkId}`,
            fixed_ips: [request],
            'binding:host_id': this.deps.config.default_host,
          },
          { internal: true, projectId: network.projectId },
        ),
      );
    } catch (error) {
      this.deps.log.warn({ err: error, subnet: subnet.id }, 'could not give the DHCP port an address');
    }
  }

  /** Takes the DHCP port's address on `subnetId` back; removes the port when it has none left. */
  async subnetDisabled(networkId: string, subnetId: string): Promise<void> {
    const port = await this.#dhcpPort(networkId);
    if (!port) return;
    const remaining = port.attrs.fixed_ips.filter((f) => f.subnet_id !== subnetId);
    if (remaining.length === port.attrs.fixed_ips.length) return;
    if (remaining.length === 0) {
      await this.ports.deletePort(port);
      return;
    }
    await this.deps.db.transaction().execute(async (trx) => {
      for (const ip of port.attrs.fixed_ips.filter((f) => f.subnet_id === subnetId)) await store.deleteAllocation(trx, ip.subnet_id, ip.ip_address);
      await store.saveResource<PortAttrs>(trx, { ...port, attrs: { ...port.attrs, fixed_ips: remaining } });
    });
  }

  /** The network was bound to a DHCP agent by an admin: its DHCP port takes an address on each DHCP-enabled subnet. */
  async networkHosted(networkId: string): Promise<void> {
    const subnets = await store.listResources<SubnetAttrs>(this.deps.db, 'subnet', { parentId: networkId });
    for (const subnet of subnets.filter((s) => s.attrs.enable_dhcp)) await this.subnetEnabled(subnet);
  }

  /** No DHCP agent serves the network any more: its DHCP port goes, and with it the host's DHCP server. */
  async networkUnhosted(networkId: string): Promise<void> {
    const port = await this.#dhcpPort(networkId);
    if (port) await this.ports.deletePort(port);
  }

  async #dhcpPort(networkId: string): Promise<Port | undefined> {
    const ports = await store.listResources<PortAttrs>(this.deps.db, 'port', { parentId: networkId });
    return ports.find((p) => p.attrs.device_owner === DHCP_OWNER);
  }
}

type AddressRequest = { subnet_id: string; ip_address?: string };

/** Runs `place` asking for the first address of the subnet's IPv4 pool; if that one is taken already, for any free one. */
async function withAnyAddressOnConflict(subnet: Subnet, place: (request: AddressRequest) => Promise<unknown>): Promise<void> {
  const first = subnet.attrs.ip_version === 4 ? subnet.attrs.allocation_pools[0]?.start : undefined;
  if (first === undefined) {
    await place({ subnet_id: subnet.id });
    return;
  }
  try {
    await place({ subnet_id: subnet.id, ip_address: first });
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    await place({ subnet_id: subnet.id });
  }
}

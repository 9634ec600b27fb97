/**
 * The `noop` driver: API and IPAM only, nothing on any host. It keeps the
 * same state machine as a real driver (networks realised per host, ports
 * bound or not, rules applied only to bound ports) so the service behaves the
 * same with it as with the Linux-bridge driver, minus the packets.
 */
import {
  NO_CAPABILITIES,
  NetworkDriverError,
  type DriverAgent,
  type DriverCapabilities,
  type DriverInventory,
  type DriverNetwork,
  type DriverPort,
  type DriverPortForwarding,
  type DriverRouter,
  type DriverRule,
  type NetworkDriver,
  type PortBinding,
} from './driver.js';
import { linuxBridgeAgents } from './agents.js';
import { LINUX_BRIDGE_QOS_RULES, type DriverQos, type QosRuleTypes } from './qos.js';

export class NoopNetworkDriver implements NetworkDriver {
  readonly name = 'noop';
  /** network id → hosts it is realised on. */
  readonly networks = new Map<string, Set<string>>();
  readonly ports = new Map<string, PortBinding>();
  readonly routers = new Map<string, { router: DriverRouter; host: string }>();
  readonly rules = new Map<string, DriverRule[] | null>();
  /** port id → the QoS the Linux-bridge driver would put on its tap (absent: none). */
  readonly qos = new Map<string, DriverQos>();
  readonly portForwardings = new Map<string, { forwarding: DriverPortForwarding; host: string }>();
  /** network id → the ports its DHCP server answers for. */
  readonly dhcpHosts = new Map<string, DriverPort[]>();

  capabilities(): DriverCapabilities {
    return { ...NO_CAPABILITIES };
  }

  agents(): DriverAgent[] {
    return linuxBridgeAgents(true);
  }

  async realiseNetwork(network: DriverNetwork, host: string): Promise<void> {
    const hosts = this.networks.get(network.id) ?? new Set<string>();
    hosts.add(host);
    this.networks.set(network.id, hosts);
  }

  async unrealiseNetwork(networkId: string, host: string): Promise<void> {
    this.networks.get(networkId)?.delete(host);
    this.dhcpHosts.delete(networkId);
  }

  async updateDhcp(network: DriverNetwork, ports: DriverPort[]): Promise<void> {
    this.dhcpHosts.set(network.id, ports);
  }

  async bindPort(port: DriverPort, network: DriverNetwork, host: string): Promise<PortBinding> {
    if (host === '') throw new NetworkDriverError('unknown-host', `Cannot bind port ${port.id}: no host given.`);
    await this.realiseNetwork(network, host);
    const binding: PortBinding = { hostId: host, vifType: 'ovs', vifDetails: { port_filter: true, connectivity: 'l2' } };
    this.ports.set(port.id, binding);
    return binding;
  }

  async unbindPort(portId: string): Promise<void> {
    this.ports.delete(portId);
    this.rules.delete(portId);
    this.qos.delete(portId);
  }

  async realiseRouter(router: DriverRouter, host: string): Promise<void> {
    this.routers.set(router.id, { router, host });
  }

  async unrealiseRouter(routerId: string): Promise<void> {
    this.routers.delete(routerId);
  }

  async applySecurityGroups(portId: string, rules: DriverRule[] | null): Promise<void> {
    if (!this.ports.has(portId)) throw new NetworkDriverError('not-realised', `Port ${portId} is not bound.`);
    this.rules.set(portId, rules);
  }

  qosRuleTypes(): QosRuleTypes {
    return LINUX_BRIDGE_QOS_RULES;
  }

  async applyQos(portId: string, qos: DriverQos): Promise<void> {
    if (!this.ports.has(portId)) throw new NetworkDriverError('not-realised', `Port ${portId} is not bound.`);
    if (qos.bandwidthLimits.length === 0 && qos.dscpMark === null) this.qos.delete(portId);
    else this.qos.set(portId, qos);
  }

  async applyPortForwarding(forwarding: DriverPortForwarding, host: string): Promise<void> {
    this.portForwardings.set(forwarding.id, { forwarding, host });
  }

  async removePortForwarding(forwardingId: string): Promise<void> {
    this.portForwardings.delete(forwardingId);
  }

  async prune(keep: DriverInventory): Promise<void> {
    for (const id of [...this.networks.keys()]) {
      if (!keep.networkIds.includes(id)) {
        this.networks.delete(id);
        this.dhcpHosts.delete(id);
      }
    }
    for (const id of [...this.routers.keys()]) if (!keep.routerIds.includes(id)) this.routers.delete(id);
    for (const id of [...this.ports.keys()]) if (!keep.portIds.includes(id)) await this.unbindPort(id);
  }

  async healthCheck(): Promise<string | null> {
    return null;
  }
}

/**
 * The `linuxbridge` network driver: Neutron's linuxbridge agent, DHCP agent,
 * L3 agent and metadata proxy on this one machine.
 *
 * Single host: every host name the service gives (`binding:host_id`, the
 * default host) is this machine; only an empty name is `unknown-host`. Each
 * network is its own bridge `brq<net>` with no uplink and no address, so
 * networks stay apart on the host whatever their type (no VLAN or VXLAN
 * device is made; that would only matter with a second host). External
 * networks reach nothing outside either: their "outside" is namespace
 * `qext-<net>` holding the external subnets' gateway addresses, from where
 * floating IPs can be reached. The host's routing, ip_forward and FORWARD
 * policy are never changed; iptables gets one jump from FORWARD to this data
 * dir's security-group chain.
 *
 * Calls are serialised (one host, a few commands each) and idempotent; what
 * was made is recorded under `<dataDir>/network/` (state.ts), so a restarted
 * Nimbus re-adopts dnsmasq and proxies and `prune` can remove leftovers.
 */
import { readFile } from 'node:fs/promises';
import {
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
} from '../driver.js';
import { linuxBridgeAgents } from '../agents.js';
import { LINUX_BRIDGE_QOS_RULES, type DriverQos, type QosRuleTypes } from '../qos.js';
import { DhcpNamespaces } from './dhcp-namespace.js';
import { Firewall } from './firewall.js';
import { firstMissingTool, missingTool } from './host.js';
import { isIpv4, withPrefix } from './ipv4.js';
import { bridgePorts, deleteLink, deleteNamespace, ensureBridge, ensureNamespace, ensureTap, ensureVeth, linkExists, setAddresses } from './links.js';
import { names } from './names.js';
import { applyPortQos, removePortQos } from './qos.js';
import { RouterNamespaces } from './router-namespace.js';
import { DriverState } from './state.js';

export interface LinuxBridgeOptions {
  dataDir: string;
  /** The compute service's metadata socket the proxies forward to. */
  metadataSocket: string;
}

const DHCP_OWNER = 'network:dhcp';
const TOOLS = ['ip', 'iptables', 'iptables-restore', 'dnsmasq', 'sysctl', 'tc'];

interface BoundPort {
  port: DriverPort;
  networkId: string;
  dhcp: boolean;
}

export class LinuxBridgeNetworkDriver implements NetworkDriver {
  readonly name = 'linuxbridge';
  readonly state: DriverState;
  readonly firewall: Firewall;
  readonly #dhcp: DhcpNamespaces;
  readonly #routers: RouterNamespaces;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: LinuxBridgeOptions) {
    this.state = new DriverState(options.dataDir);
    this.firewall = new Firewall(options.dataDir);
    this.#dhcp = new DhcpNamespaces(this.state, options.metadataSocket);
    this.#routers = new RouterNamespaces(this.state, options.metadataSocket);
  }

  capabilities(): DriverCapabilities {
    return { segmentation: true, securityGroups: true, routing: true, portForwarding: true, dhcp: true };
  }

  agents(): DriverAgent[] {
    return linuxBridgeAgents(false);
  }

  async healthCheck(): Promise<string | null> {
    const missing = await firstMissingTool(TOOLS);
    if (missing) return missingTool(missing).message;
    const bridgeFilter = await readFile('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').catch(() => '');
    if (bridgeFilter.trim() !== '1')
      return 'Security groups need br_netfilter with net.bridge.bridge-nf-call-iptables=1 (modprobe br_netfilter; see scripts/install-host).';
    return null;
  }

  realiseNetwork(network: DriverNetwork, host: string): Promise<void> {
    return this.#serial(host, () => this.#realiseNetwork(network));
  }

  unrealiseNetwork(networkId: string, host: string): Promise<void> {
    return this.#serial(host, () => this.#unrealiseNetwork(networkId));
  }

  updateDhcp(network: DriverNetwork, ports: DriverPort[], host: string): Promise<void> {
    return this.#serial(host, async () => {
      // A realised network also takes changed settings (MTU, admin state) here.
      if (await linkExists(names.bridge(network.id))) await this.#realiseNetwork(network);
      await this.#dhcp.update(network, ports);
    });
  }

  bindPort(port: DriverPort, network: DriverNetwork, host: string): Promise<PortBinding> {
    return this.#serial(host, async () => {
      await this.#realiseNetwork(network);
      const bridge = names.bridge(network.id);
      const dhcp = port.deviceOwner === DHCP_OWNER;
      await this.state.write(this.state.portFile(port.id), { port, networkId: network.id, dhcp } satisfies BoundPort);
      try {
        if (dhcp) await this.#dhcp.bind(port, network);
        else await ensureTap(names.tap(port.id), bridge, network.mtu);
      } catch (error) {
        // Nothing half-made: the port's devices go (the network stays realised).
        await this.#unbindPort(port.id).catch(() => undefined);
        throw error;
      }
      return { hostId: host, vifType: 'bridge', vifDetails: { connectivity: 'l2', port_filter: true, bridge_name: bridge } };
    });
  }

  unbindPort(portId: string): Promise<void> {
    return this.#serial('local', () => this.#unbindPort(portId));
  }

  realiseRouter(router: DriverRouter, host: string): Promise<void> {
    return this.#serial(host, () => this.#realiseRouter(router));
  }

  unrealiseRouter(routerId: string, host: string): Promise<void> {
    return this.#serial(host, () => this.#routers.remove(routerId));
  }

  applySecurityGroups(portId: string, rules: DriverRule[] | null): Promise<void> {
    return this.#serial('local', async () => {
      const bound = await this.state.read<BoundPort>(this.state.portFile(portId));
      if (!bound) throw new NetworkDriverError('not-realised', `Port ${portId} is not bound.`);
      // The DHCP port is the cloud's own; Neutron does not filter it either.
      await this.firewall.apply(portId, rules === null || bound.dhcp ? null : { port: bound.port, rules });
    });
  }

  qosRuleTypes(): QosRuleTypes {
    return LINUX_BRIDGE_QOS_RULES;
  }

  applyQos(portId: string, qos: DriverQos): Promise<void> {
    return this.#serial('local', async () => {
      const bound = await this.state.read<BoundPort>(this.state.portFile(portId));
      if (!bound) throw new NetworkDriverError('not-realised', `Port ${portId} is not bound.`);
      await applyPortQos(portId, qos);
    });
  }

  applyPortForwarding(forwarding: DriverPortForwarding, host: string): Promise<void> {
    return this.#serial(host, async () => {
      const others = (await this.#routers.forwardings(forwarding.routerId)).filter((pf) => pf.id !== forwarding.id);
      await this.#routers.setForwardings(forwarding.routerId, [...others, forwarding]);
      const router = await this.#routers.stored(forwarding.routerId);
      if (router) await this.#realiseRouter(router);
    });
  }

  removePortForwarding(forwardingId: string, host: string): Promise<void> {
    return this.#serial(host, async () => {
      for (const routerId of await this.state.ids('routers')) {
        const forwardings = await this.#routers.forwardings(routerId);
        if (!forwardings.some((pf) => pf.id === forwardingId)) continue;
        await this.#routers.setForwardings(
          routerId,
          forwardings.filter((pf) => pf.id !== forwardingId),
        );
        const router = await this.#routers.stored(routerId);
        if (router) await this.#realiseRouter(router);
      }
    });
  }

  prune(keep: DriverInventory, host: string): Promise<void> {
    return this.#serial(host, async () => {
      for (const id of await this.state.ids('routers')) if (!keep.routerIds.includes(id)) await this.#routers.remove(id);
      for (const id of await this.state.ids('ports')) if (!keep.portIds.includes(id)) await this.#unbindPort(id);
      for (const id of await this.state.ids('networks')) if (!keep.networkIds.includes(id)) await this.#unrealiseNetwork(id);
      const kept = new Set(keep.portIds.map((id) => id.slice(0, 11)));
      for (const short of await this.firewall.filteredPorts()) if (!kept.has(short)) await this.firewall.remove(short);
      await this.firewall.removeTopIfEmpty();
    });
  }

  async #realiseNetwork(network: DriverNetwork): Promise<void> {
    await ensureBridge(names.bridge(network.id), network.mtu, network.adminStateUp);
    if (network.external) await this.#realiseOutside(network);
    await this.#dhcp.update(network, null);
  }

  /** The external network's stand-in for the world: its subnets' gateway addresses in namespace qext-…. */
  async #realiseOutside(network: DriverNetwork): Promise<void> {
    const netns = names.outsideNamespace(network.id);
    await ensureNamespace(netns, { forwarding: false });
    const device = names.outsideDevice(network.id);
    await ensureVeth({
      hostEnd: names.outsideBridgeEnd(network.id),
      nsEnd: device,
      netns,
      bridge: names.bridge(network.id),
      mac: outsideMac(network.id),
      mtu: network.mtu,
    });
    const gateways = network.subnets.filter((s) => s.gatewayIp && isIpv4(s.gatewayIp)).map((s) => withPrefix(s.gatewayIp as string, s.cidr));
    await setAddresses(device, gateways, netns);
  }

  async #unrealiseNetwork(networkId: string): Promise<void> {
    await this.#dhcp.remove(networkId);
    await deleteNamespace(names.outsideNamespace(networkId));
    const bridge = names.bridge(networkId);
    for (const device of await bridgePorts(bridge)) {
      if (device.startsWith('tap')) await this.firewall.remove(device.slice(3));
      await deleteLink(device);
    }
    await deleteLink(bridge);
    for (const id of await this.state.ids('ports')) {
      if ((await this.state.read<BoundPort>(this.state.portFile(id)))?.networkId === networkId) await this.state.remove(this.state.portFile(id));
    }
    await this.state.remove(this.state.networkDir(networkId));
    await this.firewall.removeTopIfEmpty();
  }

  async #unbindPort(portId: string): Promise<void> {
    await this.firewall.remove(portId);
    await removePortQos(portId);
    const bound = await this.state.read<BoundPort>(this.state.portFile(portId));
    if (bound?.dhcp || (bound && (await this.#dhcp.isDhcpPort(bound.networkId, portId)))) await this.#dhcp.remove(bound.networkId);
    await deleteLink(names.tap(portId));
    await this.state.remove(this.state.portFile(portId));
    await this.firewall.removeTopIfEmpty();
  }

  async #realiseRouter(router: DriverRouter): Promise<void> {
    for (const network of [...router.interfaces.map((i) => i.network), ...(router.gateway ? [router.gateway.network] : [])])
      await this.#realiseNetwork(network);
    await this.#routers.realise(router);
  }

  /** Runs `work` after every earlier call; an empty host is `unknown-host`. */
  #serial<T>(host: string, work: () => Promise<T>): Promise<T> {
    if (host === '')
      return Promise.reject(new NetworkDriverError('unknown-host', 'No host given; the linuxbridge driver serves this machine under any host name.'));
    const result = this.#queue.then(work, work);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

/** A stable locally administered MAC for a qext device (fa:16:3f: beside Neutron's fa:16:3e:). */
function outsideMac(networkId: string): string {
  const hex = networkId.replaceAll('-', '').slice(0, 6).padEnd(6, '0');
  return `fa:16:3f:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}

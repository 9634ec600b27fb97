/**
 * A network's DHCP service, as Neutron's DHCP agent runs it: namespace
 * `qdhcp-<network>`, the DHCP port as a veth (`tap…` on the bridge, `ns-…` in
 * the namespace, with the port's MAC and addresses), dnsmasq on it, and the
 * metadata proxy on 169.254.169.254 when a served subnet has no router
 * (enable_isolated_metadata). Changes rewrite the hosts and options files
 * and SIGHUP dnsmasq; a new set of subnets restarts it.
 */
import { join } from 'node:path';
import type { DriverNetwork, DriverPort } from '../driver.js';
import { dnsmasqArgs, isolatedSubnets, METADATA_ADDRESS, renderHosts, renderOpts, type DhcpFiles } from './dnsmasq.js';
import { ensureDnsmasq, ensureProxy, reloadDnsmasq, stopDnsmasq, stopProxy } from './helpers.js';
import { tryRun } from './host.js';
import { isIpv4, withPrefix } from './ipv4.js';
import { deleteNamespace, ensureNamespace, ensureVeth, setAddresses } from './links.js';
import { names } from './names.js';
import type { DriverState } from './state.js';

export class DhcpNamespaces {
  constructor(
    private readonly state: DriverState,
    private readonly metadataSocket: string,
  ) {}

  #files(networkId: string): DhcpFiles & { proxyPid: string; proxyLog: string; network: string; ports: string; dhcpPort: string } {
    const dir = this.state.networkDir(networkId);
    return {
      hosts: join(dir, 'host'),
      opts: join(dir, 'opts'),
      leases: join(dir, 'leases'),
      pid: join(dir, 'dnsmasq.pid'),
      log: join(dir, 'dnsmasq.log'),
      proxyPid: join(dir, 'metadata-proxy.pid'),
      proxyLog: join(dir, 'metadata-proxy.log'),
      network: join(dir, 'network.json'),
      ports: join(dir, 'ports.json'),
      dhcpPort: join(dir, 'dhcp-port.json'),
    };
  }

  /** Remembers the network and the ports to answer for; applies them when the DHCP port is bound. */
  async update(network: DriverNetwork, ports: DriverPort[] | null): Promise<void> {
    const files = this.#files(network.id);
    await this.state.write(files.network, network);
    if (ports !== null) await this.state.write(files.ports, ports);
    await this.#apply(network);
  }

  /** Plugs the DHCP port into the network's namespace and starts serving. */
  async bind(port: DriverPort, network: DriverNetwork): Promise<void> {
    const files = this.#files(network.id);
    const netns = names.dhcpNamespace(network.id);
    await ensureNamespace(netns, { forwarding: false });
    const device = names.dhcpDevice(port.id);
    await ensureVeth({ hostEnd: names.tap(port.id), nsEnd: device, netns, bridge: names.bridge(network.id), mac: port.macAddress, mtu: network.mtu });
    await setAddresses(device, addressesOn(port, network), netns);
    await this.state.write(files.dhcpPort, port);
    await this.state.write(files.network, network);
    await this.#apply(network);
  }

  /** Whether `portId` is the network's bound DHCP port. */
  async isDhcpPort(networkId: string, portId: string): Promise<boolean> {
    return (await this.state.read<DriverPort>(this.#files(networkId).dhcpPort))?.id === portId;
  }

  /** Stops serving: the helpers and the namespace go (the bridge stays). */
  async remove(networkId: string): Promise<void> {
    const files = this.#files(networkId);
    await stopProxy(files.proxyPid);
    await stopDnsmasq(files.pid);
    await deleteNamespace(names.dhcpNamespace(networkId));
    await this.state.remove(files.dhcpPort);
  }

  async #apply(network: DriverNetwork): Promise<void> {
    const files = this.#files(network.id);
    const bound = await this.state.read<DriverPort>(files.dhcpPort);
    if (!bound) return;
    const ports = (await this.state.read<DriverPort[]>(files.ports)) ?? [bound];
    // The port list is newer than the binding when a subnet went: its addresses win.
    const dhcpPort = ports.find((p) => p.id === bound.id) ?? bound;
    const netns = names.dhcpNamespace(network.id);
    const device = names.dhcpDevice(dhcpPort.id);
    await setAddresses(device, addressesOn(dhcpPort, network), netns);
    const served = network.subnets.some((s) => s.enableDhcp && s.ipVersion === 4);
    if (!served) {
      await stopProxy(files.proxyPid);
      await stopDnsmasq(files.pid);
      return;
    }
    const changed = [
      await this.state.writeText(files.hosts, renderHosts(network, ports)),
      await this.state.writeText(files.opts, renderOpts(network, ports, dhcpPort)),
    ].some(Boolean);
    const started = await ensureDnsmasq(netns, dnsmasqArgs(network, device, files), files.pid);
    if (changed && !started) await reloadDnsmasq(files.pid);
    if (isolatedSubnets(network, ports).length > 0) {
      await tryRun('ip', ['addr', 'replace', `${METADATA_ADDRESS}/32`, 'dev', 'lo'], { netns });
      await ensureProxy({ netns, socket: this.metadataSocket, pidFile: files.proxyPid, logFile: files.proxyLog, identity: ['--network-id', network.id] });
    } else {
      await stopProxy(files.proxyPid);
    }
  }
}

/** The port's IPv4 addresses with their subnets' prefix lengths. */
function addressesOn(port: DriverPort, network: DriverNetwork): string[] {
  return port.fixedIps.flatMap((f) => {
    const subnet = network.subnets.find((s) => s.id === f.subnetId);
    return subnet && isIpv4(f.ipAddress) ? [withPrefix(f.ipAddress, subnet.cidr)] : [];
  });
}

/**
 * Debian's dnsmasq configured as Neutron's DHCP agent configures it: static
 * mode (only ports in the hosts file get an address), one `dhcp-range` tag
 * per IPv4 subnet with DHCP, an options file with the router, DNS servers and
 * classless static routes (RFC 3442 option 121 and Microsoft's 249, holding
 * the default route because a client that gets 121 ignores option 3), per-port
 * extra DHCP options, and the network MTU. DNS is off (`--port=0`), so the
 * server does not announce itself as a resolver.
 *
 * IPv6 subnets are not served (the bridges run with IPv6 off).
 */
import type { DriverNetwork, DriverPort, DriverSubnet } from '../driver.js';
import { ipv4Network } from './ipv4.js';

export const METADATA_ADDRESS = '169.254.169.254';
const LEASE_SECONDS = 86400;

export interface DhcpFiles {
  hosts: string;
  opts: string;
  leases: string;
  pid: string;
  log: string;
}

const servedSubnets = (network: DriverNetwork) => network.subnets.filter((s) => s.enableDhcp && s.ipVersion === 4);
const subnetTag = (subnet: DriverSubnet) => `subnet-${subnet.id}`;
const portTag = (port: DriverPort) => `port-${port.id}`;

const isRouterInterface = (port: DriverPort) => port.deviceOwner.startsWith('network:router_interface');

/** Subnets no router is attached to: their metadata comes from the DHCP namespace (Neutron's enable_isolated_metadata). */
export function isolatedSubnets(network: DriverNetwork, ports: DriverPort[]): DriverSubnet[] {
  const routed = new Set(ports.filter(isRouterInterface).flatMap((p) => p.fixedIps.map((f) => f.subnetId)));
  return servedSubnets(network).filter((s) => !routed.has(s.id));
}

/** The hosts file: `mac,set:port-<id>,host-a-b-c-d,address` per address on a served subnet. */
export function renderHosts(network: DriverNetwork, ports: DriverPort[]): string {
  const served = new Set(servedSubnets(network).map((s) => s.id));
  const lines: string[] = [];
  for (const port of ports) {
    for (const ip of port.fixedIps) {
      if (!served.has(ip.subnetId)) continue;
      lines.push(`${port.macAddress},set:${portTag(port)},host-${ip.ipAddress.replaceAll('.', '-')},${ip.ipAddress}`);
    }
  }
  return lines.map((l) => `${l}\n`).join('');
}

/** The options file; `dhcpPort` is the network's DHCP port (its address on an isolated subnet is the metadata next hop). */
export function renderOpts(network: DriverNetwork, ports: DriverPort[], dhcpPort: DriverPort): string {
  const isolated = new Set(isolatedSubnets(network, ports).map((s) => s.id));
  const lines: string[] = [];
  for (const subnet of servedSubnets(network)) {
    const tag = `tag:${subnetTag(subnet)}`;
    const dhcpAddress = dhcpPort.fixedIps.find((f) => f.subnetId === subnet.id)?.ipAddress;
    if (subnet.dnsNameservers.length > 0) lines.push(`${tag},option:dns-server,${subnet.dnsNameservers.join(',')}`);
    const routes: string[] = [];
    const metadataVia = isolated.has(subnet.id) ? dhcpAddress : subnet.gatewayIp;
    if (metadataVia) routes.push(`${METADATA_ADDRESS}/32,${metadataVia}`);
    for (const route of subnet.hostRoutes)
      if (!route.destination.includes(':') && route.destination !== '0.0.0.0/0') routes.push(`${route.destination},${route.nexthop}`);
    const defaultRoute = subnet.hostRoutes.find((r) => r.destination === '0.0.0.0/0')?.nexthop ?? subnet.gatewayIp;
    if (defaultRoute) routes.push(`0.0.0.0/0,${defaultRoute}`);
    if (routes.length > 0) {
      lines.push(`${tag},option:classless-static-route,${routes.join(',')}`);
      lines.push(`${tag},249,${routes.join(',')}`);
    }
    // No gateway: an empty router option keeps dnsmasq from offering itself as one.
    lines.push(subnet.gatewayIp ? `${tag},option:router,${subnet.gatewayIp}` : `${tag},option:router`);
  }
  for (const port of ports) {
    for (const opt of port.extraDhcpOpts.filter((o) => o.ipVersion === 4)) {
      const name = /^\d+$/.test(opt.name) ? opt.name : `option:${opt.name}`;
      lines.push(`tag:${portTag(port)},${name},${opt.value}`);
    }
  }
  return lines.map((l) => `${l}\n`).join('');
}

/** dnsmasq's arguments, listening on `device` in the DHCP namespace. */
export function dnsmasqArgs(network: DriverNetwork, device: string, files: DhcpFiles): string[] {
  const subnets = servedSubnets(network);
  const leaseMax = subnets.reduce((n, s) => n + 2 ** (32 - Number(s.cidr.split('/')[1] ?? 32)), 0);
  return [
    '--no-hosts',
    '--no-resolv',
    '--port=0',
    `--pid-file=${files.pid}`,
    `--dhcp-hostsfile=${files.hosts}`,
    `--dhcp-optsfile=${files.opts}`,
    `--dhcp-leasefile=${files.leases}`,
    '--bind-interfaces',
    `--interface=${device}`,
    '--except-interface=lo',
    ...subnets.map((s) => {
      const { network: address, netmask } = ipv4Network(s.cidr);
      return `--dhcp-range=set:${subnetTag(s)},${address},static,${netmask},${LEASE_SECONDS}s`;
    }),
    `--dhcp-option-force=option:mtu,${network.mtu}`,
    `--dhcp-lease-max=${Math.max(leaseMax, 16)}`,
    '--conf-file=/dev/null',
    '--domain=openstacklocal',
    '--user=root',
    '--group=root',
    `--log-facility=${files.log}`,
    '--log-dhcp',
  ];
}

/**
 * What the driver is told, built from the database: networks with their
 * subnets, ports with their addresses, routers with their interfaces,
 * gateway and floating IPs, and security rules with remote groups resolved
 * to their members' addresses. Every change that alters a network's DHCP
 * answers, a router or a port's filter ends up here; `resync` converges the
 * host on the whole database at start (Neutron's agents' full sync).
 */
import type { DriverNetwork, DriverPort, DriverRouter, DriverRule } from '../drivers/driver.js';
import * as store from '../store/index.js';
import type { NetworkDb } from '../store/index.js';
import type { NetworkDeps } from './deps.js';
import { QosEnforcement } from './qos-enforcement.js';
import type { FloatingIpAttrs } from './floating-ips.js';
import type { NetworkAttrs } from './networks.js';
import type { Port, PortAttrs } from './ports.js';
import type { RouterAttrs } from './routers.js';
import { normalizedCidr, type Rule, type RuleAttrs } from './security-groups.js';
import { subnetsForHost } from './segments.js';

const ROUTER_INTERFACE = 'network:router_interface';
const ROUTER_GATEWAY = 'network:router_gateway';

export class Realisation {
  readonly qos: QosEnforcement;

  constructor(private readonly deps: NetworkDeps) {
    this.qos = new QosEnforcement(deps);
  }

  get #host(): string {
    return this.deps.config.default_host;
  }

  async network(networkId: string, db: NetworkDb = this.deps.db): Promise<DriverNetwork | null> {
    const network = await store.getResource<NetworkAttrs>(db, 'network', networkId);
    if (!network) return null;
    // Of a routed network the host is wired to the first segment only, and serves its subnets only.
    const subnets = await subnetsForHost(db, networkId);
    return {
      id: network.id,
      networkType: network.attrs['provider:network_type'] as DriverNetwork['networkType'],
      physicalNetwork: network.attrs['provider:physical_network'],
      segmentationId: network.attrs['provider:segmentation_id'],
      mtu: network.attrs.mtu,
      adminStateUp: network.attrs.admin_state_up,
      external: network.attrs['router:external'],
      subnets: subnets.map((s) => ({
        id: s.id,
        ipVersion: s.attrs.ip_version,
        cidr: s.attrs.cidr,
        gatewayIp: s.attrs.gateway_ip,
        enableDhcp: s.attrs.enable_dhcp,
        dnsNameservers: s.attrs.dns_nameservers,
        hostRoutes: s.attrs.host_routes,
      })),
    };
  }

  port(port: Port): DriverPort {
    return {
      id: port.id,
      networkId: port.attrs.network_id,
      macAddress: port.attrs.mac_address,
      fixedIps: port.attrs.fixed_ips.map((f) => ({ subnetId: f.subnet_id, ipAddress: f.ip_address })),
      deviceOwner: port.attrs.device_owner,
      vnicType: port.attrs['binding:vnic_type'],
      portSecurityEnabled: port.attrs.port_security_enabled,
      extraDhcpOpts: (port.attrs.extra_dhcp_opts ?? []).map((o) => ({ name: o.opt_name, value: o.opt_value, ipVersion: o.ip_version })),
      allowedAddressPairs: port.attrs.allowed_address_pairs.map((p) => ({ ipAddress: p.ip_address, macAddress: p.mac_address })),
    };
  }

  /** The port's filter: null without port security, else its groups' rules with remote groups as member addresses. */
  async rules(port: Port): Promise<DriverRule[] | null> {
    if (!port.attrs.port_security_enabled) return null;
    const rules = await store.listResources<RuleAttrs>(this.deps.db, 'security_group_rule', { parentIds: port.attrs.security_groups });
    const members = rules.some((r) => r.attrs.remote_group_id) ? await store.listResources<PortAttrs>(this.deps.db, 'port') : [];
    return rules.map((rule) => driverRule(rule, members));
  }

  /**
   * Tells the driver the ports its DHCP server on the network answers for.
   * Skipped for drivers that serve no DHCP: it reads every port of the network.
   */
  async syncDhcp(networkId: string): Promise<void> {
    if (!this.deps.driver.capabilities().dhcp) return;
    const network = await this.network(networkId);
    if (!network) return;
    const ports = await store.listResources<PortAttrs>(this.deps.db, 'port', { parentId: networkId });
    await this.deps.driver.updateDhcp(
      network,
      ports.map((p) => this.port(p)),
      this.#host,
    );
  }

  /**
   * Re-applies the filters of bound ports in `groupIds` or whose rules name
   * them as remote groups. Skipped for drivers that do not filter: it reads
   * every port.
   */
  async reapplyGroups(groupIds: string[]): Promise<void> {
    if (groupIds.length === 0 || !this.deps.driver.capabilities().securityGroups) return;
    const referencing = (await store.listResources<RuleAttrs>(this.deps.db, 'security_group_rule')).filter(
      (r) => r.attrs.remote_group_id && groupIds.includes(r.attrs.remote_group_id),
    );
    const affected = new Set([...groupIds, ...referencing.map((r) => r.attrs.security_group_id)]);
    for (const port of await store.listResources<PortAttrs>(this.deps.db, 'port')) {
      if (!port.attrs['binding:host_id'] || port.attrs['binding:vif_type'] === 'binding_failed') continue;
      if (!port.attrs.security_groups.some((g) => affected.has(g))) continue;
      await this.deps.driver
        .applySecurityGroups(port.id, await this.rules(port))
        .catch((error: unknown) => this.deps.log.warn({ err: error, port: port.id }, 'could not re-apply security groups'));
    }
  }

  async router(routerId: string): Promise<DriverRouter | null> {
    const router = await store.getResource<RouterAttrs>(this.deps.db, 'router', routerId);
    if (!router) return null;
    const ports = (await store.listResources<PortAttrs>(this.deps.db, 'port')).filter((p) => p.attrs.device_id === routerId);
    const networks = new Map<string, DriverNetwork>();
    const networkOf = async (id: string): Promise<DriverNetwork | null> => {
      if (!networks.has(id)) {
        const network = await this.network(id);
        if (network) networks.set(id, network);
      }
      return networks.get(id) ?? null;
    };
    const interfaces: DriverRouter['interfaces'] = [];
    for (const port of ports.filter((p) => p.attrs.device_owner === ROUTER_INTERFACE)) {
      const network = await networkOf(port.attrs.network_id);
      if (!network) continue;
      for (const ip of port.attrs.fixed_ips) {
        const cidr = network.subnets.find((s) => s.id === ip.subnet_id)?.cidr ?? '';
        interfaces.push({ portId: port.id, networkId: network.id, network, macAddress: port.attrs.mac_address, ipAddress: ip.ip_address, cidr });
      }
    }
    const info = router.attrs.external_gateway_info;
    const gatewayPort = ports.find((p) => p.attrs.device_owner === ROUTER_GATEWAY);
    const gatewayNetwork = info ? await networkOf(info.network_id) : null;
    const fips = (await store.listResources<FloatingIpAttrs>(this.deps.db, 'floatingip')).filter(
      (f) => f.attrs.router_id === routerId && f.attrs.port_id && f.attrs.fixed_ip_address,
    );
    return {
      id: router.id,
      gateway:
        info && gatewayPort && gatewayNetwork
          ? {
              networkId: info.network_id,
              network: gatewayNetwork,
              portId: gatewayPort.id,
              macAddress: gatewayPort.attrs.mac_address,
              ipAddresses: info.external_fixed_ips.map((f) => f.ip_address),
              enableSnat: info.enable_snat,
            }
          : null,
      interfaces,
      routes: router.attrs.routes,
      floatingIps: fips.map((f) => ({ floatingIpAddress: f.attrs.floating_ip_address, fixedIpAddress: f.attrs.fixed_ip_address as string })),
    };
  }

  async realiseRouter(routerId: string | null): Promise<void> {
    if (!routerId) return;
    const router = await this.router(routerId);
    if (router) await this.deps.driver.realiseRouter(router, this.#host);
  }

  /**
   * Converges the host on the database: removes what the driver made for
   * deleted objects, then re-binds bound ports (with their filters), rewrites
   * DHCP, re-realises routers and port forwardings. Failures are logged per
   * object; the service runs on.
   */
  async resync(): Promise<void> {
    const db = this.deps.db;
    const networks = await store.listResources<NetworkAttrs>(db, 'network');
    const ports = await store.listResources<PortAttrs>(db, 'port');
    const routers = await store.listResources<RouterAttrs>(db, 'router');
    const bound = ports.filter(
      (p) => p.attrs['binding:host_id'] && p.attrs['binding:vif_type'] !== 'binding_failed' && p.attrs['binding:vif_type'] !== 'unbound',
    );
    const attempt = async (what: Record<string, string>, work: () => Promise<unknown>) => {
      await work().catch((error: unknown) => this.deps.log.error({ err: error, ...what }, 'network resync failed'));
    };
    await attempt({ step: 'prune' }, () =>
      this.deps.driver.prune({ networkIds: networks.map((n) => n.id), routerIds: routers.map((r) => r.id), portIds: bound.map((p) => p.id) }, this.#host),
    );
    for (const port of bound) {
      await attempt({ port: port.id }, async () => {
        const network = await this.network(port.attrs.network_id);
        if (!network) return;
        await this.deps.driver.bindPort(this.port(port), network, port.attrs['binding:host_id']);
        await this.deps.driver.applySecurityGroups(port.id, await this.rules(port));
        await this.qos.apply(port);
      });
    }
    for (const network of networks) await attempt({ network: network.id }, () => this.syncDhcp(network.id));
    for (const router of routers) await attempt({ router: router.id }, () => this.realiseRouter(router.id));
    const fips = await store.listResources<FloatingIpAttrs>(db, 'floatingip');
    for (const fip of fips) {
      for (const pf of await store.portForwardingsOf(db, { floatingipIds: [fip.id] })) {
        if (!fip.attrs.router_id) continue;
        await attempt({ portForwarding: pf.id }, () =>
          this.deps.driver.applyPortForwarding(
            {
              id: pf.id,
              routerId: fip.attrs.router_id as string,
              protocol: pf.protocol,
              externalAddress: fip.attrs.floating_ip_address,
              externalPort: pf.external_port,
              internalAddress: pf.internal_ip_address,
              internalPort: pf.internal_port,
            },
            this.#host,
          ),
        );
      }
    }
  }
}

/** A rule for the driver; a remote group becomes its member ports' addresses of the rule's family. */
function driverRule(rule: Rule, ports: Port[]): DriverRule {
  const { attrs } = rule;
  const prefix = normalizedCidr(attrs.remote_ip_prefix);
  let remoteIpPrefixes: string[] | null = prefix ? [prefix] : null;
  const group = attrs.remote_group_id;
  if (group) {
    const v6 = attrs.ethertype === 'IPv6';
    const addresses = ports
      .filter((p) => p.attrs.security_groups.includes(group))
      .flatMap((p) => [...p.attrs.fixed_ips.map((f) => f.ip_address), ...p.attrs.allowed_address_pairs.map((a) => a.ip_address)])
      .filter((a) => a.includes(':') === v6)
      .map((a) => (a.includes('/') ? a : `${a}/${v6 ? 128 : 32}`));
    remoteIpPrefixes = [...new Set(addresses)];
  }
  return {
    direction: attrs.direction,
    ethertype: attrs.ethertype,
    protocol: attrs.protocol,
    portRangeMin: attrs.port_range_min,
    portRangeMax: attrs.port_range_max,
    remoteIpPrefixes,
  };
}

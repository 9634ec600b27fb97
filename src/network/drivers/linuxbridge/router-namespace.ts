/**
 * Routers as Neutron's L3 agent makes them (legacy mode): namespace
 * `qrouter-<router>` with IPv4 forwarding on inside it only, one veth per
 * interface port (`qr-…` in the namespace with the port's MAC and gateway
 * address, `tap…` on the network's bridge), the gateway port likewise
 * (`qg-…` on the external network's bridge) holding the gateway address and
 * every floating IP as /32, a default route through the external subnet's
 * gateway, extra routes, the NAT table (router-nat.ts) and the metadata proxy
 * on 169.254.169.254 (bound on the namespace's lo).
 */
import { join } from 'node:path';
import type { DriverPortForwarding, DriverRouter } from '../driver.js';
import { METADATA_ADDRESS } from './dnsmasq.js';
import { ensureProxy, stopProxy } from './helpers.js';
import { run, tryRun } from './host.js';
import { contains, isIpv4, withPrefix } from './ipv4.js';
import { deleteLink, deleteNamespace, ensureNamespace, ensureVeth, linksNamed, setAddresses } from './links.js';
import { names } from './names.js';
import { renderNat } from './router-nat.js';
import type { DriverState } from './state.js';

export class RouterNamespaces {
  constructor(
    private readonly state: DriverState,
    private readonly metadataSocket: string,
  ) {}

  #files(routerId: string) {
    const dir = this.state.routerDir(routerId);
    return {
      router: join(dir, 'router.json'),
      forwardings: join(dir, 'forwardings.json'),
      proxyPid: join(dir, 'metadata-proxy.pid'),
      proxyLog: join(dir, 'metadata-proxy.log'),
    };
  }

  async stored(routerId: string): Promise<DriverRouter | null> {
    return this.state.read<DriverRouter>(this.#files(routerId).router);
  }

  async forwardings(routerId: string): Promise<DriverPortForwarding[]> {
    return (await this.state.read<DriverPortForwarding[]>(this.#files(routerId).forwardings)) ?? [];
  }

  async setForwardings(routerId: string, forwardings: DriverPortForwarding[]): Promise<void> {
    await this.state.write(this.#files(routerId).forwardings, forwardings);
  }

  /** Converges the namespace on `router` (bridges of its networks must exist). */
  async realise(router: DriverRouter): Promise<void> {
    const files = this.#files(router.id);
    await this.state.write(files.router, router);
    const netns = names.routerNamespace(router.id);
    await ensureNamespace(netns, { forwarding: true });

    const wanted = new Set<string>();
    for (const portId of new Set(router.interfaces.map((i) => i.portId))) {
      const addresses = router.interfaces.filter((i) => i.portId === portId && isIpv4(i.ipAddress));
      const first = router.interfaces.find((i) => i.portId === portId);
      if (!first) continue;
      const device = names.routerInterface(portId);
      wanted.add(device);
      await ensureVeth({
        hostEnd: names.tap(portId),
        nsEnd: device,
        netns,
        bridge: names.bridge(first.networkId),
        mac: first.macAddress,
        mtu: first.network.mtu,
      });
      await setAddresses(
        device,
        addresses.map((a) => withPrefix(a.ipAddress, a.cidr)),
        netns,
      );
    }

    const forwardings = await this.forwardings(router.id);
    const gateway = router.gateway;
    const gatewayDevice = gateway ? names.routerGateway(gateway.portId) : null;
    if (gateway && gatewayDevice) {
      wanted.add(gatewayDevice);
      await ensureVeth({
        hostEnd: names.tap(gateway.portId),
        nsEnd: gatewayDevice,
        netns,
        bridge: names.bridge(gateway.networkId),
        mac: gateway.macAddress,
        mtu: gateway.network.mtu,
      });
      const own = gateway.ipAddresses.filter(isIpv4).flatMap((ip) => {
        const subnet = gateway.network.subnets.find((s) => contains(s.cidr, ip));
        return subnet ? [{ cidr: withPrefix(ip, subnet.cidr), nexthop: subnet.gatewayIp }] : [];
      });
      const floating = [...router.floatingIps.map((f) => f.floatingIpAddress), ...forwardings.map((pf) => pf.externalAddress)]
        .filter(isIpv4)
        .map((ip) => `${ip}/32`);
      const added = await setAddresses(gatewayDevice, [...new Set([...own.map((o) => o.cidr), ...floating])], netns);
      // Gratuitous ARP, as the L3 agent sends: a floating IP that moved routers is found at once (best effort).
      for (const cidr of added) await tryRun('busybox', ['arping', '-U', '-c', '1', '-I', gatewayDevice, cidr.split('/')[0] as string], { netns });
      const nexthop = own.find((o) => o.nexthop)?.nexthop;
      if (nexthop) await run('ip', ['route', 'replace', 'default', 'via', nexthop, 'dev', gatewayDevice], { netns });
    } else {
      await tryRun('ip', ['route', 'del', 'default'], { netns });
    }
    for (const device of [...(await linksNamed('qr-', netns)), ...(await linksNamed('qg-', netns))]) if (!wanted.has(device)) await deleteLink(device, netns);

    await this.#routes(router, netns);
    await run('iptables-restore', ['-w'], { netns, input: renderNat(router, gatewayDevice, forwardings) });
    await run('ip', ['addr', 'replace', `${METADATA_ADDRESS}/32`, 'dev', 'lo'], { netns });
    await ensureProxy({ netns, socket: this.metadataSocket, pidFile: files.proxyPid, logFile: files.proxyLog, identity: ['--router-id', router.id] });
  }

  /** Extra routes (`proto static` marks ours): replaced, stale ones deleted. */
  async #routes(router: DriverRouter, netns: string): Promise<void> {
    const wanted = router.routes.filter((r) => isIpv4(r.destination));
    const current = (await run('ip', ['-4', 'route', 'show', 'proto', 'static'], { netns }))
      .split('\n')
      .map((l) => l.trim().split(' ')[0])
      .filter((d): d is string => !!d);
    for (const destination of current)
      if (!wanted.some((r) => r.destination === destination || (destination === 'default' && r.destination === '0.0.0.0/0')))
        await tryRun('ip', ['route', 'del', destination, 'proto', 'static'], { netns });
    for (const route of wanted) await run('ip', ['route', 'replace', route.destination, 'via', route.nexthop, 'proto', 'static'], { netns });
  }

  /** Removes the router: proxy, namespace (its veths go with it) and state. */
  async remove(routerId: string): Promise<void> {
    await stopProxy(this.#files(routerId).proxyPid);
    const netns = names.routerNamespace(routerId);
    // Deleting the namespace ends of the veths takes their bridge ends along at once.
    for (const device of [...(await linksNamed('qr-', netns)), ...(await linksNamed('qg-', netns))]) await deleteLink(device, netns);
    await deleteNamespace(netns);
    await this.state.remove(this.state.routerDir(routerId));
  }
}

/**
 * The linuxbridge driver end to end through the Neutron API, with network
 * namespaces as guests (no QEMU): DHCP from dnsmasq, metadata through the
 * router's proxy, security groups (allowed/blocked ports, ICMP, rule removal,
 * anti-spoofing), SNAT to the router's gateway address, a floating IP reached
 * from the external network's outside namespace, and a teardown through the
 * API that leaves nothing behind. Needs root (skipped otherwise).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Firewall } from '../../../src/network/drivers/linuxbridge/firewall.js';
import { LinuxBridgeNetworkDriver } from '../../../src/network/drivers/linuxbridge/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { Guests, inNs, sh } from './guests.js';
import type { Json } from '../../support/json.js';

const skip = process.getuid?.() !== 0 ? 'needs root (bridges, namespaces, iptables)' : false;

describe('linuxbridge driver: guests in namespaces', { skip, timeout: 240_000 }, () => {
  const tag = randomBytes(3).toString('hex');
  const octet = 100 + ((randomBytes(1)[0] ?? 0) % 100);
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-lb-'));
  const socket = join(dir, 'metadata.sock');
  const guests = new Guests(dir);
  const seen: IncomingHttpHeaders[] = [];
  let metadata: Server;
  let cloud: TestServer;
  let admin = '';
  const ids: {
    net?: string;
    ext?: string;
    subnet?: string;
    router?: string;
    ports: string[];
    fip?: string;
    gatewayIp?: string;
    extGateway?: string;
    icmpRule?: string;
  } = { ports: [] };
  const call = async (method: string, path: string, body?: unknown, expected?: number) => {
    const response = await cloud.request(method, `/network/v2.0${path}`, { token: admin, body });
    if (expected !== undefined) assert.equal(response.status, expected, `${method} ${path}: ${response.text}`);
    return response.body;
  };

  before(async () => {
    // Stands in for the compute service's metadata API: echoes what the proxy added.
    metadata = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, forwardedFor: req.headers['x-forwarded-for'], router: req.headers['x-neutron-router-id'] ?? null }));
    });
    await new Promise<void>((resolve) => metadata.listen(socket, resolve));
    cloud = await startTestServer((config) => {
      config.network.driver = 'linuxbridge';
      config.network.devstack_defaults = false;
      config.network.metadata_socket = socket;
    });
    admin = await cloud.adminToken();
  });

  after(async () => {
    // Whatever the test left (it fails midway): guests first, then everything the driver made.
    await guests.cleanup();
    if (cloud) {
      await new LinuxBridgeNetworkDriver({ dataDir: cloud.dataDir, metadataSocket: socket }).prune({ networkIds: [], routerIds: [], portIds: [] }, 'nimbus');
      await cloud.close();
    }
    metadata?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const guestOf = (i: number) => `lbt-${tag}-g${i}`;
  const fixedIp = (port: Json) => port.fixed_ips[0].ip_address as string;

  test('networks, subnets, router, security group and two bound ports', async () => {
    const ext = (
      await call(
        'POST',
        '/networks',
        { network: { name: `ext-${tag}`, 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': `pub${tag}` } },
        201,
      )
    ).network;
    ids.ext = ext.id;
    ids.extGateway = `172.31.${octet}.1`;
    await call(
      'POST',
      '/subnets',
      { subnet: { network_id: ext.id, ip_version: 4, cidr: `172.31.${octet}.0/24`, gateway_ip: ids.extGateway, enable_dhcp: false } },
      201,
    );
    const net = (await call('POST', '/networks', { network: { name: `int-${tag}` } }, 201)).network;
    ids.net = net.id;
    const subnet = (
      await call('POST', '/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: `10.${octet}.7.0/24`, dns_nameservers: ['10.9.9.9'] } }, 201)
    ).subnet;
    ids.subnet = subnet.id;
    const router = (await call('POST', '/routers', { router: { name: `r-${tag}`, external_gateway_info: { network_id: ext.id } } }, 201)).router;
    ids.router = router.id;
    ids.gatewayIp = router.external_gateway_info.external_fixed_ips[0].ip_address;
    await call('PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id }, 200);

    const group = (await call('POST', '/security-groups', { security_group: { name: `web-${tag}` } }, 201)).security_group;
    await call(
      'POST',
      '/security-group-rules',
      {
        security_group_rule: {
          security_group_id: group.id,
          direction: 'ingress',
          protocol: 'tcp',
          port_range_min: 8080,
          port_range_max: 8080,
          remote_ip_prefix: '0.0.0.0/0',
        },
      },
      201,
    );
    const icmp = (
      await call('POST', '/security-group-rules', { security_group_rule: { security_group_id: group.id, direction: 'ingress', protocol: 'icmp' } }, 201)
    ).security_group_rule;
    ids.icmpRule = icmp.id;
    for (let i = 0; i < 2; i++) {
      const port = (
        await call(
          'POST',
          '/ports',
          { port: { network_id: net.id, security_groups: [group.id], 'binding:host_id': 'nimbus', device_owner: 'compute:nova' } },
          201,
        )
      ).port;
      assert.equal(port.status, 'ACTIVE');
      assert.equal(port['binding:vif_type'], 'bridge');
      assert.equal(port['binding:vif_details'].bridge_name, `brq${net.id.slice(0, 11)}`);
      ids.ports.push(port.id);
      await guests.plug(guestOf(i), `tap${port.id.slice(0, 11)}`, port['binding:vif_details'].bridge_name, port.mac_address);
    }
  });

  test('DHCP: each guest gets its port address, the routes (metadata, default) and the MTU', async () => {
    for (let i = 0; i < 2; i++) {
      const port = (await call('GET', `/ports/${ids.ports[i]}`)).port;
      const lease = await guests.dhcp(guestOf(i));
      assert.ok(lease.ok, lease.stderr);
      assert.match(lease.stdout, /mtu=1450/);
      const addresses = (await inNs(guestOf(i), 'ip', ['-4', '-o', 'addr', 'show', 'eth0'])).stdout;
      assert.match(addresses, new RegExp(`inet ${fixedIp(port).replaceAll('.', '\\.')}/24`));
      const routes = (await inNs(guestOf(i), 'ip', ['-4', 'route'])).stdout;
      assert.match(routes, new RegExp(`169\\.254\\.169\\.254 via 10\\.${octet}\\.7\\.1`));
      assert.match(routes, new RegExp(`default via 10\\.${octet}\\.7\\.1`));
    }
  });

  test('metadata: the router proxy forwards to the socket with X-Forwarded-For and X-Neutron-Router-ID', async () => {
    const port = (await call('GET', `/ports/${ids.ports[0]}`)).port;
    const answer = await inNs(guestOf(0), 'curl', [
      '-s',
      '-m',
      '5',
      '-H',
      'X-Forwarded-For: 6.6.6.6',
      'http://169.254.169.254/openstack/latest/meta_data.json',
    ]);
    assert.ok(answer.ok, answer.stderr);
    const body = JSON.parse(answer.stdout) as { path: string; forwardedFor: string; router: string };
    assert.deepEqual(body, { path: '/openstack/latest/meta_data.json', forwardedFor: fixedIp(port), router: ids.router });
  });

  test('security groups: allowed port, blocked port, ICMP per rule, anti-spoofing', async () => {
    const [a, b] = await Promise.all(ids.ports.map(async (id) => fixedIp((await call('GET', `/ports/${id}`)).port)));
    await guests.echoPeer(guestOf(1), 8080);
    await guests.echoPeer(guestOf(1), 9090);
    assert.equal(await guests.connect(guestOf(0), b as string, 8080), a, 'tcp/8080 is allowed and B sees A');
    assert.equal(await guests.connect(guestOf(0), b as string, 9090), '', 'tcp/9090 has no rule');
    assert.equal(await guests.ping(guestOf(0), b as string), true, 'the icmp rule allows ping');
    await call('DELETE', `/security-group-rules/${ids.icmpRule}`, undefined, 204);
    assert.equal(await guests.ping(guestOf(0), b as string), false, 'without the icmp rule, ping is dropped');
    // A forged source address on A is dropped by A's spoof chain, though B's rule allows any source.
    const forged = `10.${octet}.7.250`;
    await inNs(guestOf(0), 'ip', ['addr', 'add', `${forged}/24`, 'dev', 'eth0']);
    assert.equal(await guests.connect(guestOf(0), b as string, 8080, forged), '', 'forged source dropped');
    assert.equal(await guests.connect(guestOf(0), b as string, 8080), a, 'the real source still passes');
  });

  test('router: SNAT to the gateway address; floating IP 1:1 and a port forwarding from the outside namespace', async () => {
    const outside = `qext-${(ids.ext as string).slice(0, 11)}`;
    guests.track(outside);
    await guests.echoPeer(outside, 7070);
    assert.equal(await guests.connect(guestOf(1), ids.extGateway as string, 7070), ids.gatewayIp, 'B leaves through SNAT');
    const fip = (await call('POST', '/floatingips', { floatingip: { floating_network_id: ids.ext, port_id: ids.ports[0] } }, 201)).floatingip;
    ids.fip = fip.id;
    const [a] = [fixedIp((await call('GET', `/ports/${ids.ports[0]}`)).port)];
    await guests.echoPeer(guestOf(0), 8080);
    assert.equal(await guests.connect(outside, fip.floating_ip_address, 8080), ids.extGateway, 'the floating IP reaches A, which sees the outside address');
    assert.equal(await guests.connect(guestOf(0), ids.extGateway as string, 7070), fip.floating_ip_address, 'A leaves as its floating IP');
    assert.notEqual(a, fip.floating_ip_address);
    // Disassociated: the floating address answers no more.
    await call('PUT', `/floatingips/${fip.id}`, { floatingip: { port_id: null } }, 200);
    assert.equal(await guests.connect(outside, fip.floating_ip_address, 8080), '');
    assert.equal(await guests.connect(guestOf(0), ids.extGateway as string, 7070), ids.gatewayIp);
    // A port forwarding on the same address: only its port reaches A.
    await call(
      'POST',
      `/floatingips/${fip.id}/port_forwardings`,
      { port_forwarding: { protocol: 'tcp', internal_ip_address: a, internal_port: 8080, internal_port_id: ids.ports[0], external_port: 8088 } },
      201,
    );
    assert.equal(await guests.connect(outside, fip.floating_ip_address, 8088), ids.extGateway, 'forwarded port reaches A');
    assert.equal(await guests.connect(outside, fip.floating_ip_address, 8080), '', 'other ports are not forwarded');
  });

  test('a network update reaches the host: bridge MTU and the DHCP MTU option', async () => {
    await call('PUT', `/networks/${ids.net}`, { network: { mtu: 1400 } }, 200);
    assert.match((await sh('ip', ['link', 'show', `brq${(ids.net as string).slice(0, 11)}`])).stdout, /mtu 1400/);
    const pid = readFileSync(join(cloud.dataDir, 'network', 'networks', ids.net as string, 'dnsmasq.pid'), 'utf8').trim();
    assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /option:mtu,1400/);
  });

  test('teardown through the API leaves no namespace, bridge, veth, chain or process', async () => {
    const state = join(cloud.dataDir, 'network');
    const pidFiles = [join(state, 'networks', ids.net as string, 'dnsmasq.pid'), join(state, 'routers', ids.router as string, 'metadata-proxy.pid')];
    const pids = pidFiles.map((f) => Number(readFileSync(f, 'utf8').trim()));
    for (const pid of pids) assert.ok(existsSync(`/proc/${pid}`), `helper ${pid} runs`);
    await guests.cleanup();
    // Nova releases a port by clearing its host: it is unbound (DOWN, its filter gone).
    const released = (await call('PUT', `/ports/${ids.ports[1]}`, { port: { 'binding:host_id': '' } }, 200)).port;
    assert.equal(released.status, 'DOWN');
    assert.equal(released['binding:vif_type'], 'unbound');
    assert.ok(!(await sh('iptables', ['-w', '-S'])).stdout.includes((ids.ports[1] as string).slice(0, 11)), 'the released port has no chains');
    await call('DELETE', `/floatingips/${ids.fip}`, undefined, 204);
    await call('PUT', `/routers/${ids.router}/remove_router_interface`, { subnet_id: ids.subnet }, 200);
    await call('DELETE', `/routers/${ids.router}`, undefined, 204);
    for (const id of ids.ports) await call('DELETE', `/ports/${id}`, undefined, 204);
    await call('DELETE', `/networks/${ids.net}`, undefined, 204);
    await call('DELETE', `/networks/${ids.ext}`, undefined, 204);

    const links = (await sh('ip', ['-o', 'link', 'show'])).stdout;
    const namespaces = (await sh('ip', ['netns', 'list'])).stdout;
    const rules = (await sh('iptables', ['-w', '-S'])).stdout;
    for (const id of [ids.net, ids.ext] as string[]) assert.ok(!links.includes(`brq${id.slice(0, 11)}`), 'bridge removed');
    for (const id of ids.ports) assert.ok(!links.includes(id.slice(0, 11)), 'tap and veths removed');
    for (const name of [`qdhcp-${ids.net}`, `qrouter-${ids.router}`, `qext-${(ids.ext as string).slice(0, 11)}`])
      assert.ok(!namespaces.includes(name), `${name} removed`);
    for (const id of ids.ports) assert.ok(!rules.includes(id.slice(0, 11)), 'security group chains removed');
    assert.ok(!rules.includes(new Firewall(cloud.dataDir).topChain), "the data dir's top chain and its FORWARD jump removed");
    for (const pid of pids) assert.ok(!existsSync(`/proc/${pid}`), `helper ${pid} stopped`);
  });
});

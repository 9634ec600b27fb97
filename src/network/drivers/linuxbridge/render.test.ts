/** What the driver writes for dnsmasq and iptables, checked without touching the host. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DriverNetwork, DriverPort, DriverRouter } from '../driver.js';
import { dnsmasqArgs, renderHosts, renderOpts } from './dnsmasq.js';
import { renderChains } from './firewall.js';
import { contains, ipv4Network } from './ipv4.js';
import { renderNat } from './router-nat.js';

const subnet = {
  id: 's1',
  ipVersion: 4 as const,
  cidr: '10.1.0.0/24',
  gatewayIp: '10.1.0.1',
  enableDhcp: true,
  dnsNameservers: ['9.9.9.9'],
  hostRoutes: [{ destination: '192.168.0.0/16', nexthop: '10.1.0.9' }],
};
const network: DriverNetwork = {
  id: 'n1',
  networkType: 'vxlan',
  physicalNetwork: null,
  segmentationId: 5,
  mtu: 1450,
  adminStateUp: true,
  external: false,
  subnets: [subnet, { ...subnet, id: 's6', ipVersion: 6, cidr: 'fd00::/64', gatewayIp: 'fd00::1' }],
};
const port = (id: string, ip: string, owner = 'compute:nova', extra: DriverPort['extraDhcpOpts'] = []): DriverPort => ({
  id,
  networkId: 'n1',
  macAddress: `fa:16:3e:00:00:${id.slice(-2)}`,
  fixedIps: [{ subnetId: 's1', ipAddress: ip }],
  deviceOwner: owner,
  vnicType: 'normal',
  portSecurityEnabled: true,
  extraDhcpOpts: extra,
  allowedAddressPairs: [],
});
const dhcp = port('dhcp02', '10.1.0.2', 'network:dhcp');

test('ipv4 helpers', () => {
  assert.deepEqual(ipv4Network('10.1.0.77/22'), { network: '10.1.0.0', netmask: '255.255.252.0', prefix: 22 });
  assert.equal(contains('172.24.4.0/24', '172.24.4.10'), true);
  assert.equal(contains('172.24.4.0/24', '172.24.5.10'), false);
});

test('hosts file: one line per served address, with the port tag', () => {
  assert.equal(renderHosts(network, [port('vm0010', '10.1.0.10')]), 'fa:16:3e:00:00:10,set:port-vm0010,host-10-1-0-10,10.1.0.10\n');
});

test('options: routes via the router when one is attached, via the DHCP port when isolated; extra options per port', () => {
  const router = port('rtr001', '10.1.0.1', 'network:router_interface');
  const withRouter = renderOpts(
    network,
    [
      dhcp,
      router,
      port('vm0010', '10.1.0.10', 'compute:nova', [
        { name: 'bootfile-name', value: 'pxe.0', ipVersion: 4 },
        { name: '150', value: '1.2.3.4', ipVersion: 4 },
      ]),
    ],
    dhcp,
  );
  assert.match(withRouter, /^tag:subnet-s1,option:dns-server,9\.9\.9\.9$/m);
  assert.match(
    withRouter,
    /^tag:subnet-s1,option:classless-static-route,169\.254\.169\.254\/32,10\.1\.0\.1,192\.168\.0\.0\/16,10\.1\.0\.9,0\.0\.0\.0\/0,10\.1\.0\.1$/m,
  );
  assert.match(withRouter, /^tag:subnet-s1,249,169\.254\.169\.254\/32,10\.1\.0\.1,/m);
  assert.match(withRouter, /^tag:subnet-s1,option:router,10\.1\.0\.1$/m);
  assert.match(withRouter, /^tag:port-vm0010,option:bootfile-name,pxe\.0$/m);
  assert.match(withRouter, /^tag:port-vm0010,150,1\.2\.3\.4$/m);
  assert.doesNotMatch(withRouter, /fd00/, 'IPv6 subnets are not served');
  const isolated = renderOpts({ ...network, subnets: [{ ...subnet, gatewayIp: null, hostRoutes: [] }] }, [dhcp], dhcp);
  assert.match(isolated, /^tag:subnet-s1,option:classless-static-route,169\.254\.169\.254\/32,10\.1\.0\.2$/m);
  assert.match(isolated, /^tag:subnet-s1,option:router$/m);
});

test('dnsmasq arguments: static range per served subnet, MTU, no DNS', () => {
  const args = dnsmasqArgs(network, 'ns-dhcp02', { hosts: '/h', opts: '/o', leases: '/l', pid: '/p', log: '/g' });
  assert.ok(args.includes('--dhcp-range=set:subnet-s1,10.1.0.0,static,255.255.255.0,86400s'));
  assert.ok(args.includes('--dhcp-option-force=option:mtu,1450'));
  assert.ok(args.includes('--port=0'));
  assert.ok(args.includes('--interface=ns-dhcp02'));
  assert.equal(args.filter((a) => a.startsWith('--dhcp-range')).length, 1);
});

test('security group chains: stateful, default drop, per-rule matches, spoof chain with address pairs', () => {
  const filtered = { ...port('vm0010', '10.1.0.10'), allowedAddressPairs: [{ ipAddress: '10.1.0.100', macAddress: '' }] };
  const lines = renderChains(
    {
      port: filtered,
      rules: [
        { direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefixes: ['10.0.0.0/8'] },
        { direction: 'ingress', ethertype: 'IPv4', protocol: 'udp', portRangeMin: 1000, portRangeMax: 2000, remoteIpPrefixes: null },
        { direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp', portRangeMin: 8, portRangeMax: 0, remoteIpPrefixes: null },
        { direction: 'ingress', ethertype: 'IPv4', protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefixes: [] },
        { direction: 'egress', ethertype: 'IPv4', protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefixes: null },
        { direction: 'egress', ethertype: 'IPv6', protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefixes: null },
      ],
    },
    { ingress: 'I', egress: 'O', spoof: 'S' },
  );
  assert.deepEqual(
    lines.filter((l) => l.startsWith('-A I')),
    [
      '-A I -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN',
      '-A I -m conntrack --ctstate INVALID -j DROP',
      '-A I -p udp -m udp --sport 67 --dport 68 -j RETURN',
      '-A I -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j RETURN',
      '-A I -p udp -m udp --dport 1000:2000 -j RETURN',
      '-A I -p icmp -m icmp --icmp-type 8/0 -j RETURN',
      '-A I -j DROP',
    ],
  );
  assert.ok(lines.includes('-A O -j RETURN'), 'egress any');
  assert.equal(lines.filter((l) => l.startsWith('-A O -j RETURN')).length, 1, 'the IPv6 rule is not an IPv4 rule');
  assert.deepEqual(
    lines.filter((l) => l.startsWith('-A S')),
    [
      '-A S -s 10.1.0.10/32 -m mac --mac-source fa:16:3e:00:00:10 -j RETURN',
      '-A S -s 10.1.0.100/32 -m mac --mac-source fa:16:3e:00:00:10 -j RETURN',
      '-A S -j DROP',
    ],
  );
});

test('router NAT: floating IP 1:1 before the router SNAT; forwardings; nothing without a gateway', () => {
  const router: DriverRouter = {
    id: 'r1',
    gateway: {
      networkId: 'ext',
      network: { ...network, id: 'ext', external: true },
      portId: 'gw',
      macAddress: 'fa:16:3e:00:00:99',
      ipAddresses: ['172.24.4.10'],
      enableSnat: true,
    },
    interfaces: [{ portId: 'p1', networkId: 'n1', network, macAddress: 'fa:16:3e:00:00:01', ipAddress: '10.1.0.1', cidr: '10.1.0.0/24' }],
    routes: [],
    floatingIps: [{ floatingIpAddress: '172.24.4.20', fixedIpAddress: '10.1.0.10' }],
  };
  const nat = renderNat(router, 'qg-gw', [
    { id: 'pf', routerId: 'r1', protocol: 'tcp', externalAddress: '172.24.4.30', externalPort: 2222, internalAddress: '10.1.0.11', internalPort: 22 },
  ]).split('\n');
  const snatFip = nat.indexOf('-A POSTROUTING -s 10.1.0.10/32 -o qg-gw -j SNAT --to-source 172.24.4.20');
  const snatRouter = nat.indexOf('-A POSTROUTING -s 10.1.0.0/24 -o qg-gw -m conntrack ! --ctstate DNAT -j SNAT --to-source 172.24.4.10');
  assert.ok(snatFip > 0 && snatRouter > snatFip);
  assert.ok(nat.includes('-A PREROUTING -d 172.24.4.20/32 -j DNAT --to-destination 10.1.0.10'));
  assert.ok(nat.includes('-A PREROUTING -d 172.24.4.30/32 -p tcp -m tcp --dport 2222 -j DNAT --to-destination 10.1.0.11:22'));
  const noSnat = renderNat({ ...router, gateway: router.gateway && { ...router.gateway, enableSnat: false } }, 'qg-gw', []);
  assert.doesNotMatch(noSnat, /--to-source 172\.24\.4\.10/);
  assert.doesNotMatch(renderNat({ ...router, gateway: null }, null, []), /-A /);
});

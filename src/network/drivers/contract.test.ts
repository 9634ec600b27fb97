/**
 * The network driver contract, run on every implementation available here:
 * `noop` always, `linuxbridge` when run as root on a host with its tools
 * (it then makes real bridges, taps and namespaces, with random ids, and
 * prunes them all afterwards).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkDriverError, type DriverNetwork, type DriverPort, type DriverRouter, type NetworkDriver } from './driver.js';
import { LinuxBridgeNetworkDriver } from './linuxbridge/index.js';
import { NoopNetworkDriver } from './noop.js';

const linuxBridgeSkip = process.getuid?.() !== 0 ? 'needs root' : false;

const drivers: Array<[string, () => NetworkDriver, string | false]> = [
  ['noop', () => new NoopNetworkDriver(), false],
  [
    'linuxbridge',
    () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-lb-contract-'));
      const driver = new LinuxBridgeNetworkDriver({ dataDir, metadataSocket: join(dataDir, 'metadata.sock') });
      after(async () => {
        await driver.prune({ networkIds: [], routerIds: [], portIds: [] }, 'host-a');
        rmSync(dataDir, { recursive: true, force: true });
      });
      return driver;
    },
    linuxBridgeSkip,
  ],
];

function fixtures() {
  const network: DriverNetwork = {
    id: randomUUID(),
    networkType: 'vxlan',
    physicalNetwork: null,
    segmentationId: 7,
    mtu: 1450,
    adminStateUp: true,
    external: false,
    subnets: [{ id: randomUUID(), ipVersion: 4, cidr: '10.0.0.0/24', gatewayIp: '10.0.0.1', enableDhcp: true, dnsNameservers: [], hostRoutes: [] }],
  };
  const port: DriverPort = {
    id: randomUUID(),
    networkId: network.id,
    macAddress: 'fa:16:3e:00:00:01',
    fixedIps: [{ subnetId: network.subnets[0]?.id ?? '', ipAddress: '10.0.0.5' }],
    deviceOwner: 'compute:nova',
    vnicType: 'normal',
    portSecurityEnabled: true,
    extraDhcpOpts: [{ name: 'bootfile-name', value: 'pxelinux.0', ipVersion: 4 }],
    allowedAddressPairs: [],
  };
  const external: DriverNetwork = {
    ...network,
    id: randomUUID(),
    external: true,
    networkType: 'flat',
    subnets: [{ id: randomUUID(), ipVersion: 4, cidr: '172.24.4.0/24', gatewayIp: '172.24.4.1', enableDhcp: false, dnsNameservers: [], hostRoutes: [] }],
  };
  const router: DriverRouter = {
    id: randomUUID(),
    gateway: {
      networkId: external.id,
      network: external,
      portId: randomUUID(),
      macAddress: 'fa:16:3e:00:00:09',
      ipAddresses: ['172.24.4.10'],
      enableSnat: true,
    },
    interfaces: [],
    routes: [],
    floatingIps: [],
  };
  return { network, port, router };
}

for (const [name, make, skip] of drivers) {
  describe(`network driver contract: ${name}`, { skip }, () => {
    test('stands for a DHCP and an L3 agent on the network host and an L2 agent on every port host', () => {
      const agents = make().agents();
      assert.deepEqual(
        agents.map((a) => [a.agentType, a.runsOn]),
        [
          ['DHCP agent', 'network-host'],
          ['L3 agent', 'network-host'],
          ['Linux bridge agent', 'port-host'],
        ],
      );
      assert.equal(new Set(agents.map((a) => a.binary)).size, agents.length);
    });

    test('bind, re-bind (idempotent), apply rules, unbind twice', async () => {
      const driver = make();
      const { network, port } = fixtures();
      const first = await driver.bindPort(port, network, 'host-a');
      assert.equal(first.hostId, 'host-a');
      assert.notEqual(first.vifType, 'unbound');
      assert.deepEqual(await driver.bindPort(port, network, 'host-a'), first);
      await driver.applySecurityGroups(port.id, [
        { direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefixes: ['0.0.0.0/0'] },
      ]);
      await driver.applySecurityGroups(port.id, null);
      await driver.updateDhcp(network, [port], 'host-a');
      await driver.unbindPort(port.id);
      await driver.unbindPort(port.id);
      await driver.unrealiseNetwork(network.id, 'host-a');
    });

    test('binding without a host fails with unknown-host', async () => {
      const driver = make();
      const { network, port } = fixtures();
      await assert.rejects(driver.bindPort(port, network, ''), (error: unknown) => error instanceof NetworkDriverError && error.code === 'unknown-host');
    });

    test('rules on an unbound port fail with not-realised', async () => {
      const driver = make();
      await assert.rejects(
        driver.applySecurityGroups(randomUUID(), []),
        (error: unknown) => error instanceof NetworkDriverError && error.code === 'not-realised',
      );
    });

    test('networks and routers: realise and remove idempotently', async () => {
      const driver = make();
      const { network, router } = fixtures();
      await driver.realiseNetwork(network, 'host-a');
      await driver.realiseNetwork(network, 'host-a');
      await driver.unrealiseNetwork(network.id, 'host-a');
      await driver.unrealiseNetwork(network.id, 'host-a');
      await driver.realiseRouter(router, 'host-a');
      await driver.realiseRouter(router, 'host-a');
      await driver.unrealiseRouter(router.id, 'host-a');
      await driver.unrealiseRouter(router.id, 'host-a');
      assert.equal(typeof driver.capabilities().routing, 'boolean');
    });

    test('port forwardings: apply, re-apply (an update), remove twice', async () => {
      const driver = make();
      const forwarding = {
        id: randomUUID(),
        routerId: randomUUID(),
        protocol: 'tcp',
        externalAddress: '172.24.4.20',
        externalPort: 2222,
        internalAddress: '10.0.0.5',
        internalPort: 22,
      };
      await driver.applyPortForwarding(forwarding, 'host-a');
      await driver.applyPortForwarding({ ...forwarding, internalPort: 2022 }, 'host-a');
      await driver.removePortForwarding(forwarding.id, 'host-a');
      await driver.removePortForwarding(forwarding.id, 'host-a');
      assert.equal(typeof driver.capabilities().portForwarding, 'boolean');
    });

    test('prune with nothing kept removes everything', async () => {
      const driver = make();
      const { network, port, router } = fixtures();
      await driver.bindPort(port, network, 'host-a');
      await driver.realiseRouter(router, 'host-a');
      await driver.prune({ networkIds: [], routerIds: [], portIds: [] }, 'host-a');
      await driver.prune({ networkIds: [], routerIds: [], portIds: [] }, 'host-a');
      await assert.rejects(driver.applySecurityGroups(port.id, []), (error: unknown) => error instanceof NetworkDriverError && error.code === 'not-realised');
      assert.equal(await driver.healthCheck(), null);
    });
  });
}

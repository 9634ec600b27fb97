/**
 * Restart safety and missing tools, on the host (root only): a second driver
 * on the same data dir (a restarted Nimbus) adopts the running dnsmasq and
 * metadata proxies instead of starting new ones; prune removes all of it;
 * a host without dnsmasq gets a `backend-failure` naming it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkDriverError, type DriverNetwork, type DriverPort, type DriverRouter } from '../driver.js';
import { LinuxBridgeNetworkDriver } from './index.js';
import { ourProcess } from './processes.js';

const skip = process.getuid?.() !== 0 ? 'needs root' : false;
const NOTHING = { networkIds: [], routerIds: [], portIds: [] };

function world() {
  const subnetId = randomUUID();
  const network: DriverNetwork = {
    id: randomUUID(),
    networkType: 'vxlan',
    physicalNetwork: null,
    segmentationId: 9,
    mtu: 1450,
    adminStateUp: true,
    external: false,
    subnets: [{ id: subnetId, ipVersion: 4, cidr: '10.66.0.0/24', gatewayIp: '10.66.0.1', enableDhcp: true, dnsNameservers: [], hostRoutes: [] }],
  };
  const dhcpPort: DriverPort = {
    id: randomUUID(),
    networkId: network.id,
    macAddress: 'fa:16:3e:66:00:02',
    fixedIps: [{ subnetId, ipAddress: '10.66.0.2' }],
    deviceOwner: 'network:dhcp',
    vnicType: 'normal',
    portSecurityEnabled: false,
    extraDhcpOpts: [],
    allowedAddressPairs: [],
  };
  const router: DriverRouter = {
    id: randomUUID(),
    gateway: null,
    routes: [],
    floatingIps: [],
    interfaces: [{ portId: randomUUID(), networkId: network.id, network, macAddress: 'fa:16:3e:66:00:01', ipAddress: '10.66.0.1', cidr: '10.66.0.0/24' }],
  };
  return { network, dhcpPort, router };
}

describe('linuxbridge: restart and host checks', { skip, timeout: 60_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-lb-restart-'));
  const options = { dataDir, metadataSocket: join(dataDir, 'metadata.sock') };
  after(async () => {
    await new LinuxBridgeNetworkDriver(options).prune(NOTHING, 'nimbus');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a restarted driver adopts dnsmasq and the proxies; prune stops them', async () => {
    const { network, dhcpPort, router } = world();
    const first = new LinuxBridgeNetworkDriver(options);
    await first.bindPort(dhcpPort, network, 'nimbus');
    await first.updateDhcp(network, [dhcpPort], 'nimbus');
    await first.realiseRouter(router, 'nimbus');
    const pidFiles = [
      join(first.state.networkDir(network.id), 'dnsmasq.pid'),
      join(first.state.networkDir(network.id), 'metadata-proxy.pid'),
      join(first.state.routerDir(router.id), 'metadata-proxy.pid'),
    ];
    // Without a router on the subnet yet, the DHCP namespace serves metadata (isolated); here the router is not in the port list.
    const pids = pidFiles.map((f) => readFileSync(f, 'utf8').trim());

    const second = new LinuxBridgeNetworkDriver(options);
    await second.bindPort(dhcpPort, network, 'nimbus');
    await second.updateDhcp(network, [dhcpPort], 'nimbus');
    await second.realiseRouter(router, 'nimbus');
    assert.deepEqual(
      pidFiles.map((f) => readFileSync(f, 'utf8').trim()),
      pids,
      'same processes, none duplicated',
    );

    await second.prune(NOTHING, 'nimbus');
    for (const [i, file] of pidFiles.entries()) assert.equal(await ourProcess(file, file), null, `helper ${pids[i]} stopped`);
  });

  test('without dnsmasq: healthCheck names it and a DHCP bind fails with backend-failure', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'nimbus-lb-bin-'));
    for (const tool of ['ip', 'iptables', 'iptables-restore', 'sysctl', 'sh'])
      symlinkSync(tool === 'sh' ? '/usr/bin/sh' : `/usr/sbin/${tool}`, join(bin, tool));
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      const driver = new LinuxBridgeNetworkDriver(options);
      assert.match((await driver.healthCheck()) ?? '', /"dnsmasq".*dnsmasq-base/);
      const { network, dhcpPort } = world();
      await assert.rejects(
        driver.bindPort(dhcpPort, network, 'nimbus'),
        (error: unknown) => error instanceof NetworkDriverError && error.code === 'backend-failure' && /dnsmasq/.test(error.message),
      );
    } finally {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

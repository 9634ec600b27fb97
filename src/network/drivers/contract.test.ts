/**
 * The network driver contract, run on every implementation available here:
 * `noop` always (the real Linux-bridge driver joins when it lands).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkDriverError, type DriverNetwork, type DriverPort, type NetworkDriver } from './driver.js';
import { NoopNetworkDriver } from './noop.js';

const drivers: Array<[string, () => NetworkDriver]> = [['noop', () => new NoopNetworkDriver()]];

const network: DriverNetwork = { id: 'net-1', networkType: 'vxlan', physicalNetwork: null, segmentationId: 7, mtu: 1450, adminStateUp: true };
const port: DriverPort = { id: 'port-1', networkId: 'net-1', macAddress: 'fa:16:3e:00:00:01', fixedIps: [{ subnetId: 's', ipAddress: '10.0.0.5' }], deviceOwner: 'compute:nova', vnicType: 'normal', portSecurityEnabled: true, extraDhcpOpts: [{ name: 'bootfile-name', value: 'pxelinux.0', ipVersion: 4 }] };

for (const [name, make] of drivers) {
  describe(`network driver contract: ${name}`, () => {
    test('bind, re-bind (idempotent), apply rules, unbind twice', async () => {
      const driver = make();
      const first = await driver.bindPort(port, network, 'host-a');
      assert.equal(first.hostId, 'host-a');
      assert.notEqual(first.vifType, 'unbound');
      assert.deepEqual(await driver.bindPort(port, network, 'host-a'), first);
      await driver.applySecurityGroups(port.id, [{ direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefixes: ['0.0.0.0/0'] }]);
      await driver.applySecurityGroups(port.id, null);
      await driver.unbindPort(port.id);
      await driver.unbindPort(port.id);
    });

    test('rules on an unbound port fail with not-realised', async () => {
      const driver = make();
      await assert.rejects(driver.applySecurityGroups('nope', []), (error: unknown) => error instanceof NetworkDriverError && error.code === 'not-realised');
    });

    test('networks and routers: realise and remove idempotently', async () => {
      const driver = make();
      await driver.realiseNetwork(network, 'host-a');
      await driver.realiseNetwork(network, 'host-a');
      await driver.unrealiseNetwork(network.id, 'host-a');
      await driver.unrealiseNetwork(network.id, 'host-a');
      const router = { id: 'r1', gateway: { networkId: 'pub', ipAddresses: ['172.24.4.10'], enableSnat: true }, interfaces: [], routes: [] };
      await driver.realiseRouter(router, 'host-a');
      await driver.realiseRouter(router, 'host-a');
      await driver.unrealiseRouter('r1', 'host-a');
      await driver.unrealiseRouter('r1', 'host-a');
      assert.equal(typeof driver.capabilities().routing, 'boolean');
    });

    test('port forwardings: apply, re-apply (an update), remove twice', async () => {
      const driver = make();
      const forwarding = { id: 'pf1', routerId: 'r1', protocol: 'tcp', externalAddress: '172.24.4.20', externalPort: 2222, internalAddress: '10.0.0.5', internalPort: 22 };
      await driver.applyPortForwarding(forwarding, 'host-a');
      await driver.applyPortForwarding({ ...forwarding, internalPort: 2022 }, 'host-a');
      await driver.removePortForwarding('pf1', 'host-a');
      await driver.removePortForwarding('pf1', 'host-a');
      assert.equal(typeof driver.capabilities().portForwarding, 'boolean');
    });
  });
}

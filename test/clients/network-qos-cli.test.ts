/**
 * QoS through Debian's `openstack` CLI on the noop driver: a policy, a
 * bandwidth-limit and a DSCP rule, rule types with details, a port given the
 * policy (`port set --qos-policy`) and what the driver is told to enforce,
 * then the policy unset and deleted. Skips where the CLI is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NoopNetworkDriver } from '../../src/network/drivers/noop.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { cliAs, openstack, openstackAvailable } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

type Row = Record<string, unknown>;

describe('openstack CLI: network QoS', { skip }, () => {
  let cloud: TestServer;
  const { json: admin, run: adminRun } = cliAs(() => cloud, 'nimbus');
  const driver = () => (cloud.server.services.network?.internals as { driver: NoopNetworkDriver }).driver;

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('qos policy create, rule create, rule type show, port set --qos-policy, unset, delete', async () => {
    const policy = await admin(['network', 'qos', 'policy', 'create', '--description', 'ten megabits', 'cli-limit']);
    assert.equal(policy.name, 'cli-limit');
    const limit = await admin([
      'network',
      'qos',
      'rule',
      'create',
      '--type',
      'bandwidth-limit',
      '--max-kbps',
      '10000',
      '--max-burst-kbits',
      '2000',
      '--egress',
      'cli-limit',
    ]);
    assert.equal(limit.max_kbps, 10000);
    assert.equal(limit.direction, 'egress');
    const dscp = await admin(['network', 'qos', 'rule', 'create', '--type', 'dscp-marking', '--dscp-mark', '26', 'cli-limit']);
    assert.equal(dscp.dscp_mark, 26);
    const rules = await admin<Row[]>(['network', 'qos', 'rule', 'list', 'cli-limit']);
    assert.equal(rules.length, 2);

    const types = await admin<Row[]>(['network', 'qos', 'rule', 'type', 'list']);
    assert.deepEqual(types.map((t) => t.Type).sort(), ['bandwidth_limit', 'dscp_marking']);
    const details = await admin(['network', 'qos', 'rule', 'type', 'show', 'bandwidth_limit']);
    assert.match(JSON.stringify(details.drivers), /max_kbps/);

    const port = await admin(['port', 'create', '--network', 'public', '--host', 'compute-1', 'qos-port']);
    await adminRun(['port', 'set', '--qos-policy', 'cli-limit', 'qos-port']);
    assert.equal((await admin(['port', 'show', 'qos-port'])).qos_policy_id, policy.id);
    assert.deepEqual(driver().qos.get(String(port.id)), { bandwidthLimits: [{ direction: 'egress', maxKbps: 10000, maxBurstKbps: 2000 }], dscpMark: 26 });

    await adminRun(['network', 'qos', 'rule', 'set', '--max-kbps', '5000', 'cli-limit', String(limit.id)]);
    assert.equal(driver().qos.get(String(port.id))?.bandwidthLimits[0]?.maxKbps, 5000);
    const inUse = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', 'network', 'qos', 'policy', 'delete', 'cli-limit']);
    assert.notEqual(inUse.code, 0);

    await adminRun(['port', 'unset', '--qos-policy', 'qos-port']);
    assert.equal(driver().qos.has(String(port.id)), false);
    await adminRun(['network', 'qos', 'policy', 'delete', 'cli-limit']);
    assert.deepEqual(await admin<Row[]>(['network', 'qos', 'policy', 'list']), []);
    await adminRun(['port', 'delete', 'qos-port']);
  });
});

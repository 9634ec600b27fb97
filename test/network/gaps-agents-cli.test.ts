/**
 * Agents, their DHCP scheduling and metering labels through Debian's
 * `openstack` CLI, as an admin. Skips (saying why) where
 * python3-openstackclient is not installed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openstack, openstackAvailable, openstackJson } from '../clients/openstack.js';
import { startTestServer, type TestServer } from '../support/server.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

type Row = Record<string, unknown>;

describe('openstack CLI: network agents and metering', { skip }, () => {
  let cloud: TestServer;
  const admin = <T>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('network agent list / show / set, and the DHCP agents of a network', async () => {
    const agents = await admin<Row[]>(['network', 'agent', 'list']);
    assert.deepEqual(agents.map((a) => a['Agent Type']).sort(), ['DHCP agent', 'L3 agent', 'Linux bridge agent']);
    assert.ok(
      agents.every((a) => a.Alive === true && a.State === true),
      JSON.stringify(agents),
    );
    const dhcp = agents.find((a) => a['Agent Type'] === 'DHCP agent') as Row;
    const set = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', 'network', 'agent', 'set', '--description', 'dnsmasq', String(dhcp.ID)]);
    assert.equal(set.code, 0, set.stderr);
    assert.equal((await admin<Row>(['network', 'agent', 'show', String(dhcp.ID)])).description, 'dnsmasq');
    const hosting = await admin<Row[]>(['network', 'agent', 'list', '--network', 'private']);
    assert.deepEqual(
      hosting.map((a) => a.ID),
      [dhcp.ID],
    );
  });

  test('network meter create / rule create / list / delete', async () => {
    const meter = await admin<Row>(['network', 'meter', 'create', '--description', 'web', 'web']);
    const rule = await admin<Row>(['network', 'meter', 'rule', 'create', '--remote-ip-prefix', '10.0.0.0/24', '--ingress', String(meter.id)]);
    assert.equal(rule.metering_label_id, meter.id);
    const rules = await admin<Row[]>(['network', 'meter', 'rule', 'list']);
    assert.ok(rules.some((r) => r.ID === rule.id));
    const removed = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', 'network', 'meter', 'delete', String(meter.id)]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(await admin<Row[]>(['network', 'meter', 'list']), []);
  });
});

/**
 * Segments through Debian's `openstack` CLI, as an admin: `network segment
 * create / list / show / set / delete` on a network, and `subnet create
 * --network-segment` putting a subnet on one. Skips where the CLI is not
 * installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { cliAs, openstack, openstackAvailable } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

type Row = Record<string, unknown>;

describe('openstack CLI: network segments', { skip }, () => {
  let cloud: TestServer;
  const { json: admin, run: adminRun } = cliAs(() => cloud, 'nimbus');

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('network segment create / list / show / set, a subnet on it, then delete', async () => {
    const network = await admin(['network', 'create', 'routed']);
    const segment = await admin([
      'network',
      'segment',
      'create',
      '--network',
      'routed',
      '--network-type',
      'vlan',
      '--physical-network',
      'physnet1',
      '--segment',
      '2100',
      '--description',
      'rack 1',
      'rack-1',
    ]);
    assert.equal(segment.network_id, network.id);
    assert.equal(segment.segmentation_id, 2100);
    assert.equal(segment.physical_network, 'physnet1');

    const listed = await admin<Row[]>(['network', 'segment', 'list', '--network', 'routed']);
    assert.deepEqual(listed.map((s) => s['Network Type']).sort(), ['vlan', 'vxlan']);
    assert.ok(listed.some((s) => s.ID === segment.id && s.Name === 'rack-1'));

    await adminRun(['network', 'segment', 'set', '--name', 'rack-one', '--description', 'first rack', String(segment.id)]);
    const shown = await admin(['network', 'segment', 'show', 'rack-one']);
    assert.equal(shown.description, 'first rack');
    assert.equal(shown.id, segment.id);

    const provider = listed.find((s) => s.ID !== segment.id) as Row;
    const first = await admin([
      'subnet',
      'create',
      '--network',
      'routed',
      '--network-segment',
      String(provider.ID),
      '--subnet-range',
      '10.71.0.0/24',
      'rack-0-subnet',
    ]);
    assert.equal(first.segment_id, provider.ID);
    const subnet = await admin(['subnet', 'create', '--network', 'routed', '--network-segment', 'rack-one', '--subnet-range', '10.71.1.0/24', 'rack-1-subnet']);
    assert.equal(subnet.segment_id, segment.id);

    const refused = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', 'network', 'segment', 'delete', String(segment.id)]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /still associated with subnet/);
    await adminRun(['subnet', 'delete', 'rack-1-subnet']);
    await adminRun(['network', 'segment', 'delete', String(segment.id)]);
    const left = await admin<Row[]>(['network', 'segment', 'list', '--network', 'routed']);
    assert.deepEqual(
      left.map((s) => s.ID),
      [provider.ID],
    );
  });
});

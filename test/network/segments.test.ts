/**
 * Segments through the API (segment, standard-attr-segment): admin-only
 * create, read, update and delete; the provider segment every network has;
 * segmentation id checks per type and uniqueness; subnets on segments
 * (routed networks) with Neutron's all-or-none rule and SegmentInUse.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectError, useCloud } from './support.js';

type Obj = Record<string, unknown> & { id: string };

describe('network: segments', () => {
  const cloud = useCloud();
  const admin = (method: string, path: string, body?: unknown) => cloud.call(method, path, body, cloud.admin);
  const network = async (body: Record<string, unknown> = {}) => {
    const made = await admin('POST', '/v2.0/networks', { network: { name: 'routed', ...body } });
    assert.equal(made.status, 201, made.text);
    return made.body.network as Obj;
  };
  const segment = async (body: Record<string, unknown>) => {
    const made = await admin('POST', '/v2.0/segments', { segment: body });
    assert.equal(made.status, 201, made.text);
    return made.body.segment as Obj;
  };
  const segmentsOf = async (networkId: string) => (await admin('GET', `/v2.0/segments?network_id=${networkId}`)).body.segments as Obj[];

  test('the extensions are listed', async () => {
    const aliases = (await cloud.call('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    for (const alias of ['segment', 'standard-attr-segment']) assert.ok(aliases.includes(alias), alias);
  });

  test("a network's provider attributes are its first segment", async () => {
    const net = await network({ 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 150 });
    const [first, ...rest] = await segmentsOf(net.id);
    assert.equal(rest.length, 0);
    assert.deepEqual(Object.keys(first ?? {}).sort(), [
      'created_at',
      'description',
      'id',
      'name',
      'network_id',
      'network_type',
      'physical_network',
      'revision_number',
      'segmentation_id',
      'updated_at',
    ]);
    assert.equal(first?.network_type, 'vlan');
    assert.equal(first?.physical_network, 'physnet1');
    assert.equal(first?.segmentation_id, 150);
    assert.equal(first?.name, null);
    expectError(await admin('DELETE', `/v2.0/segments/${first?.id}`), 409, 'SegmentInUse');
    assert.equal((await admin('DELETE', `/v2.0/networks/${net.id}`)).status, 204);
    expectError(await admin('GET', `/v2.0/segments/${first?.id}`), 404, 'SegmentNotFound');
  });

  test('create, show, update (name and description only), list with filters and fields, delete', async () => {
    const net = await network();
    const made = await segment({ network_id: net.id, network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 2000, name: 'rack-2' });
    assert.equal(made.segmentation_id, 2000);
    assert.equal(made.description, null);
    assert.equal(made.revision_number, 0);
    const shown = (await admin('GET', `/v2.0/segments/${made.id}?fields=name&fields=segmentation_id`)).body.segment;
    assert.deepEqual(shown, { name: 'rack-2', segmentation_id: 2000 });
    const updated = await admin('PUT', `/v2.0/segments/${made.id}`, { segment: { name: 'rack-two', description: 'second rack' } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.segment.description, 'second rack');
    assert.equal(updated.body.segment.revision_number, 1);
    expectError(await admin('PUT', `/v2.0/segments/${made.id}`, { segment: { segmentation_id: 2001 } }), 400, 'HTTPBadRequest');
    const byName = (await admin('GET', '/v2.0/segments?name=rack-two')).body.segments as Obj[];
    assert.deepEqual(
      byName.map((s) => s.id),
      [made.id],
    );
    const sorted = (await admin('GET', `/v2.0/segments?network_id=${net.id}&sort_key=segmentation_id&sort_dir=desc`)).body.segments as Obj[];
    assert.equal(sorted[0]?.id, made.id);
    const paged = await admin('GET', `/v2.0/segments?network_id=${net.id}&limit=1`);
    assert.equal(paged.body.segments.length, 1);
    assert.ok(paged.body.segments_links.length > 0);
    assert.equal((await admin('DELETE', `/v2.0/segments/${made.id}`)).status, 204);
    expectError(await admin('GET', `/v2.0/segments/${made.id}`), 404, 'SegmentNotFound');
    // Its VLAN is free again.
    await segment({ network_id: net.id, network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 2000 });
  });

  test('segmentation ids are checked per type and taken once', async () => {
    const net = await network();
    const refuse = async (body: Record<string, unknown>, status: number, type: string) =>
      expectError(await admin('POST', '/v2.0/segments', { segment: { network_id: net.id, ...body } }), status, type);
    await refuse({ network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 4095 }, 400, 'InvalidInput');
    await refuse({ network_type: 'vxlan', segmentation_id: 16777216 }, 400, 'InvalidInput');
    await refuse({ network_type: 'vxlan', physical_network: 'physnet1', segmentation_id: 5 }, 400, 'InvalidInput');
    await refuse({ network_type: 'flat', physical_network: 'flat-a', segmentation_id: 5 }, 400, 'InvalidInput');
    await refuse({ network_type: 'flat' }, 400, 'InvalidInput');
    await refuse({ network_type: 'token-ring' }, 400, 'InvalidInput');
    await refuse({ segmentation_id: 5 }, 400, 'HTTPBadRequest');
    expectError(await admin('POST', '/v2.0/segments', { segment: { network_type: 'vxlan' } }), 400, 'HTTPBadRequest');
    expectError(
      await admin('POST', '/v2.0/segments', { segment: { network_id: '6a6a1a7e-0e9c-4b8f-9a55-2d3c1f2b9e10', network_type: 'vxlan' } }),
      404,
      'NetworkNotFound',
    );
    const vxlan = await segment({ network_id: net.id, network_type: 'vxlan', segmentation_id: 700000 });
    assert.equal(vxlan.physical_network, null);
    await refuse({ network_type: 'vxlan', segmentation_id: 700000 }, 409, 'TunnelIdInUse');
    const vlan = await segment({ network_id: net.id, network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 3000 });
    const taken = await admin('POST', '/v2.0/segments', {
      segment: { network_id: net.id, network_type: 'vlan', physical_network: 'physnet1', segmentation_id: 3000 },
    });
    expectError(taken, 409, 'VlanIdInUse');
    assert.equal(
      taken.body.NeutronError.message,
      `Unable to create the network. The VLAN ${String(vlan.segmentation_id)} on physical network physnet1 is in use.`,
    );
    await segment({ network_id: net.id, network_type: 'flat', physical_network: 'flat-a' });
    await refuse({ network_type: 'flat', physical_network: 'flat-a' }, 409, 'FlatNetworkInUse');
    const allocated = await segment({ network_id: net.id, network_type: 'vlan' });
    assert.equal(allocated.physical_network, 'physnet1');
    assert.ok(Number(allocated.segmentation_id) >= 100 && Number(allocated.segmentation_id) <= 199);
  });

  test('only admins see or change segments', async () => {
    const net = await network();
    const made = await segment({ network_id: net.id, network_type: 'vxlan' });
    expectError(await cloud.call('POST', '/v2.0/segments', { segment: { network_id: net.id, network_type: 'vxlan' } }), 403, 'PolicyNotAuthorized');
    assert.deepEqual((await cloud.call('GET', '/v2.0/segments')).body.segments, []);
    expectError(await cloud.call('GET', `/v2.0/segments/${made.id}`), 404, 'SegmentNotFound');
    expectError(await cloud.call('PUT', `/v2.0/segments/${made.id}`, { segment: { name: 'x' } }), 404, 'SegmentNotFound');
    expectError(await cloud.call('DELETE', `/v2.0/segments/${made.id}`), 404, 'SegmentNotFound');
  });

  test('subnets on segments: all or none, of their own network, and a segment with subnets stays', async () => {
    const net = await network();
    const other = await network();
    const [first] = await segmentsOf(net.id);
    const second = await segment({ network_id: net.id, network_type: 'vxlan' });
    const subnet = (body: Record<string, unknown>, token = cloud.admin) =>
      cloud.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, ...body } }, token);
    const onFirst = await subnet({ cidr: '10.61.1.0/24', segment_id: first?.id });
    assert.equal(onFirst.status, 201, onFirst.text);
    assert.equal(onFirst.body.subnet.segment_id, first?.id);
    const onSecond = await subnet({ cidr: '10.61.2.0/24', segment_id: second.id });
    assert.equal(onSecond.status, 201, onSecond.text);
    assert.equal((await admin('GET', `/v2.0/networks/${net.id}`)).body.network.l2_adjacency, false);
    assert.equal((await admin('GET', `/v2.0/networks/${other.id}`)).body.network.l2_adjacency, true);
    const without = await subnet({ cidr: '10.61.3.0/24' });
    expectError(without, 400, 'SubnetsNotAllAssociatedWithSegments');
    assert.equal(
      without.body.NeutronError.message,
      `All of the subnets on network '${net.id}' must either all be associated with segments or all not associated with any segment.`,
    );
    const [otherSegment] = await segmentsOf(other.id);
    expectError(await subnet({ cidr: '10.61.4.0/24', segment_id: otherSegment?.id }), 400, 'NetworkIdsDontMatch');
    expectError(await subnet({ cidr: '10.61.4.0/24', segment_id: '6a6a1a7e-0e9c-4b8f-9a55-2d3c1f2b9e10' }), 404, 'SegmentNotFound');
    const plain = await cloud.call('POST', '/v2.0/subnets', { subnet: { network_id: other.id, ip_version: 4, cidr: '10.62.0.0/24' } }, cloud.admin);
    assert.equal(plain.status, 201, plain.text);
    const mixed = await cloud.call(
      'POST',
      '/v2.0/subnets',
      { subnet: { network_id: other.id, ip_version: 4, cidr: '10.62.1.0/24', segment_id: otherSegment?.id } },
      cloud.admin,
    );
    expectError(mixed, 400, 'SubnetsNotAllAssociatedWithSegments');
    const inUse = await admin('DELETE', `/v2.0/segments/${second.id}`);
    expectError(inUse, 409, 'SegmentInUse');
    assert.equal(
      inUse.body.NeutronError.message,
      `Segment '${second.id}' cannot be deleted: The segment is still associated with subnet(s) ${onSecond.body.subnet.id}.`,
    );
    assert.equal((await admin('DELETE', `/v2.0/subnets/${onSecond.body.subnet.id}`)).status, 204);
    assert.equal((await admin('DELETE', `/v2.0/segments/${second.id}`)).status, 204);
    expectError(await admin('PUT', `/v2.0/subnets/${onFirst.body.subnet.id}`, { subnet: { segment_id: null } }), 400, 'HTTPBadRequest');
  });

  test("ports take addresses on the provider segment's subnets only, the one the host is connected to", async () => {
    const net = await network();
    const [first] = await segmentsOf(net.id);
    const second = await segment({ network_id: net.id, network_type: 'vxlan' });
    const subnet = async (cidr: string, segmentId: unknown) => {
      const made = await admin('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr, segment_id: segmentId } });
      assert.equal(made.status, 201, made.text);
      return made.body.subnet as Obj;
    };
    const far = await subnet('10.64.2.0/24', second.id);
    const near = await subnet('10.64.1.0/24', first?.id);
    const port = await admin('POST', '/v2.0/ports', { port: { network_id: net.id } });
    assert.equal(port.status, 201, port.text);
    assert.deepEqual(
      port.body.port.fixed_ips.map((f: { subnet_id: string }) => f.subnet_id),
      [near.id],
    );
    const refused = await admin('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: far.id }] } });
    expectError(refused, 409, 'HostNotCompatibleWithFixedIps');
    const moved = await admin('PUT', `/v2.0/ports/${port.body.port.id}`, { port: { fixed_ips: [{ subnet_id: far.id }] } });
    expectError(moved, 409, 'HostNotCompatibleWithFixedIps');
  });

  test('members may not put subnets on segments', async () => {
    const mine = (await cloud.call('POST', '/v2.0/networks', { network: { name: 'own' } })).body.network as Obj;
    const [own] = await segmentsOf(mine.id);
    const refused = await cloud.call('POST', '/v2.0/subnets', { subnet: { network_id: mine.id, ip_version: 4, cidr: '10.63.0.0/24', segment_id: own?.id } });
    expectError(refused, 403, 'PolicyNotAuthorized');
    const plain = await cloud.call('POST', '/v2.0/subnets', { subnet: { network_id: mine.id, ip_version: 4, cidr: '10.63.0.0/24' } });
    assert.equal(plain.status, 201, plain.text);
    assert.ok(!('segment_id' in plain.body.subnet), 'members do not see segment_id');
    assert.equal((await admin('GET', `/v2.0/subnets/${plain.body.subnet.id}`)).body.subnet.segment_id, null);
  });
});

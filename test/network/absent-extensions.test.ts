/** What Nimbus's Neutron does not offer answers as a Neutron without the extension: segments. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, useCloud } from './support.js';

describe('network: extensions not offered', () => {
  const cloud = useCloud();
  const call = cloud.call;

  test('segment is not listed, its collection is 404', async () => {
    const aliases = (await call('GET', '/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    for (const alias of ['segment', 'standard-attr-segment', 'multi-provider']) assert.ok(!aliases.includes(alias), alias);
    assert.equal((await call('GET', '/v2.0/segments', undefined, cloud.admin)).status, 404);
  });

  test('a subnet cannot be put on a segment', async () => {
    const network = (await call('POST', '/v2.0/networks', { network: { name: 'unsegmented' } })).body.network;
    const subnet = { network_id: network.id, ip_version: 4, cidr: '10.77.0.0/24' };
    const refused = await call('POST', '/v2.0/subnets', { subnet: { ...subnet, segment_id: '6a6a1a7e-0e9c-4b8f-9a55-2d3c1f2b9e10' } }, cloud.admin);
    expectError(refused, 400, 'HTTPBadRequest');
    assert.equal(refused.body.NeutronError.message, "Unrecognized attribute(s) 'segment_id'");
    const plain = await call('POST', '/v2.0/subnets', { subnet: { ...subnet, segment_id: null } });
    assert.equal(plain.status, 201, plain.text);
    assert.equal(plain.body.subnet.segment_id, null);
  });
});

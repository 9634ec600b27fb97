/**
 * Quotas under concurrency: 30 creates at once against a quota with room for
 * 3 make exactly 3 resources, the rest get 409 OverQuota, and the usage the
 * quota API reports is what exists (networks, ports, floating IPs, security
 * groups), on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { expectError, onBothDatabases, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

const CONCURRENT = 30;
const ROOM = 3;

onBothDatabases((database, start, skip) => {
  describe(`network: quotas hold under concurrent creates (${database})`, { skip }, () => {
    const cloud = useCloud(start);
    let project = '';
    let network = '';
    let publicNetwork = '';

    before(async () => {
      const made = await cloud.call('POST', '/v2.0/networks', { network: { name: 'race-net' } });
      assert.equal(made.status, 201, made.text);
      network = (made.body as Body).network.id;
      project = (made.body as Body).network.project_id;
      const subnet = await cloud.call('POST', '/v2.0/subnets', { subnet: { network_id: network, cidr: '10.93.0.0/24', ip_version: 4 } });
      assert.equal(subnet.status, 201, subnet.text);
      publicNetwork = ((await cloud.call('GET', '/v2.0/networks?name=public')).body as Body).networks[0].id;
    });

    const usage = async (resource: string): Promise<{ used: number; limit: number }> => {
      const details = await cloud.call('GET', `/v2.0/quotas/${project}/details`, undefined, cloud.admin);
      assert.equal(details.status, 200, details.text);
      return (details.body as Body).quota[resource];
    };

    /** Leaves room for ROOM more, fires CONCURRENT creates at once, and checks the outcome. */
    const race = async (resource: string, collection: string, body: () => unknown) => {
      const { used } = await usage(resource);
      const limited = await cloud.call('PUT', `/v2.0/quotas/${project}`, { quota: { [resource]: used + ROOM } }, cloud.admin);
      assert.equal(limited.status, 200, limited.text);
      const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => cloud.call('POST', `/v2.0/${collection}`, body())));
      const created = responses.filter((r) => r.status === 201);
      assert.equal(created.length, ROOM, responses.map((r) => `${r.status} ${r.text.slice(0, 120)}`).join('\n'));
      for (const refused of responses.filter((r) => r.status !== 201)) expectError(refused, 409, 'OverQuota');
      assert.deepEqual(await usage(resource), { used: used + ROOM, limit: used + ROOM, reserved: 0 });
      // The quota counts every row the project owns, as Neutron: DHCP and router interface ports, the default group.
      const listed = ((await cloud.call('GET', `/v2.0/${collection}?project_id=${project}`)).body as Body)[collection.replaceAll('-', '_')] as Body[];
      assert.equal(listed.length, used + ROOM, `${collection} that exist match the usage`);
    };

    test('networks', () => race('network', 'networks', () => ({ network: { name: 'racer' } })));
    test('ports', () => race('port', 'ports', () => ({ port: { network_id: network } })));
    test('floating IPs', () => race('floatingip', 'floatingips', () => ({ floatingip: { floating_network_id: publicNetwork } })));
    test('security groups', () => race('security_group', 'security-groups', () => ({ security_group: { name: 'racer' } })));
  });
});

/**
 * Quota usage counts every row a project owns, as Neutron's: DHCP and router
 * interface ports, user ports with a `network:*` owner, the default security
 * group and its rules. Only API requests are refused over the limit.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { expectError, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

describe('network: quota usage counts what the project owns', () => {
  const cloud = useCloud();
  let project = '';

  const used = async (): Promise<Record<string, number>> => {
    const details = await cloud.call('GET', `/v2.0/quotas/${project}/details`, undefined, cloud.admin);
    assert.equal(details.status, 200, details.text);
    return Object.fromEntries(Object.entries(details.body.quota as Record<string, Body>).map(([resource, value]) => [resource, value.used as number]));
  };
  const listed = async (collection: string): Promise<number> => {
    const response = await cloud.call('GET', `/v2.0/${collection}?project_id=${project}`, undefined, cloud.admin);
    assert.equal(response.status, 200, response.text);
    return (response.body[collection.replaceAll('-', '_')] as Body[]).length;
  };
  const expectUsageMatchesListings = async () => {
    const usage = await used();
    assert.equal(usage.port, await listed('ports'), 'ports');
    assert.equal(usage.security_group, await listed('security-groups'), 'security groups');
    assert.equal(usage.security_group_rule, await listed('security-group-rules'), 'security group rules');
    assert.equal(usage.network, await listed('networks'), 'networks');
    return usage;
  };

  before(async () => {
    const token = await cloud.call('GET', '/v2.0/quotas/project');
    project = token.body.project.project_id as string;
  });

  test("the bootstrap's DHCP and router interface ports and the default group are counted", async () => {
    await cloud.call('GET', '/v2.0/security-groups');
    const usage = await expectUsageMatchesListings();
    assert.ok(usage.security_group >= 1, 'the default group is counted');
    assert.ok(usage.port >= 2, "private's DHCP port and router1's interface are counted");
  });

  test('a network, its DHCP port and a network:* port come and go with their usage', async () => {
    const before = await used();
    const network = (await cloud.call('POST', '/v2.0/networks', { network: { name: 'counted' } })).body.network.id as string;
    const subnet = await cloud.call('POST', '/v2.0/subnets', { subnet: { network_id: network, cidr: '10.77.0.0/24', ip_version: 4 } });
    assert.equal(subnet.status, 201, subnet.text);
    const port = await cloud.call('POST', '/v2.0/ports', { port: { network_id: network, device_owner: 'network:custom' } });
    assert.equal(port.status, 201, port.text);
    const during = await expectUsageMatchesListings();
    assert.equal(during.network, before.network + 1);

    assert.equal((await cloud.call('DELETE', `/v2.0/ports/${port.body.port.id}`)).status, 204);
    assert.equal((await used()).port, during.port - 1, "the network:* port's delete gives its count back");
    assert.equal((await cloud.call('DELETE', `/v2.0/networks/${network}`)).status, 204);
    assert.deepEqual(await used(), before);
  });

  test('internal ports are counted past the limit, user ports are refused at it', async () => {
    const network = (await cloud.call('POST', '/v2.0/networks', { network: { name: 'at-limit' } })).body.network.id as string;
    const limit = (await used()).port;
    assert.equal((await cloud.call('PUT', `/v2.0/quotas/${project}`, { quota: { port: limit } }, cloud.admin)).status, 200);
    try {
      const subnet = await cloud.call('POST', '/v2.0/subnets', { subnet: { network_id: network, cidr: '10.78.0.0/24', ip_version: 4 } });
      assert.equal(subnet.status, 201, subnet.text);
      const usage = await expectUsageMatchesListings();
      assert.equal(usage.port, limit + 1, 'the DHCP port is counted over the limit');
      expectError(await cloud.call('POST', '/v2.0/ports', { port: { network_id: network } }), 409, 'OverQuota');
    } finally {
      await cloud.call('DELETE', `/v2.0/quotas/${project}`, undefined, cloud.admin);
      await cloud.call('DELETE', `/v2.0/networks/${network}`);
    }
  });

  test('a project with limits of its own is listed even when it owns nothing', async () => {
    const fresh = 'a0a0a0a0b1b1c2c2d3d3e4e4e4e4e4e4';
    assert.equal((await cloud.call('PUT', `/v2.0/quotas/${fresh}`, { quota: { network: 0, port: 0 } }, cloud.admin)).status, 200);
    const listed = (await cloud.call('GET', '/v2.0/quotas', undefined, cloud.admin)).body.quotas as Body[];
    const row = listed.find((q) => q.project_id === fresh);
    assert.equal(row?.network, 0);
    assert.equal(row?.port, 0);
    assert.equal((await cloud.call('DELETE', `/v2.0/quotas/${fresh}`, undefined, cloud.admin)).status, 204);
    assert.ok(!((await cloud.call('GET', '/v2.0/quotas', undefined, cloud.admin)).body.quotas as Body[]).some((q) => q.project_id === fresh));
  });

  test("deleting a project's unused default group (admin) gives its counts back", async () => {
    const groups = await cloud.call('GET', `/v2.0/security-groups?project_id=${project}&name=default`, undefined, cloud.admin);
    const group = groups.body.security_groups[0] as Body;
    const before = await used();
    assert.equal((await cloud.call('DELETE', `/v2.0/security-groups/${group.id}`, undefined, cloud.admin)).status, 204);
    const after = await used();
    assert.equal(after.security_group, before.security_group - 1);
    assert.equal(after.security_group_rule, before.security_group_rule - 4);
  });
});

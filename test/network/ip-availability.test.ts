/** Network IP availability (admin), and the availability zones listed. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useCloud } from './support.js';

describe('network: IP availability and availability zones', () => {
  const cloud = useCloud();
  const call = cloud.call;

  test('per network and subnet: pool sizes and allocated addresses, filters, IPv6 totals exact', async () => {
    const net = (await call('POST', '/v2.0/networks', { network: { name: 'avail' } })).body.network;
    const v4 = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.77.0.0/28', enable_dhcp: false, name: 'v4' } }))
      .body.subnet;
    const v6 = (
      await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 6, cidr: '2001:db8:77::/64', enable_dhcp: false, name: 'v6' } })
    ).body.subnet;
    for (let i = 0; i < 3; i++) assert.equal((await call('POST', '/v2.0/ports', { port: { network_id: net.id } })).status, 201);
    const empty = (await call('POST', '/v2.0/networks', { network: { name: 'avail-empty' } })).body.network;

    const shown = await call('GET', `/v2.0/network-ip-availabilities/${net.id}`, undefined, cloud.admin);
    assert.equal(shown.status, 200, shown.text);
    const availability = shown.body.network_ip_availability;
    assert.equal(availability.network_id, net.id);
    assert.equal(availability.network_name, 'avail');
    assert.equal(availability.project_id, net.project_id);
    assert.equal(availability.tenant_id, net.project_id);
    const byId = new Map(availability.subnet_ip_availability.map((s: { subnet_id: string }) => [s.subnet_id, s]));
    // /28: 16 addresses less network, broadcast and gateway = 13 in the pool; each port took one.
    assert.deepEqual(byId.get(v4.id), { subnet_id: v4.id, subnet_name: 'v4', ip_version: 4, cidr: '10.77.0.0/28', total_ips: 13, used_ips: 3 });
    // The raw body carries the IPv6 total exactly: 2^64 - 2 (network address and gateway left out).
    assert.match(shown.text, /"total_ips":18446744073709551614[,}]/);
    assert.equal((byId.get(v6.id) as { used_ips: number }).used_ips, 3);
    assert.equal(availability.used_ips, 6);
    assert.match(shown.text, /"total_ips":18446744073709551627[,}]/, 'network total = 13 + 2^64 - 2');

    const list = await call('GET', '/v2.0/network-ip-availabilities', undefined, cloud.admin);
    assert.equal(list.status, 200);
    const listed = list.body.network_ip_availabilities.map((n: { network_id: string }) => n.network_id);
    assert.ok(listed.includes(net.id) && listed.includes(empty.id));
    const emptyRow = list.body.network_ip_availabilities.find((n: { network_id: string }) => n.network_id === empty.id);
    assert.deepEqual([emptyRow.total_ips, emptyRow.used_ips, emptyRow.subnet_ip_availability], [0, 0, []]);

    const byName = (await call('GET', '/v2.0/network-ip-availabilities?network_name=avail', undefined, cloud.admin)).body.network_ip_availabilities;
    assert.deepEqual(
      byName.map((n: { network_id: string }) => n.network_id),
      [net.id],
    );
    const v4only = (await call('GET', `/v2.0/network-ip-availabilities?ip_version=4&network_id=${net.id}&network_id=${empty.id}`, undefined, cloud.admin)).body
      .network_ip_availabilities;
    assert.equal(v4only.length, 1, 'a network without IPv4 subnets drops out');
    assert.deepEqual(
      v4only[0].subnet_ip_availability.map((s: { subnet_id: string }) => s.subnet_id),
      [v4.id],
    );
    assert.equal(v4only[0].total_ips, 13);
    const fields = (await call('GET', `/v2.0/network-ip-availabilities/${net.id}?fields=network_id&fields=used_ips`, undefined, cloud.admin)).body
      .network_ip_availability;
    assert.deepEqual(fields, { network_id: net.id, used_ips: 6 });
  });

  test("admin only: a member lists nothing and is told a network's availability does not exist; unknown network 404", async () => {
    const net = (await call('POST', '/v2.0/networks', { network: { name: 'mine' } })).body.network;
    const list = await call('GET', '/v2.0/network-ip-availabilities');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.network_ip_availabilities, []);
    const show = await call('GET', `/v2.0/network-ip-availabilities/${net.id}`);
    assert.equal(show.status, 404);
    const missing = await call('GET', '/v2.0/network-ip-availabilities/no-such-network', undefined, cloud.admin);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.NeutronError.type, 'NetworkNotFound');
  });

  test('the extension is listed; availability zones are listed', async () => {
    const aliases = (await call('GET', '/v2.0/extensions', undefined, cloud.admin)).body.extensions.map((e: { alias: string }) => e.alias);
    assert.ok(aliases.includes('network-ip-availability'));
    const zones = (await call('GET', '/v2.0/availability_zones')).body.availability_zones;
    assert.deepEqual(zones.map((z: { name: string; resource: string; state: string }) => `${z.name}/${z.resource}/${z.state}`).sort(), [
      'nova/network/available',
      'nova/router/available',
    ]);
  });
});

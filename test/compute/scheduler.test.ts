/**
 * The scheduler at scale: 1,000 fake hypervisors with 2 vCPUs each (no
 * overcommit), 50 of them in the availability zone `az1`, and 2,000
 * POST /servers sent at once:
 * - 80 into `az1` as members of an anti-affinity group: one per zone host
 *   fits the policy, 30 must fail;
 * - 1,920 into the default zone `nova` (950 hosts, 1,900 vCPUs), 40 of them
 *   members of a second anti-affinity group: 20 must fail for room.
 * Every allocation in Placement must stay within its provider's inventory,
 * no two members of a group may share a host, and every server that did not
 * fit ends in ERROR with Nova's "No valid host" fault and no allocation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startComputeCloud, type ComputeCloud } from './support.js';
import type { Json } from '../support/json.js';

const HOSTS = 1000;
const ZONE_HOSTS = 50;
const VCPUS_PER_HOST = 2;
const MEMORY_PER_HOST = 4096;
const ZONE_GROUP = 80;
const NOVA_GROUP = 40;
const NOVA_PLAIN = 1880;
const NOVA_CAPACITY = (HOSTS - ZONE_HOSTS) * VCPUS_PER_HOST;

type Server = Json;

/** Runs `fn` over `items` with at most `width` calls in flight (for the checks, not the creates). */
async function eachLimited<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

describe('compute: 2,000 concurrent creates on 1,000 hosts', () => {
  let c: ComputeCloud;
  let zoneGroup: string;
  let novaGroup: string;
  const kinds = new Map<string, 'zone-group' | 'nova-group' | 'nova'>();
  let servers: Server[] = [];
  let seconds = 0;

  before(async () => {
    c = await startComputeCloud((config) => {
      config.compute.fake.hosts = HOSTS;
      config.compute.fake.vcpus = VCPUS_PER_HOST;
      config.compute.fake.memory_mb = MEMORY_PER_HOST;
      config.compute.fake.disk_gb = 100;
      config.compute.cpu_allocation_ratio = 1;
      config.compute.ram_allocation_ratio = 1;
    });
    const projectId = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
    const unlimited = { instances: -1, cores: -1, ram: -1, server_group_members: -1 };
    assert.equal((await c.call('PUT', `/os-quota-sets/${projectId}`, { token: c.admin, body: { quota_set: unlimited } })).status, 200);
    const aggregate = await c.call('POST', '/os-aggregates', { token: c.admin, body: { aggregate: { name: 'zone-1', availability_zone: 'az1' } } });
    assert.equal(aggregate.status, 200, aggregate.text);
    for (let i = 1; i <= ZONE_HOSTS; i++) {
      const added = await c.call('POST', `/os-aggregates/${aggregate.body.aggregate.id}/action`, {
        token: c.admin,
        body: { add_host: { host: `nimbus-compute-${i}` } },
      });
      assert.equal(added.status, 200, added.text);
    }
    const group = async (name: string) => {
      const created = await c.call('POST', '/os-server-groups', { version: '2.64', body: { server_group: { name, policy: 'anti-affinity' } } });
      assert.equal(created.status, 200, created.text);
      return created.body.server_group.id as string;
    };
    zoneGroup = await group('spread-az1');
    novaGroup = await group('spread-nova');

    const kindsInOrder: Array<{ kind: 'zone-group' | 'nova-group' | 'nova'; zone: string; group?: string }> = [
      ...Array.from({ length: ZONE_GROUP }, () => ({ kind: 'zone-group' as const, zone: 'az1', group: zoneGroup })),
      ...Array.from({ length: NOVA_GROUP }, () => ({ kind: 'nova-group' as const, zone: 'nova', group: novaGroup })),
      ...Array.from({ length: NOVA_PLAIN }, () => ({ kind: 'nova' as const, zone: 'nova' })),
    ];
    // Interleaved (7919 is prime to 2,000, so this is a permutation): group members and plain servers race for the same hosts.
    const requests = kindsInOrder.map((_, i) => kindsInOrder[(i * 7919) % kindsInOrder.length] as (typeof kindsInOrder)[number]);
    const began = performance.now();
    const responses = await Promise.all(
      requests.map((r, i) =>
        c.call('POST', '/servers', {
          version: '2.37',
          body: {
            server: { name: `burst-${i}`, imageRef: c.imageId, flavorRef: '42', networks: 'none', availability_zone: r.zone },
            ...(r.group ? { 'os:scheduler_hints': { group: r.group } } : {}),
          },
        }),
      ),
    );
    responses.forEach((response, i) => {
      assert.equal(response.status, 202, response.text);
      kinds.set(response.body.server.id, (requests[i] as (typeof kindsInOrder)[number]).kind);
    });
    for (let i = 0; i < 2400; i++) {
      const building = await c.call('GET', '/servers?all_tenants=1&status=BUILD&limit=1', { token: c.admin });
      if (building.body.servers.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    seconds = (performance.now() - began) / 1000;
    for (let marker: string | undefined; ;) {
      const page = await c.call('GET', `/servers/detail?all_tenants=1&limit=1000${marker ? `&marker=${marker}` : ''}`, { token: c.admin, version: '2.3' });
      assert.equal(page.status, 200, page.text);
      servers.push(...page.body.servers);
      if (!page.body.servers_links) break;
      marker = page.body.servers.at(-1).id;
    }
    servers = servers.filter((s) => kinds.has(s.id));
  });
  after(() => c.close());

  const of = (kind: string, status: string) => servers.filter((s) => kinds.get(s.id) === kind && s.status === status);

  test('every create was answered and settled: ACTIVE or ERROR', () => {
    console.log(`# 2,000 creates to ACTIVE/ERROR in ${seconds.toFixed(1)} s`);
    assert.equal(servers.length, ZONE_GROUP + NOVA_GROUP + NOVA_PLAIN);
    for (const server of servers) assert.ok(['ACTIVE', 'ERROR'].includes(server.status), `${server.id} is ${server.status}`);
  });

  test('anti-affinity in az1: one member per zone host, the rest "No valid host"', () => {
    const active = of('zone-group', 'ACTIVE');
    assert.equal(active.length, ZONE_HOSTS);
    assert.equal(of('zone-group', 'ERROR').length, ZONE_GROUP - ZONE_HOSTS);
    const hosts = active.map((s) => s['OS-EXT-SRV-ATTR:host'] as string);
    assert.equal(new Set(hosts).size, ZONE_HOSTS, 'two members share a host');
    for (const host of hosts) assert.ok(Number(host.split('-').pop()) <= ZONE_HOSTS, `${host} is outside az1`);
  });

  test('the default zone fills exactly to capacity; group members never share a host', () => {
    const active = [...of('nova', 'ACTIVE'), ...of('nova-group', 'ACTIVE')];
    assert.equal(active.length, NOVA_CAPACITY);
    assert.equal(of('nova', 'ERROR').length + of('nova-group', 'ERROR').length, NOVA_PLAIN + NOVA_GROUP - NOVA_CAPACITY);
    for (const server of active) assert.ok(Number((server['OS-EXT-SRV-ATTR:host'] as string).split('-').pop()) > ZONE_HOSTS, `${server.id} landed in az1`);
    const groupHosts = of('nova-group', 'ACTIVE').map((s) => s['OS-EXT-SRV-ATTR:host'] as string);
    assert.equal(new Set(groupHosts).size, groupHosts.length, 'two members of spread-nova share a host');
  });

  test("every server that did not fit is ERROR with Nova's fault", () => {
    for (const server of servers.filter((s) => s.status === 'ERROR')) {
      assert.equal(server.fault?.message, 'No valid host was found. There are not enough hosts available.');
      assert.equal(server['OS-EXT-SRV-ATTR:host'], null);
    }
  });

  test('Placement: no provider overcommitted, allocations match the servers', async () => {
    const providers = (await c.cloud.request('GET', '/placement/resource_providers', { token: c.admin })).body.resource_providers as Array<{
      uuid: string;
      name: string;
    }>;
    assert.equal(providers.length, HOSTS);
    const hostOf = new Map(servers.filter((s) => s.status === 'ACTIVE').map((s) => [s.id as string, s['OS-EXT-SRV-ATTR:hypervisor_hostname'] as string]));
    const allocated = new Set<string>();
    await eachLimited(providers, 16, async (provider) => {
      const allocations = (await c.cloud.request('GET', `/placement/resource_providers/${provider.uuid}/allocations`, { token: c.admin })).body
        .allocations as Record<string, { resources: Record<string, number> }>;
      const used: Record<string, number> = {};
      for (const [consumer, { resources }] of Object.entries(allocations)) {
        if (!kinds.has(consumer)) continue;
        allocated.add(consumer);
        assert.equal(hostOf.get(consumer), provider.name, `${consumer} is allocated on ${provider.name}, not where it runs`);
        for (const [rc, amount] of Object.entries(resources)) used[rc] = (used[rc] ?? 0) + amount;
      }
      // Allocation ratios are 1: a host's inventory is what the fake reports.
      assert.ok((used.VCPU ?? 0) <= VCPUS_PER_HOST, `${provider.name}: ${used.VCPU} VCPU allocated of ${VCPUS_PER_HOST}`);
      assert.ok((used.MEMORY_MB ?? 0) <= MEMORY_PER_HOST, `${provider.name}: ${used.MEMORY_MB} MB allocated of ${MEMORY_PER_HOST}`);
    });
    assert.equal(allocated.size, hostOf.size, 'an ACTIVE server has no allocation, or a failed one kept one');
  });
});

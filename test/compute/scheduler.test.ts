/**
 * The scheduler at scale: 1,000 fake hypervisors, of which 50 form the
 * availability zone `az1`, and a few hundred concurrent creates into that
 * zone. Every allocation must stay within capacity, anti-affinity must hold,
 * and the requests that do not fit end in ERROR with "No valid host".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { uuid } from '../../src/core/ids.js';
import { computeDb, listServices } from '../../src/compute/store/index.js';
import type { PlacementOperations } from '../../src/placement/operations.js';
import { startComputeCloud, type ComputeCloud } from './support.js';

const HOSTS = 1000;
const ZONE_HOSTS = 50;

describe('compute: scheduling on 1,000 hosts under concurrent creates', () => {
  let c: ComputeCloud;
  let projectId: string;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.compute.fake.hosts = HOSTS;
      config.compute.fake.vcpus = 2;
      config.compute.fake.memory_mb = 4096;
      config.compute.fake.disk_gb = 100;
      config.compute.cpu_allocation_ratio = 1;
      config.compute.ram_allocation_ratio = 1;
    });
    projectId = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
    const unlimited = { instances: -1, cores: -1, ram: -1, server_group_members: -1 };
    assert.equal((await c.call('PUT', `/os-quota-sets/${projectId}`, { token: c.admin, body: { quota_set: unlimited } })).status, 200);
    // The aggregates API is another change; the zone is written the way it will store it,
    // and mirrored to Placement aggregates as it will.
    const aggregateUuid = uuid();
    const zoneHosts = Array.from({ length: ZONE_HOSTS }, (_, i) => `nimbus-compute-${i + 1}`);
    await computeDb(c.cloud.server.db)
      .insertInto('compute_aggregate')
      .values({
        id: 1,
        uuid: aggregateUuid,
        name: 'zone-1',
        availability_zone: 'az1',
        hosts: JSON.stringify(zoneHosts),
        metadata: JSON.stringify({ availability_zone: 'az1' }),
        created_at: new Date().toISOString(),
        updated_at: null,
      })
      .execute();
    const placement = c.cloud.server.services.placement?.operations as PlacementOperations;
    for (const service of await listServices(computeDb(c.cloud.server.db))) {
      if (zoneHosts.includes(service.host)) await placement.setAggregates(service.nodeUuid, [aggregateUuid]);
    }
  });
  after(() => c.close());

  const createMany = async (count: number, prefix: string, hints?: Record<string, string>) => {
    const responses = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        c.call('POST', '/servers', {
          version: '2.37',
          body: {
            server: { name: `${prefix}-${i}`, imageRef: c.imageId, flavorRef: '42', networks: 'none', availability_zone: 'az1' },
            ...(hints ? { 'os:scheduler_hints': hints } : {}),
          },
        }),
      ),
    );
    for (const response of responses) assert.equal(response.status, 202, response.text);
    return responses.map((r) => r.body.server.id as string);
  };

  const settle = async (ids: string[]) => {
    const wanted = new Set(ids);
    for (let i = 0; i < 1200; i++) {
      const building = await c.call('GET', '/servers?all_tenants=1&status=BUILD', { token: c.admin });
      if (building.body.servers.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const listing = await c.call('GET', '/servers/detail?all_tenants=1&limit=1000', { token: c.admin, version: '2.3' });
    const mine = listing.body.servers.filter((s: { id: string }) => wanted.has(s.id));
    assert.equal(mine.length, ids.length);
    return mine as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  const vcpusByProvider = async (ids: string[]) => {
    const used = new Map<string, number>();
    for (const id of ids) {
      const response = await c.cloud.request('GET', `/placement/allocations/${id}`, { token: c.admin });
      for (const [provider, { resources }] of Object.entries(response.body.allocations as Record<string, { resources: Record<string, number> }>)) {
        used.set(provider, (used.get(provider) ?? 0) + (resources.VCPU ?? 0));
      }
    }
    return used;
  };

  test('anti-affinity: one member per host of the zone, the rest "No valid host"', async () => {
    const groupId = uuid();
    await computeDb(c.cloud.server.db)
      .insertInto('compute_server_group')
      .values({ id: groupId, project_id: projectId, user_id: 'demo', name: 'spread', policy: 'anti-affinity', rules: '{}', members: '[]', created_at: new Date().toISOString() })
      .execute();
    const ids = await createMany(ZONE_HOSTS + 20, 'anti', { group: groupId });
    const servers = await settle(ids);
    const active = servers.filter((s) => s.status === 'ACTIVE');
    const failed = servers.filter((s) => s.status === 'ERROR');
    assert.equal(active.length, ZONE_HOSTS);
    assert.equal(failed.length, 20);
    const hosts = active.map((s) => s['OS-EXT-SRV-ATTR:host'] as string);
    assert.equal(new Set(hosts).size, ZONE_HOSTS, 'two members share a host');
    for (const host of hosts) assert.ok(Number(host.split('-').pop()) <= ZONE_HOSTS, `${host} is outside az1`);
    for (const server of failed) assert.equal(server.fault.message, 'No valid host was found. There are not enough hosts available.');
    const used = await vcpusByProvider(ids);
    assert.equal(used.size, ZONE_HOSTS);
    for (const vcpus of used.values()) assert.equal(vcpus, 1);
  });

  test('capacity: concurrent creates fill the zone exactly, never beyond', async () => {
    // Each zone host has 2 vCPUs and already runs one server: 50 more fit.
    const ids = await createMany(ZONE_HOSTS + 25, 'fill');
    const servers = await settle(ids);
    assert.equal(servers.filter((s) => s.status === 'ACTIVE').length, ZONE_HOSTS);
    assert.equal(servers.filter((s) => s.status === 'ERROR').length, 25);
    const listing = await c.call('GET', '/servers/detail?all_tenants=1&limit=1000&status=ACTIVE', { token: c.admin, version: '2.3' });
    const perHost = new Map<string, number>();
    for (const server of listing.body.servers) perHost.set(server['OS-EXT-SRV-ATTR:host'], (perHost.get(server['OS-EXT-SRV-ATTR:host']) ?? 0) + 1);
    for (const [host, count] of perHost) assert.ok(count <= 2, `${host} runs ${count} servers on 2 vCPUs`);
    const failedIds = servers.filter((s) => s.status === 'ERROR').map((s) => s.id as string);
    assert.equal((await vcpusByProvider(failedIds)).size, 0, 'a failed build kept an allocation');
  });
});

/**
 * Nova's admin APIs over HTTP: os-hypervisors, os-services, os-aggregates
 * (with Placement aggregates), os-server-groups (with quotas),
 * os-simple-tenant-usage and os-migrations (user_id/project_id from 2.80), by microversion, with their
 * error bodies. Servers and migrations are seeded in the store, as the build
 * pipeline and the move actions would leave them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlacementService } from '../../src/placement/index.js';
import { computeDb, insertMigration, insertServer, type ComputeDb, type Server } from '../../src/compute/store/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';

const HOSTS = ['nimbus-compute-1', 'nimbus-compute-2', 'nimbus-compute-3'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function seededServer(
  id: string,
  projectId: string,
  host: string | null,
  overrides: Partial<Server> & { launchedAt?: string | null; terminatedAt?: string | null } = {},
): Server {
  const { launchedAt = '2026-01-01T00:00:00.000Z', terminatedAt = null, ...rest } = overrides;
  const now = new Date().toISOString();
  return {
    id,
    projectId,
    userId: 'seed-user',
    name: `srv-${id.slice(0, 4)}`,
    vmState: 'active',
    taskState: null,
    powerState: 1,
    host,
    node: host,
    flavorId: '1',
    imageRef: null,
    locked: false,
    deleted: false,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    revision: 0,
    attrs: {
      flavor: { id: '1', name: 'm1.tiny', vcpus: 2, memoryMb: 512, rootGb: 1, ephemeralGb: 1, swap: 0, extraSpecs: {} },
      launchedAt,
      terminatedAt,
    } as Server['attrs'],
    ...rest,
  };
}

describe('compute admin APIs', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  let compute: ComputeDb;
  let placement: PlacementService;
  let demoProject: string;

  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.fake.hosts = HOSTS.length;
      config.compute.devstack_defaults = true;
      config.compute.fake.spawn_delay_ms = 0;
      config.compute.fake.action_delay_ms = 0;
    });
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
    compute = computeDb(cloud.server.db);
    placement = cloud.server.services.placement?.operations as PlacementService;
    const projects = await cloud.request('GET', '/identity/v3/projects?name=demo', { token: admin });
    demoProject = projects.body.projects[0].id;
  });
  after(() => cloud.close());

  const call = (method: string, path: string, options: { body?: unknown; token?: string; version?: string } = {}) =>
    cloud.request(method, `/compute/v2.1${path}`, {
      token: options.token ?? admin,
      ...(options.body !== undefined && { body: options.body }),
      ...(options.version && { headers: { 'openstack-api-version': `compute ${options.version}` } }),
    });
  const fault = (response: { status: number; body: Json; text: string }, status: number, name: string, message?: RegExp) => {
    assert.equal(response.status, status, response.text);
    assert.equal(response.body[name]?.code, status, response.text);
    if (message) assert.match(response.body[name].message, message);
  };

  test('os-hypervisors: list, detail, show, statistics, search, servers by microversion', async () => {
    const [serverA, serverB] = ['11111111-0000-4000-8000-000000000001', '11111111-0000-4000-8000-000000000002'];
    await insertServer(compute, seededServer(serverA, demoProject, HOSTS[0] as string));
    await insertServer(compute, seededServer(serverB, demoProject, HOSTS[0] as string, { taskState: 'rebooting' }));

    const list = await call('GET', '/os-hypervisors');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.body.hypervisors.map((h: { hypervisor_hostname: string }) => h.hypervisor_hostname),
      HOSTS,
    );
    assert.equal(typeof list.body.hypervisors[0].id, 'number');
    assert.deepEqual(Object.keys(list.body.hypervisors[0]).sort(), ['hypervisor_hostname', 'id', 'state', 'status']);

    const detail = await call('GET', '/os-hypervisors/detail');
    const first = detail.body.hypervisors[0];
    assert.equal(first.vcpus_used, 4);
    assert.equal(first.memory_mb_used, 1024);
    assert.equal(first.local_gb_used, 4);
    assert.equal(first.running_vms, 2);
    assert.equal(first.current_workload, 1);
    assert.equal(first.free_ram_mb, first.memory_mb - 1024);
    assert.equal(first.free_disk_gb, first.local_gb - 4);
    assert.equal(first.cpu_info, '{}', 'cpu_info is a JSON text before 2.28');
    assert.equal(first.service.host, HOSTS[0]);
    assert.equal(typeof first.service.id, 'number');
    assert.equal(detail.body.hypervisors[1].running_vms, 0);

    const stats = await call('GET', '/os-hypervisors/statistics');
    assert.equal(stats.body.hypervisor_statistics.count, 3);
    assert.equal(stats.body.hypervisor_statistics.running_vms, 2);
    assert.equal(stats.body.hypervisor_statistics.vcpus, first.vcpus * 3);
    assert.equal(stats.body.hypervisor_statistics.vcpus_used, 4);

    const shown = await call('GET', `/os-hypervisors/${first.id}`);
    assert.equal(shown.body.hypervisor.hypervisor_hostname, HOSTS[0]);
    fault(await call('GET', '/os-hypervisors/999'), 404, 'itemNotFound', /Hypervisor with ID '999' could not be found/);
    fault(await call('GET', '/os-hypervisors/abc'), 404, 'itemNotFound');
    const uptime = await call('GET', `/os-hypervisors/${first.id}/uptime`);
    assert.equal(uptime.body.hypervisor.hypervisor_hostname, HOSTS[0]);
    assert.match(uptime.body.hypervisor.uptime, /^ \d{2}:\d{2}:\d{2} up .*load average: [\d.]+, [\d.]+, [\d.]+$/);

    const search = await call('GET', '/os-hypervisors/compute-2/search');
    assert.deepEqual(
      search.body.hypervisors.map((h: { hypervisor_hostname: string }) => h.hypervisor_hostname),
      [HOSTS[1]],
    );
    fault(await call('GET', '/os-hypervisors/nowhere/search'), 404, 'itemNotFound', /No hypervisor matching 'nowhere' could be found/);
    const servers = await call('GET', '/os-hypervisors/compute-1/servers');
    assert.deepEqual(servers.body.hypervisors[0].servers.map((s: { uuid: string }) => s.uuid).sort(), [serverA, serverB]);

    // 2.28: cpu_info is an object. 2.33: paging. 2.53: uuids, pattern and with_servers, search forms gone.
    assert.deepEqual((await call('GET', '/os-hypervisors/detail', { version: '2.28' })).body.hypervisors[0].cpu_info, {});
    const paged = await call('GET', '/os-hypervisors?limit=2', { version: '2.33' });
    assert.equal(paged.body.hypervisors.length, 2);
    assert.match(paged.body.hypervisors_links[0].href, /marker=2/);
    const rest = await call('GET', `/os-hypervisors?limit=2&marker=${paged.body.hypervisors[1].id}`, { version: '2.33' });
    assert.deepEqual(
      rest.body.hypervisors.map((h: { hypervisor_hostname: string }) => h.hypervisor_hostname),
      [HOSTS[2]],
    );
    fault(await call('GET', '/os-hypervisors?marker=77', { version: '2.33' }), 400, 'badRequest', /marker \[77\] not found/);
    fault(await call('GET', '/os-hypervisors?limit=0', { version: '2.33' }), 400, 'badRequest');

    const modern = await call('GET', '/os-hypervisors/detail', { version: '2.53' });
    const node = modern.body.hypervisors[0];
    assert.match(node.id, UUID);
    assert.match(node.service.id, UUID);
    const withServers = await call('GET', '/os-hypervisors?hypervisor_hostname_pattern=compute-1&with_servers=true', { version: '2.53' });
    assert.equal(withServers.body.hypervisors.length, 1);
    assert.equal(withServers.body.hypervisors[0].servers.length, 2);
    const empty = await call('GET', '/os-hypervisors?hypervisor_hostname_pattern=compute-3&with_servers=true', { version: '2.53' });
    assert.equal(empty.body.hypervisors[0].servers, undefined, 'no servers key for an empty host before 2.75');
    const always = await call('GET', '/os-hypervisors?hypervisor_hostname_pattern=compute-3&with_servers=true', { version: '2.75' });
    assert.deepEqual(always.body.hypervisors[0].servers, []);
    fault(await call('GET', '/os-hypervisors?hypervisor_hostname_pattern=zzz', { version: '2.53' }), 404, 'itemNotFound');
    fault(await call('GET', '/os-hypervisors?hypervisor_hostname_pattern=c&limit=1', { version: '2.53' }), 400, 'badRequest', /Paging over hypervisors/);
    assert.equal((await call('GET', `/os-hypervisors/${node.id}?with_servers=1`, { version: '2.53' })).body.hypervisor.servers.length, 2);
    fault(await call('GET', '/os-hypervisors/1', { version: '2.53' }), 400, 'badRequest', /Invalid uuid 1/);
    fault(await call('GET', '/os-hypervisors/compute-1/search', { version: '2.53' }), 404, 'itemNotFound');

    fault(await call('GET', '/os-hypervisors', { token: demo }), 403, 'forbidden', /Policy doesn't allow os_compute_api:os-hypervisors:list/);
    fault(await call('GET', '/os-hypervisors/statistics', { token: demo }), 403, 'forbidden');
  });

  test('os-services: list with filters, enable/disable with reason, forced_down, 2.53 uuids, delete', async () => {
    const list = await call('GET', '/os-services');
    assert.equal(list.status, 200);
    assert.equal(list.body.services.length, 3);
    const svc = list.body.services[0];
    assert.deepEqual(
      { binary: svc.binary, host: svc.host, zone: svc.zone, status: svc.status, state: svc.state, disabled_reason: svc.disabled_reason },
      { binary: 'nova-compute', host: HOSTS[0], zone: 'nova', status: 'enabled', state: 'up', disabled_reason: null },
    );
    assert.equal(svc.forced_down, undefined, 'forced_down only from 2.11');
    assert.match(svc.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    assert.equal((await call('GET', `/os-services?host=${HOSTS[1]}`)).body.services.length, 1);
    assert.equal((await call('GET', '/os-services?binary=nova-scheduler')).body.services.length, 0);

    const disabled = await call('PUT', '/os-services/disable-log-reason', { body: { host: HOSTS[1], binary: 'nova-compute', disabled_reason: 'maintenance' } });
    assert.deepEqual(disabled.body, { service: { host: HOSTS[1], binary: 'nova-compute', status: 'disabled', disabled_reason: 'maintenance' } });
    const after = (await call('GET', `/os-services?host=${HOSTS[1]}`)).body.services[0];
    assert.equal(after.status, 'disabled');
    assert.equal(after.disabled_reason, 'maintenance');
    assert.equal((await call('GET', '/os-hypervisors')).body.hypervisors[1].status, 'disabled');
    const enabled = await call('PUT', '/os-services/enable', { body: { host: HOSTS[1], binary: 'nova-compute' } });
    assert.deepEqual(enabled.body, { service: { host: HOSTS[1], binary: 'nova-compute', status: 'enabled' } });
    assert.equal((await call('GET', `/os-services?host=${HOSTS[1]}`)).body.services[0].disabled_reason, null);

    fault(
      await call('PUT', '/os-services/disable-log-reason', { body: { host: HOSTS[1], binary: 'nova-compute' } }),
      400,
      'badRequest',
      /Missing disabled reason field/,
    );
    fault(
      await call('PUT', '/os-services/disable', { body: { host: 'ghost', binary: 'nova-compute' } }),
      404,
      'itemNotFound',
      /Compute host ghost with binary nova-compute could not be found/,
    );
    fault(
      await call('PUT', '/os-services/force-down', { body: { host: HOSTS[1], binary: 'nova-compute', forced_down: true } }),
      404,
      'itemNotFound',
      /Unknown action/,
    );
    fault(await call('PUT', '/os-services/enable', { body: { host: HOSTS[1], binary: 'nova-compute', extra: 1 } }), 400, 'badRequest');

    const down = await call('PUT', '/os-services/force-down', { body: { host: HOSTS[2], binary: 'nova-compute', forced_down: true }, version: '2.11' });
    assert.deepEqual(down.body, { service: { host: HOSTS[2], binary: 'nova-compute', forced_down: true } });
    const listed = (await call('GET', `/os-services?host=${HOSTS[2]}`, { version: '2.11' })).body.services[0];
    assert.equal(listed.forced_down, true);
    assert.equal(listed.state, 'down');

    const modern = (await call('GET', `/os-services?host=${HOSTS[2]}`, { version: '2.53' })).body.services[0];
    assert.match(modern.id, UUID);
    const up = await call('PUT', `/os-services/${modern.id}`, { body: { forced_down: false, status: 'disabled', disabled_reason: 'r2' }, version: '2.53' });
    assert.equal(up.status, 200, up.text);
    assert.equal(up.body.service.forced_down, false);
    assert.equal(up.body.service.status, 'disabled');
    assert.equal(up.body.service.disabled_reason, 'r2');
    assert.equal(up.body.service.state, 'up');
    const reenabled = await call('PUT', `/os-services/${modern.id}`, { body: { status: 'enabled' }, version: '2.53' });
    assert.equal(reenabled.body.service.disabled_reason, null);
    fault(
      await call('PUT', `/os-services/${modern.id}`, { body: { status: 'enabled', disabled_reason: 'x' }, version: '2.53' }),
      400,
      'badRequest',
      /Specifying 'disabled_reason' with status 'enabled' is invalid/,
    );
    fault(await call('PUT', `/os-services/${modern.id}`, { body: {}, version: '2.53' }), 400, 'badRequest', /At least one of 'status' or 'forced_down'/);
    fault(
      await call('PUT', '/os-services/enable', { body: { host: HOSTS[1], binary: 'nova-compute' }, version: '2.53' }),
      400,
      'badRequest',
      /Invalid uuid enable/,
    );
    fault(await call('PUT', '/os-services/00000000-0000-4000-8000-000000000000', { body: { status: 'enabled' }, version: '2.53' }), 404, 'itemNotFound');
    fault(await call('GET', '/os-services', { token: demo }), 403, 'forbidden');
    fault(await call('PUT', '/os-services/enable', { token: demo, body: { host: HOSTS[1], binary: 'nova-compute' } }), 403, 'forbidden');

    // A host with servers cannot lose its service; an empty one can, with its resource provider.
    const busy = (await call('GET', `/os-services?host=${HOSTS[0]}`, { version: '2.53' })).body.services[0];
    fault(await call('DELETE', `/os-services/${busy.id}`, { version: '2.53' }), 409, 'conflictingRequest', /hosting instances/);
    const idle = (await call('GET', `/os-services?host=${HOSTS[2]}`)).body.services[0];
    const providers = async () => (await placement.providers.listProviders({})).map((p) => p.name);
    assert.ok((await providers()).includes(HOSTS[2]));
    assert.equal((await call('DELETE', `/os-services/${idle.id}`)).status, 204);
    assert.equal((await call('GET', '/os-services')).body.services.length, 2);
    assert.ok(!(await providers()).includes(HOSTS[2]));
    fault(await call('DELETE', `/os-services/${idle.id}`), 404, 'itemNotFound', new RegExp(`Service ${idle.id} not found`));
  });

  test('os-aggregates: create with zone, hosts, metadata, zone conflicts, Placement aggregates', async () => {
    const created = await call('POST', '/os-aggregates', { body: { aggregate: { name: 'rack-1', availability_zone: 'az-1' } } });
    assert.equal(created.status, 200, created.text);
    const agg = created.body.aggregate;
    assert.equal(typeof agg.id, 'number');
    assert.equal(agg.availability_zone, 'az-1');
    assert.equal(agg.hosts, undefined, 'create leaves out hosts and metadata');
    assert.equal(agg.deleted, false);
    fault(await call('POST', '/os-aggregates', { body: { aggregate: { name: 'rack-1' } } }), 409, 'conflictingRequest', /Aggregate rack-1 already exists/);
    fault(await call('POST', '/os-aggregates', { body: { aggregate: { name: '' } } }), 400, 'badRequest');
    fault(await call('POST', '/os-aggregates', { body: { aggregate: { name: 'x', availability_zone: 'a:b' } } }), 400, 'badRequest');
    fault(await call('POST', '/os-aggregates', { body: { aggregate: { name: 'x' } }, token: demo }), 403, 'forbidden');

    const added = await call('POST', `/os-aggregates/${agg.id}/action`, { body: { add_host: { host: HOSTS[0] } } });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.body.aggregate.hosts, [HOSTS[0]]);
    assert.deepEqual(added.body.aggregate.metadata, { availability_zone: 'az-1' });
    fault(
      await call('POST', `/os-aggregates/${agg.id}/action`, { body: { add_host: { host: HOSTS[0] } } }),
      409,
      'conflictingRequest',
      new RegExp(`Aggregate ${agg.id} already has host`),
    );
    fault(
      await call('POST', `/os-aggregates/${agg.id}/action`, { body: { add_host: { host: 'ghost' } } }),
      404,
      'itemNotFound',
      /Compute host ghost could not be found/,
    );
    const zoneOf = async (host: string) => (await call('GET', `/os-services?host=${host}`)).body.services[0].zone;
    assert.equal(await zoneOf(HOSTS[0] as string), 'az-1');

    // Placement sees the aggregate on the host's resource provider.
    const [rp] = await placement.providers.listProviders({ name: HOSTS[0] as string });
    assert.ok(rp);
    assert.deepEqual((await placement.providers.getMembers('aggregates', rp.uuid)).members, [
      (await call('GET', `/os-aggregates/${agg.id}`, { version: '2.41' })).body.aggregate.uuid,
    ]);

    // A second zoned aggregate cannot take the host; re-zoning an aggregate whose host is zoned elsewhere is refused.
    const other = (await call('POST', '/os-aggregates', { body: { aggregate: { name: 'rack-2', availability_zone: 'az-2' } } })).body.aggregate;
    fault(
      await call('POST', `/os-aggregates/${other.id}/action`, { body: { add_host: { host: HOSTS[0] } } }),
      409,
      'conflictingRequest',
      /already in availability zone\(s\) \['az-1'\]/,
    );
    const plain = (await call('POST', '/os-aggregates', { body: { aggregate: { name: 'ssd' } } })).body.aggregate;
    assert.equal((await call('POST', `/os-aggregates/${plain.id}/action`, { body: { add_host: { host: HOSTS[0] } } })).status, 200);
    fault(
      await call('POST', `/os-aggregates/${plain.id}/action`, { body: { set_metadata: { metadata: { availability_zone: 'az-3' } } } }),
      400,
      'badRequest',
      /Cannot update metadata of aggregate/,
    );
    fault(
      await call('PUT', `/os-aggregates/${plain.id}`, { body: { aggregate: { availability_zone: 'az-3' } } }),
      400,
      'badRequest',
      /Cannot update aggregate/,
    );
    const meta = await call('POST', `/os-aggregates/${plain.id}/action`, { body: { set_metadata: { metadata: { ssd: 'true', availability_zone: 'az-1' } } } });
    assert.equal(meta.status, 200, meta.text);
    assert.deepEqual(meta.body.aggregate.metadata, { ssd: 'true', availability_zone: 'az-1' });
    const unset = await call('POST', `/os-aggregates/${plain.id}/action`, { body: { set_metadata: { metadata: { ssd: null, availability_zone: null } } } });
    assert.deepEqual(unset.body.aggregate.metadata, {});
    assert.equal(await zoneOf(HOSTS[0] as string), 'az-1', 'still zoned by rack-1');

    const renamed = await call('PUT', `/os-aggregates/${agg.id}`, { body: { aggregate: { name: 'rack-one', availability_zone: 'az-one' } } });
    assert.equal(renamed.body.aggregate.name, 'rack-one');
    assert.match(renamed.body.aggregate.updated_at, /^\d{4}-/);
    assert.equal(await zoneOf(HOSTS[0] as string), 'az-one');
    fault(await call('PUT', `/os-aggregates/${agg.id}`, { body: { aggregate: { name: 'rack-2' } } }), 409, 'conflictingRequest');

    fault(await call('DELETE', `/os-aggregates/${agg.id}`), 400, 'badRequest', /not empty/);
    fault(
      await call('POST', `/os-aggregates/${agg.id}/action`, { body: { remove_host: { host: HOSTS[1] } } }),
      404,
      'itemNotFound',
      new RegExp(`Cannot remove host ${HOSTS[1]} in aggregate ${agg.id}`),
    );
    for (const id of [agg.id, plain.id])
      assert.equal((await call('POST', `/os-aggregates/${id}/action`, { body: { remove_host: { host: HOSTS[0] } } })).status, 200);
    assert.equal(await zoneOf(HOSTS[0] as string), 'nova');
    assert.deepEqual((await placement.providers.getMembers('aggregates', rp.uuid)).members, []);
    assert.equal((await call('DELETE', `/os-aggregates/${agg.id}`)).status, 200);
    fault(await call('GET', `/os-aggregates/${agg.id}`), 404, 'itemNotFound', new RegExp(`Aggregate ${agg.id} could not be found`));
    fault(await call('POST', `/os-aggregates/${plain.id}/action`, { body: { bogus: {} } }), 400, 'badRequest');
    const names = (await call('GET', '/os-aggregates')).body.aggregates.map((a: { name: string }) => a.name);
    assert.deepEqual(names, ['rack-2', 'ssd']);
    fault(await call('GET', '/os-aggregates', { token: demo }), 403, 'forbidden');
  });

  test('os-server-groups: policies by microversion, rules, quota, visibility, members', async () => {
    const legacy = await call('POST', '/os-server-groups', { token: demo, body: { server_group: { name: 'g1', policies: ['anti-affinity'] } } });
    assert.equal(legacy.status, 200, legacy.text);
    assert.deepEqual(legacy.body.server_group.policies, ['anti-affinity']);
    assert.deepEqual(legacy.body.server_group.metadata, {});
    assert.equal(legacy.body.server_group.project_id, undefined, 'project_id from 2.13');
    fault(await call('POST', '/os-server-groups', { token: demo, body: { server_group: { name: 'g', policies: ['soft-affinity'] } } }), 400, 'badRequest');
    fault(
      await call('POST', '/os-server-groups', { token: demo, body: { server_group: { name: 'g', policies: ['affinity', 'anti-affinity'] } } }),
      400,
      'badRequest',
    );
    fault(await call('POST', '/os-server-groups', { token: demo, body: { server_group: { name: 'g', policy: 'affinity' } } }), 400, 'badRequest');

    const soft = await call('POST', '/os-server-groups', { token: demo, version: '2.15', body: { server_group: { name: 'g2', policies: ['soft-affinity'] } } });
    assert.equal(soft.body.server_group.project_id, demoProject);
    const modern = await call('POST', '/os-server-groups', {
      token: demo,
      version: '2.64',
      body: { server_group: { name: 'g3', policy: 'anti-affinity', rules: { max_server_per_host: 2 } } },
    });
    assert.equal(modern.status, 200, modern.text);
    assert.equal(modern.body.server_group.policy, 'anti-affinity');
    assert.deepEqual(modern.body.server_group.rules, { max_server_per_host: 2 });
    assert.equal(modern.body.server_group.policies, undefined);
    fault(
      await call('POST', '/os-server-groups', {
        token: demo,
        version: '2.64',
        body: { server_group: { name: 'g', policy: 'affinity', rules: { max_server_per_host: 2 } } },
      }),
      400,
      'badRequest',
      /Only anti-affinity policy supports rules/,
    );
    fault(
      await call('POST', '/os-server-groups', {
        token: demo,
        version: '2.64',
        body: { server_group: { name: 'g', policy: 'anti-affinity', rules: { max_server_per_host: 0 } } },
      }),
      400,
      'badRequest',
    );
    fault(
      await call('POST', '/os-server-groups', { token: demo, version: '2.64', body: { server_group: { name: 'g', policies: ['affinity'] } } }),
      400,
      'badRequest',
    );

    // server_groups quota: 10 by default; the demo project has 3.
    const limited = await cloud.request('PUT', `/compute/v2.1/os-quota-sets/${demoProject}`, { token: admin, body: { quota_set: { server_groups: 3 } } });
    if (limited.status === 404) {
      // Quota sets come with the first engineer's branch; fill up to the default instead.
      for (let i = 3; i < 10; i += 1)
        assert.equal(
          (await call('POST', '/os-server-groups', { token: demo, body: { server_group: { name: `fill-${i}`, policies: ['affinity'] } } })).status,
          200,
        );
    }
    fault(
      await call('POST', '/os-server-groups', { token: demo, body: { server_group: { name: 'over', policies: ['affinity'] } } }),
      403,
      'forbidden',
      /Quota exceeded, too many server groups/,
    );

    const mine = await call('GET', '/os-server-groups', { token: demo });
    assert.ok(mine.body.server_groups.some((g: { id: string }) => g.id === legacy.body.server_group.id));
    const adminOwn = await call('GET', '/os-server-groups');
    assert.equal(adminOwn.body.server_groups.length, 0, 'admin sees its own project without all_projects');
    assert.equal((await call('GET', '/os-server-groups?all_projects=True')).body.server_groups.length, mine.body.server_groups.length);
    assert.equal((await call('GET', '/os-server-groups?all_projects=True', { token: demo })).body.server_groups.length, mine.body.server_groups.length);
    assert.equal((await call('GET', '/os-server-groups?limit=1&offset=1', { token: demo })).body.server_groups[0].id, soft.body.server_group.id);

    const shown = await call('GET', `/os-server-groups/${modern.body.server_group.id}`, { token: demo, version: '2.64' });
    assert.equal(shown.body.server_group.name, 'g3');
    const adminGroup = (await call('POST', '/os-server-groups', { body: { server_group: { name: 'admins', policies: ['affinity'] } } })).body.server_group;
    fault(await call('GET', `/os-server-groups/${adminGroup.id}`, { token: demo }), 403, 'forbidden');
    fault(await call('DELETE', `/os-server-groups/${adminGroup.id}`, { token: demo }), 403, 'forbidden');
    fault(
      await call('GET', '/os-server-groups/00000000-0000-4000-8000-00000000dead', { token: demo }),
      404,
      'itemNotFound',
      /Instance group .* could not be found/,
    );

    assert.equal((await call('DELETE', `/os-server-groups/${legacy.body.server_group.id}`, { token: demo })).status, 204);
    fault(await call('DELETE', `/os-server-groups/${legacy.body.server_group.id}`, { token: demo }), 404, 'itemNotFound');
    assert.equal(
      (await call('POST', '/os-server-groups', { token: demo, body: { server_group: { name: 'again', policies: ['affinity'] } } })).status,
      200,
      'deleting freed quota',
    );
  });

  test('os-simple-tenant-usage: hours clipped to the period, list and show, 2.40 paging', async () => {
    const project = 'usage-project';
    await insertServer(
      compute,
      seededServer('22222222-0000-4000-8000-000000000001', project, null, {
        launchedAt: '2026-03-01T00:00:00.000Z',
        terminatedAt: '2026-03-01T10:00:00.000Z',
        deleted: true,
        vmState: 'deleted',
      }),
    );
    await insertServer(compute, seededServer('22222222-0000-4000-8000-000000000002', project, HOSTS[1] as string, { launchedAt: '2026-03-01T06:00:00.000Z' }));
    await insertServer(compute, seededServer('22222222-0000-4000-8000-000000000003', project, HOSTS[1] as string, { launchedAt: '2026-04-01T00:00:00.000Z' }));
    const range = 'start=2026-03-01T04:00:00&end=2026-03-01T12:00:00';

    const show = await call('GET', `/os-simple-tenant-usage/${project}?${range}`);
    assert.equal(show.status, 200, show.text);
    const usage = show.body.tenant_usage;
    assert.equal(usage.tenant_id, project);
    assert.equal(usage.start, '2026-03-01T04:00:00.000000');
    assert.equal(usage.stop, '2026-03-01T12:00:00.000000');
    const precise = await call('GET', `/os-simple-tenant-usage/${project}?start=2026-03-01T04:00:00.123456&end=2026-03-01 12:00:00.5`);
    assert.equal(precise.body.tenant_usage.start, '2026-03-01T04:00:00.123456', 'the microseconds asked for are echoed, not cut');
    assert.equal(precise.body.tenant_usage.stop, '2026-03-01T12:00:00.500000');
    assert.equal(usage.server_usages.length, 2, 'the server launched after the period is not in it');
    const byId = Object.fromEntries(usage.server_usages.map((s: { instance_id: string }) => [s.instance_id, s]));
    const ended = byId['22222222-0000-4000-8000-000000000001'];
    assert.equal(ended.hours, 6);
    assert.equal(ended.state, 'terminated');
    assert.equal(ended.ended_at, '2026-03-01T10:00:00.000000');
    assert.equal(ended.uptime, 36000);
    assert.equal(ended.local_gb, 2);
    assert.equal(byId['22222222-0000-4000-8000-000000000002'].hours, 6);
    assert.equal(byId['22222222-0000-4000-8000-000000000002'].state, 'active');
    assert.equal(usage.total_hours, 12);
    assert.equal(usage.total_vcpus_usage, 24);
    assert.equal(usage.total_memory_mb_usage, 12 * 512);
    assert.equal(usage.total_local_gb_usage, 24);

    const list = await call('GET', `/os-simple-tenant-usage?${range}&detailed=1`);
    const mine = list.body.tenant_usages.find((u: { tenant_id: string }) => u.tenant_id === project);
    assert.equal(mine.total_hours, 12);
    assert.equal(mine.server_usages.length, 2);
    const brief = await call('GET', `/os-simple-tenant-usage?${range}`);
    assert.equal(brief.body.tenant_usages.find((u: { tenant_id: string }) => u.tenant_id === project).server_usages, undefined);

    const page = await call('GET', `/os-simple-tenant-usage/${project}?${range}&limit=1`, { version: '2.40' });
    assert.equal(page.body.tenant_usage.server_usages.length, 1);
    assert.match(page.body.tenant_usage_links[0].href, /marker=22222222-0000-4000-8000-000000000001/);
    fault(
      await call('GET', `/os-simple-tenant-usage/${project}?${range}&marker=nope`, { version: '2.40' }),
      400,
      'badRequest',
      /Marker nope could not be found/,
    );

    assert.deepEqual((await call('GET', '/os-simple-tenant-usage/empty-project?start=2020-01-01T00:00:00&end=2020-01-02T00:00:00')).body, { tenant_usage: {} });
    fault(await call('GET', '/os-simple-tenant-usage?start=yesterday'), 400, 'badRequest', /Datetime is in invalid format/);
    fault(
      await call('GET', '/os-simple-tenant-usage?start=2026-03-02T00:00:00&end=2026-03-01T00:00:00'),
      400,
      'badRequest',
      /start time cannot occur after the end time/,
    );
    fault(await call('GET', '/os-simple-tenant-usage', { token: demo }), 403, 'forbidden');
    fault(await call('GET', `/os-simple-tenant-usage/${project}`, { token: demo }), 403, 'forbidden');
    assert.equal((await call('GET', `/os-simple-tenant-usage/${demoProject}`, { token: demo })).status, 200, 'a member reads its own project');
  });

  test('os-migrations: filters, 2.23 type and links, 2.59 uuid and paging', async () => {
    const instance = '33333333-0000-4000-8000-000000000001';
    const base = { instance_uuid: instance, source_node: HOSTS[0] as string, dest_node: HOSTS[1] as string, project_id: demoProject, user_id: 'u' };
    const resize = await insertMigration(compute, {
      ...base,
      uuid: '44444444-0000-4000-8000-000000000001',
      migration_type: 'resize',
      status: 'confirmed',
      source_compute: HOSTS[0] as string,
      dest_compute: HOSTS[1] as string,
      old_flavor_id: '1',
      new_flavor_id: '2',
    });
    const live = await insertMigration(compute, {
      ...base,
      uuid: '44444444-0000-4000-8000-000000000002',
      migration_type: 'live-migration',
      status: 'running',
      source_compute: HOSTS[1] as string,
      dest_compute: HOSTS[2] as string,
      old_flavor_id: '2',
      new_flavor_id: '2',
    });

    const all = await call('GET', '/os-migrations');
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(
      all.body.migrations.map((m: { id: number }) => m.id),
      [live.id, resize.id],
      'newest first',
    );
    const first = all.body.migrations[1];
    assert.equal(first.old_instance_type_id, 1);
    assert.equal(first.new_instance_type_id, 2);
    assert.equal(first.dest_host, HOSTS[1]);
    assert.equal(first.migration_type, undefined, 'migration_type from 2.23');

    const typed = await call('GET', '/os-migrations?migration_type=live-migration', { version: '2.23' });
    assert.deepEqual(
      typed.body.migrations.map((m: { id: number }) => m.id),
      [live.id],
    );
    assert.match(typed.body.migrations[0].links[0].href, new RegExp(`/v2.1/servers/${instance}/migrations/${live.id}$`));
    const resized = (await call('GET', '/os-migrations?status=confirmed', { version: '2.23' })).body.migrations[0];
    assert.equal(resized.migration_type, 'resize');
    assert.equal(resized.links, undefined, 'links only for live migrations in progress');
    assert.deepEqual(
      (await call('GET', `/os-migrations?host=${HOSTS[2]}`)).body.migrations.map((m: { id: number }) => m.id),
      [live.id],
    );
    assert.deepEqual(
      (await call('GET', `/os-migrations?source_compute=${HOSTS[0]}`)).body.migrations.map((m: { id: number }) => m.id),
      [resize.id],
    );
    assert.equal((await call('GET', '/os-migrations?instance_uuid=nope')).body.migrations.length, 0);

    const page = await call('GET', '/os-migrations?limit=1', { version: '2.59' });
    assert.equal(page.body.migrations[0].uuid, live.uuid);
    assert.match(page.body.migrations_links[0].href, new RegExp(`marker=${live.uuid}`));
    const next = await call('GET', `/os-migrations?limit=1&marker=${live.uuid}`, { version: '2.59' });
    assert.equal(next.body.migrations[0].uuid, resize.uuid);
    fault(await call('GET', '/os-migrations?marker=nope', { version: '2.59' }), 400, 'badRequest', /Marker nope could not be found/);
    assert.equal((await call('GET', '/os-migrations?changes-since=2999-01-01T00:00:00Z', { version: '2.59' })).body.migrations.length, 0);
    fault(await call('GET', '/os-migrations?changes-since=soon', { version: '2.59' }), 400, 'badRequest');
    fault(await call('GET', '/os-migrations', { token: demo }), 403, 'forbidden');

    const owned = (await call('GET', '/os-migrations?user_id=u', { version: '2.80' })).body.migrations;
    assert.deepEqual(
      owned.map((m: { id: number }) => m.id),
      [live.id, resize.id],
    );
    assert.equal(owned[0].user_id, 'u');
    assert.equal(owned[0].project_id, demoProject);
    assert.equal((await call('GET', '/os-migrations?user_id=other', { version: '2.80' })).body.migrations.length, 0);
    assert.equal((await call('GET', `/os-migrations?project_id=${demoProject}&user_id=other`, { version: '2.80' })).body.migrations.length, 0);
    const before280 = (await call('GET', '/os-migrations?user_id=other', { version: '2.79' })).body.migrations;
    assert.equal(before280.length, 2, 'the filters are ignored before 2.80');
    assert.equal('user_id' in before280[0] || 'project_id' in before280[0], false, 'the fields only from 2.80');
  });
});

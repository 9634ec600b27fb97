/**
 * GET /metrics on a running server: the page parses; request counters move
 * with requests, labelled by route pattern; the cloud gauges (identity's
 * users, groups, domains and regions among them) equal what the APIs list;
 * the per-project quota and limit series move with the quota APIs; a meter
 * appears after a polling cycle; bad Accept and methods are refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PollingAgent } from '../../src/metering/agent.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { volumeClient, useFakeVolumeBackend, type VolumeClient } from '../volume/support.js';
import { find, scrape, value } from './support.js';

describe('GET /metrics', () => {
  let cloud: TestServer;
  let admin: string;
  let volumes: VolumeClient;
  before(async () => {
    cloud = await startTestServer((config) => {
      useFakeVolumeBackend(config);
      config.compute.fake.hosts = 1;
      // Cycles are driven by the test.
      config.metering.enabled = false;
    });
    admin = await cloud.adminToken();
    volumes = await volumeClient(cloud, admin);
  });
  after(() => cloud.close());

  test('counts requests by service, route pattern, method and status, and times them', async () => {
    const counted = { service: 'identity', route: '/identity/v3/projects/:id', method: 'GET', status: '404' };
    const before = find(await scrape(cloud), 'nimbus_http_requests_total', counted)[0]?.value ?? 0;
    for (let i = 0; i < 3; i++) await cloud.request('GET', `/identity/v3/projects/no-such-${i}`, { token: admin });
    const samples = await scrape(cloud);
    assert.equal(value(samples, 'nimbus_http_requests_total', counted), before + 3);
    // One series for the pattern, none per raw URL.
    assert.equal(find(samples, 'nimbus_http_requests_total', { route: '/identity/v3/projects/no-such-0' }).length, 0);
    assert.ok(value(samples, 'nimbus_http_request_duration_seconds_count', counted) >= 3);
    assert.ok(find(samples, 'nimbus_http_request_duration_seconds_bucket', { ...counted, le: '+Inf' }).length === 1);
    await cloud.request('GET', '/compute/no/such/path');
    assert.ok(value(await scrape(cloud), 'nimbus_http_requests_total', { service: 'compute', route: 'unmatched', status: '404' }) >= 1);
  });

  test("shows the process's own health: task queue, Node's default metrics", async () => {
    const samples = await scrape(cloud);
    assert.ok(find(samples, 'process_cpu_user_seconds_total').length === 1);
    assert.ok(find(samples, 'nodejs_heap_size_used_bytes').length === 1);
    // SQLite has no pool: no pool series.
    assert.equal(find(samples, 'nimbus_db_pool_connections').length, 0);
    for (const s of find(samples, 'nimbus_task_queue_tasks')) assert.ok(['queued', 'running', 'undoing'].includes(s.labels.status!));
  });

  test("the cloud's gauges equal what the APIs list", async () => {
    const created = await volumes.call('POST', '/volumes', { volume: { size: 2, name: 'scraped' } });
    assert.equal(created.status, 202, created.text);
    const volumeId: string = created.body.volume.id;
    await volumes.waitFor(volumeId, 'available');
    const samples = await scrape(cloud);

    const listed = await volumes.call('GET', '/volumes/detail?all_tenants=1');
    assert.equal(value(samples, 'openstack_cinder_volumes'), listed.body.volumes.length);
    assert.equal(value(samples, 'openstack_cinder_volume_gb', { id: volumeId }), 2);
    assert.equal(find(samples, 'openstack_cinder_volume_gb', { id: volumeId, name: 'scraped', status: 'available', volume_type: '__DEFAULT__' }).length, 1);
    assert.ok(value(samples, 'openstack_cinder_volume_status_counter', { status: 'available' }) >= 1);
    assert.equal(value(samples, 'openstack_cinder_volume_status_counter', { status: 'extending' }), 0);

    const images = await cloud.request('GET', '/image/v2/images?limit=1000', { token: admin });
    assert.equal(value(samples, 'openstack_glance_images'), images.body.images.length);
    const networks = await cloud.request('GET', '/network/v2.0/networks', { token: admin });
    assert.equal(value(samples, 'openstack_neutron_networks'), networks.body.networks.length);
    const agents: Array<{ id: string; host: string; binary: string; admin_state_up: boolean; alive: boolean }> = (
      await cloud.request('GET', '/network/v2.0/agents', { token: admin })
    ).body.agents;
    assert.ok(agents.length > 0, 'the network driver reports its agents at start');
    assert.equal(find(samples, 'openstack_neutron_agent_state').length, agents.length);
    for (const a of agents) {
      const labels = { id: a.id, hostname: a.host, service: a.binary, adminState: a.admin_state_up ? 'up' : 'down' };
      assert.equal(value(samples, 'openstack_neutron_agent_state', labels), a.alive ? 1 : 0);
    }
    const ips = await cloud.request('GET', '/network/v2.0/floatingips', { token: admin });
    assert.equal(value(samples, 'openstack_neutron_floating_ips'), ips.body.floatingips.length);
    const projects = await cloud.request('GET', '/identity/v3/projects', { token: admin });
    assert.equal(value(samples, 'openstack_identity_projects'), projects.body.projects.length);
    for (const [kind, path] of [
      ['users', '/identity/v3/users'],
      ['groups', '/identity/v3/groups'],
      ['domains', '/identity/v3/domains'],
      ['regions', '/identity/v3/regions'],
    ] as const) {
      const listed = await cloud.request('GET', path, { token: admin });
      assert.equal(value(samples, `openstack_identity_${kind}`), listed.body[kind].length, kind);
    }
    assert.equal(find(samples, 'openstack_identity_domain_info', { id: 'default', name: 'Default', enabled: 'true' }).length, 1);

    const hypervisors = await cloud.request('GET', '/compute/v2.1/os-hypervisors/detail', { token: admin });
    assert.equal(hypervisors.body.hypervisors.length, 1);
    const h = hypervisors.body.hypervisors[0];
    assert.equal(value(samples, 'openstack_nova_vcpus_available', { hostname: h.hypervisor_hostname }), h.vcpus);
    assert.equal(value(samples, 'openstack_nova_vcpus_used', { hostname: h.hypervisor_hostname }), h.vcpus_used);
    assert.equal(value(samples, 'openstack_nova_memory_used_bytes', { hostname: h.hypervisor_hostname }), h.memory_mb_used * 1024 * 1024);
    assert.equal(value(samples, 'openstack_nova_total_vms'), 0);
    assert.equal(value(samples, 'openstack_heat_stack_status_counter', { status: 'CREATE_COMPLETE' }), 0);
    for (const service of ['nova', 'cinder', 'neutron', 'glance', 'heat', 'identity', 'placement'])
      assert.equal(value(samples, `openstack_${service}_up`), 1, service);
  });

  test("each project's quotas and limits follow the quota APIs; cinder's services show their state", async () => {
    const project = volumes.projectId;
    const projects = await cloud.request('GET', '/identity/v3/projects', { token: admin });
    const name: string = projects.body.projects.find((p: { id: string }) => p.id === project).name;
    const tenant = { tenant: name, tenant_id: project };
    // Change one limit per service through its API: the series must move to the new value.
    const nova = await cloud.request('PUT', `/compute/v2.1/os-quota-sets/${project}`, { token: admin, body: { quota_set: { cores: 37, ram: 65536 } } });
    assert.equal(nova.status, 200, nova.text);
    const cinder = await volumes.call('PUT', `/os-quota-sets/${project}`, { quota_set: { gigabytes: 123, backup_gigabytes: 456 } });
    assert.equal(cinder.status, 200, cinder.text);
    const neutron = await cloud.request('PUT', `/network/v2.0/quotas/${project}`, { token: admin, body: { quota: { port: 77 } } });
    assert.equal(neutron.status, 200, neutron.text);
    const samples = await scrape(cloud);

    const novaDetail = (await cloud.request('GET', `/compute/v2.1/os-quota-sets/${project}/detail`, { token: admin })).body.quota_set;
    assert.equal(novaDetail.cores.limit, 37);
    for (const resource of ['cores', 'instances', 'ram', 'key_pairs', 'server_groups']) {
      for (const type of ['in_use', 'reserved', 'limit'])
        assert.equal(value(samples, `openstack_nova_quota_${resource}`, { type, ...tenant }), novaDetail[resource][type], `${resource} ${type}`);
    }
    // Retired at 2.36: the exporter's series of it would read 0 against today's Nova, so none is shown.
    assert.equal(find(samples, 'openstack_nova_quota_floating_ips').length, 0);
    const absolute = (await cloud.request('GET', `/compute/v2.1/limits?tenant_id=${project}`, { token: admin })).body.limits.absolute;
    assert.equal(value(samples, 'openstack_nova_limits_vcpus_max', tenant), absolute.maxTotalCores);
    assert.equal(value(samples, 'openstack_nova_limits_vcpus_used', tenant), absolute.totalCoresUsed);
    assert.equal(value(samples, 'openstack_nova_limits_memory_max', tenant), 65536);
    assert.equal(value(samples, 'openstack_nova_limits_memory_used', tenant), absolute.totalRAMUsed);
    assert.equal(value(samples, 'openstack_nova_limits_instances_max', tenant), absolute.maxTotalInstances);
    assert.equal(value(samples, 'openstack_nova_limits_instances_used', tenant), absolute.totalInstancesUsed);

    const cinderUsage = (await volumes.call('GET', `/os-quota-sets/${project}?usage=True`)).body.quota_set;
    assert.equal(value(samples, 'openstack_cinder_limits_volume_max_gb', tenant), 123);
    // The earlier tests' volumes (2 GB and more) count against the project.
    assert.ok(cinderUsage.gigabytes.in_use >= 2);
    assert.equal(value(samples, 'openstack_cinder_limits_volume_used_gb', tenant), cinderUsage.gigabytes.in_use);
    assert.equal(value(samples, 'openstack_cinder_limits_backup_max_gb', tenant), 456);
    assert.equal(value(samples, 'openstack_cinder_limits_backup_used_gb', tenant), cinderUsage.backup_gigabytes.in_use);

    const neutronDetail = (await cloud.request('GET', `/network/v2.0/quotas/${project}/details`, { token: admin })).body.quota;
    assert.equal(value(samples, 'openstack_neutron_quota_port', { type: 'limit', ...tenant }), 77);
    for (const resource of ['network', 'subnet', 'port', 'router', 'floatingip', 'security_group', 'security_group_rule']) {
      for (const type of ['used', 'reserved', 'limit'])
        assert.equal(value(samples, `openstack_neutron_quota_${resource}`, { type, ...tenant }), neutronDetail[resource][type], `${resource} ${type}`);
    }
    // Every project the admin may list has its series, not just the one changed.
    assert.equal(find(samples, 'openstack_nova_limits_vcpus_max').length, projects.body.projects.length);

    const cinderServices: Array<{ host: string; binary: string; status: string; state: string; zone: string }> = (await volumes.call('GET', '/os-services'))
      .body.services;
    assert.ok(cinderServices.some((s) => s.binary === 'cinder-volume'));
    assert.equal(find(samples, 'openstack_cinder_agent_state').length, cinderServices.length);
    for (const s of cinderServices) {
      const labels = { hostname: s.host, service: s.binary, adminState: s.status, zone: s.zone };
      assert.equal(value(samples, 'openstack_cinder_agent_state', labels), s.state === 'up' ? 1 : 0);
    }
    // An admin disabling a backend shows in the series' labels at the next scrape.
    const backend = cinderServices.find((s) => s.binary === 'cinder-volume')!;
    const disabled = await volumes.call('PUT', '/os-services/disable-log-reason', {
      host: backend.host,
      binary: backend.binary,
      disabled_reason: 'maintenance',
    });
    assert.equal(disabled.status, 200, disabled.text);
    const after = await scrape(cloud);
    assert.equal(find(after, 'openstack_cinder_agent_state', { hostname: backend.host, adminState: 'disabled', disabledReason: 'maintenance' }).length, 1);
    await volumes.call('PUT', '/os-services/enable', { host: backend.host, binary: backend.binary });
  });

  test("a meter appears, in Ceilometer's exporter's names, after a polling cycle", async () => {
    const created = await volumes.call('POST', '/volumes', { volume: { size: 3, name: 'metered' } });
    const volumeId: string = created.body.volume.id;
    await volumes.waitFor(volumeId, 'available');
    assert.equal(find(await scrape(cloud), 'ceilometer_volume_size', { resource: volumeId }).length, 0);
    const agent = cloud.server.services.metering!.internals as PollingAgent;
    await agent.pollCycle(Math.floor(Date.now() / agent.intervalMs));
    const [sample] = find(await scrape(cloud), 'ceilometer_volume_size', { resource: volumeId });
    assert.ok(sample, 'no ceilometer_volume_size sample for the volume');
    assert.equal(sample.value, 3);
    assert.deepEqual(
      { volume: sample.labels.volume, type: sample.labels.type, counter: sample.labels.counter, unit: sample.labels.unit, publisher: sample.labels.publisher },
      { volume: volumeId, type: 'size', counter: 'volume.size', unit: 'GB', publisher: 'ceilometer' },
    );
    assert.equal(sample.labels.project, volumes.projectId);
  });

  test('answers 406 to a client that accepts no text, 405 to other methods', async () => {
    const json = await cloud.request('GET', '/metrics', { headers: { accept: 'application/json' } });
    assert.equal(json.status, 406);
    const refused = await cloud.request('GET', '/metrics', { headers: { accept: 'text/plain;q=0, application/json' } });
    assert.equal(refused.status, 406);
    const prometheus = await cloud.request('GET', '/metrics', {
      headers: { accept: 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1' },
    });
    assert.equal(prometheus.status, 200);
    const post = await cloud.request('POST', '/metrics', { body: {} });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    const head = await fetch(`${cloud.url}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });
});

describe('GET /metrics: who may scrape', () => {
  let cloud: TestServer;
  before(async () => {
    cloud = await startTestServer((config) => {
      config.exporter.allow_loopback = false;
      config.exporter.bearer_token = 'scrape-secret';
      config.metering.enabled = false;
    });
  });
  after(() => cloud.close());

  test('without loopback trust, only the configured bearer token may read the page', async () => {
    assert.equal((await cloud.request('GET', '/metrics')).status, 403);
    assert.equal((await cloud.request('GET', '/metrics', { headers: { authorization: 'Bearer wrong' } })).status, 403);
    // A Keystone token is no scrape credential.
    assert.equal((await cloud.request('GET', '/metrics', { token: await cloud.adminToken() })).status, 403);
    const allowed = await cloud.request('GET', '/metrics', { headers: { authorization: 'Bearer scrape-secret' } });
    assert.equal(allowed.status, 200, allowed.text);
  });
});

/** Nova's and Placement's series with servers booted: openstack-exporter's server status values, each hypervisor's use and each provider's inventory, as the APIs show them. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startComputeCloud, type ComputeCloud } from '../compute/support.js';
import { find, scrape, value } from './support.js';

describe('GET /metrics: servers', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.metering.enabled = false;
    });
  });
  after(() => c.close());

  test('total_vms, server_status (ACTIVE 0, SHUTOFF 11), vcpus_used and placement_resource_* follow the servers', async () => {
    const boot = async (name: string) => {
      const created = await c.call('POST', '/servers', {
        body: { server: { name, imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }] } },
      });
      assert.equal(created.status, 202, created.text);
      const id: string = created.body.server.id;
      await c.waitFor(id, 'ACTIVE');
      return id;
    };
    const running = await boot('scraped-running');
    const stopped = await boot('scraped-stopped');
    assert.equal((await c.call('POST', `/servers/${stopped}/action`, { body: { 'os-stop': null } })).status, 202);
    await c.waitFor(stopped, 'SHUTOFF');

    const samples = await scrape(c.cloud);
    assert.equal(value(samples, 'openstack_nova_total_vms'), 2);
    assert.equal(value(samples, 'openstack_nova_server_status', { id: running, name: 'scraped-running', status: 'ACTIVE', flavor_id: '1' }), 0);
    assert.equal(value(samples, 'openstack_nova_server_status', { id: stopped, status: 'SHUTOFF' }), 11);
    const hypervisors = await c.call('GET', '/os-hypervisors/detail', { token: c.admin });
    const h = hypervisors.body.hypervisors[0];
    assert.ok(h.vcpus_used > 0);
    assert.equal(value(samples, 'openstack_nova_vcpus_used', { hostname: h.hypervisor_hostname }), h.vcpus_used);
    assert.equal(value(samples, 'openstack_nova_local_storage_used_bytes', { hostname: h.hypervisor_hostname }), h.local_gb_used * 1024 ** 3);
    const flavors = await c.call('GET', '/flavors', { token: c.admin });
    assert.equal(value(samples, 'openstack_nova_flavors'), flavors.body.flavors.length);

    // Placement's view of the same host: every provider's inventory and usage as the placement API lists them.
    const placement = (path: string) => c.cloud.request('GET', `/placement${path}`, { token: c.admin });
    const providers: Array<{ uuid: string; name: string; generation: number }> = (await placement('/resource_providers')).body.resource_providers;
    assert.ok(providers.length > 0);
    for (const rp of providers) {
      const inventories: Record<string, { total: number; reserved: number; allocation_ratio: number }> = (
        await placement(`/resource_providers/${rp.uuid}/inventories`)
      ).body.inventories;
      const usages: Record<string, number> = (await placement(`/resource_providers/${rp.uuid}/usages`)).body.usages;
      for (const [resourcetype, inventory] of Object.entries(inventories)) {
        const labels = { hostname: rp.name, resourcetype };
        assert.equal(value(samples, 'openstack_placement_resource_total', labels), inventory.total, resourcetype);
        assert.equal(value(samples, 'openstack_placement_resource_reserved', labels), inventory.reserved, resourcetype);
        assert.equal(value(samples, 'openstack_placement_resource_allocation_ratio', labels), inventory.allocation_ratio, resourcetype);
        assert.equal(value(samples, 'openstack_placement_resource_usage', labels), usages[resourcetype] ?? 0, resourcetype);
        assert.equal(value(samples, 'openstack_placement_resource_generation', labels), rp.generation, resourcetype);
      }
    }
    const computeServices: Array<{ id: string; host: string; state: string; status: string; zone: string }> = (
      await c.cloud.request('GET', '/compute/v2.1/os-services', { token: c.admin, headers: { 'openstack-api-version': 'compute 2.53' } })
    ).body.services;
    assert.ok(computeServices.length > 0);
    for (const service of computeServices) {
      const labels = { id: service.id, hostname: service.host, service: 'nova-compute', adminState: service.status, zone: service.zone };
      assert.equal(value(samples, 'openstack_nova_agent_state', labels), service.state === 'up' ? 1 : 0);
    }
    const vcpusPlaced = find(samples, 'openstack_placement_resource_usage', { resourcetype: 'VCPU' }).reduce((sum, s) => sum + s.value, 0);
    assert.equal(vcpusPlaced, h.vcpus_used);

    assert.equal((await c.call('DELETE', `/servers/${running}`)).status, 204);
    await c.waitFor(running, 'DELETED');
    const after = await scrape(c.cloud);
    assert.equal(value(after, 'openstack_nova_total_vms'), 1);
    assert.equal(find(after, 'openstack_nova_server_status', { id: running }).length, 0);
  });
});

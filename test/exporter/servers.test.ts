/** Nova's series with servers booted: openstack-exporter's server status values and each hypervisor's use, as the compute API shows them. */
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

  test('total_vms, server_status (ACTIVE 0, SHUTOFF 11) and vcpus_used follow the servers', async () => {
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

    assert.equal((await c.call('DELETE', `/servers/${running}`)).status, 204);
    await c.waitFor(running, 'DELETED');
    const after = await scrape(c.cloud);
    assert.equal(value(after, 'openstack_nova_total_vms'), 1);
    assert.equal(find(after, 'openstack_nova_server_status', { id: running }).length, 0);
  });
});

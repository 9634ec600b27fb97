/**
 * Ceilometer's polling agent over a running Nimbus (fake hypervisor) with a
 * stand-in metric door: the compute pollsters' meters, resource types,
 * attributes and archive policies as Ceilometer's gnocchi publisher writes
 * them; central meters from volume, image and object storage; one publish
 * per cycle with two agents on one database; deleted servers' resources
 * ended; polling.yaml's meter selection.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startComputeCloud, type ComputeCloud } from '../compute/support.js';
import { agentFor, RecordingMetric } from './support.js';

describe('metering: polling and the gnocchi publisher', () => {
  let c: ComputeCloud;
  let serverId: string;
  // Cycles driven by hand: numbers far below the real ones (seconds since the epoch) the loop test at the end claims.
  let cycle = 1_000_000;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.metering.enabled = false;
    });
    const created = await c.call('POST', '/servers', {
      body: {
        server: {
          name: 'metered',
          imageRef: c.imageId,
          flavorRef: '1',
          networks: [{ uuid: c.privateNetwork }],
          metadata: { 'fake:cpu_load': '1', 'metering.server_group': 'web' },
        },
      },
    });
    assert.equal(created.status, 202, created.text);
    serverId = created.body.server.id;
    await c.waitFor(serverId, 'ACTIVE');
  });
  after(() => c.close());

  test('compute meters: resource types, ids, attributes, units and archive policies as Ceilometer writes them; cpu rises', async () => {
    const metric = new RecordingMetric();
    const agent = agentFor(c.cloud, metric);
    await agent.pollCycle(++cycle);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await agent.pollCycle(++cycle);

    const instance = metric.upserts.find((u) => u.resourceType === 'instance' && u.resource.id === serverId);
    assert.ok(instance, 'the instance resource is created');
    assert.equal(instance.callerProject, 'service', "written as Ceilometer's user in the service project");
    assert.equal(instance.resource.attributes.display_name, 'metered');
    assert.equal(instance.resource.attributes.flavor_name, 'm1.tiny');
    assert.equal(instance.resource.attributes.flavor_id, '1');
    assert.equal(instance.resource.attributes.host, 'nimbus-compute');
    assert.equal(instance.resource.attributes.image_ref, c.imageId);
    assert.equal(instance.resource.attributes.server_group, 'web');
    assert.deepEqual(instance.resource.metrics.cpu, { archivePolicyName: 'ceilometer-low-rate', unit: 'ns' });
    assert.deepEqual(instance.resource.metrics.vcpus, { archivePolicyName: 'ceilometer-low', unit: 'vcpu' });
    assert.deepEqual(instance.resource.metrics.memory, { archivePolicyName: 'ceilometer-low', unit: 'MB' });
    assert.ok(instance.resource.metrics['memory.usage']);
    assert.ok(instance.resource.metrics['disk.root.size']);
    // Unchanged attributes are not written again on the second cycle.
    assert.equal(metric.upserts.filter((u) => u.resource.id === serverId).length, 1);

    const disk = metric.upserts.find((u) => u.resourceType === 'instance_disk');
    assert.equal(disk?.resource.id, `${serverId}-vda`);
    assert.deepEqual(disk?.resource.attributes, { name: 'vda', instance_id: serverId });
    assert.deepEqual(disk?.resource.metrics['disk.device.read.bytes'], { archivePolicyName: 'ceilometer-low-rate', unit: 'B' });
    const vnic = metric.upserts.find((u) => u.resourceType === 'instance_network_interface');
    assert.match(vnic?.resource.id ?? '', new RegExp(`^instance-${serverId}-${serverId}-tap[0-9a-f-]{11}$`));
    assert.equal(vnic?.resource.attributes.instance_id, serverId);
    assert.ok(vnic?.resource.metrics['network.incoming.packets']);

    const cpu = metric.measuresOf(serverId, 'cpu');
    assert.equal(cpu.length, 2, 'one cpu measure per cycle');
    assert.equal(cpu[0]!.archivePolicyName, 'ceilometer-low-rate');
    const [first, second] = cpu.map((m) => m.measures[0]!);
    assert.ok(second!.value - first!.value >= 1e8, `cpu rose by ${second!.value - first!.value} ns`);
    assert.ok(second!.timestamp > first!.timestamp);
  });

  test('central meters: volume.size, image.size, ip.floating and the Swift account meters per project', async () => {
    const projectId = await demoProject(c);
    const publicNet = (await c.cloud.request('GET', '/network/v2.0/networks?name=public', { token: c.demo })).body.networks[0].id;
    const fip = await c.cloud.request('POST', '/network/v2.0/floatingips', { token: c.demo, body: { floatingip: { floating_network_id: publicNet } } });
    assert.equal(fip.status, 201, fip.text);
    const volume = await c.cloud.request('POST', `/volume/v3/${projectId}/volumes`, { token: c.demo, body: { volume: { size: 2, name: 'vol' } } });
    assert.equal(volume.status, 202, volume.text);
    const metric = new RecordingMetric();
    await agentFor(c.cloud, metric).pollCycle(++cycle);
    const volumeId: string = volume.body.volume.id;
    const size = metric.measuresOf(volumeId, 'volume.size');
    assert.equal(size[0]?.measures[0]?.value, 2);
    assert.equal(size[0]?.unit, 'GB');
    const volumeResource = metric.upserts.find((u) => u.resource.id === volumeId);
    assert.equal(volumeResource?.resourceType, 'volume');
    assert.equal(volumeResource?.resource.attributes.display_name, 'vol');
    const image = metric.upserts.find((u) => u.resource.id === c.imageId);
    assert.equal(image?.resourceType, 'image');
    assert.ok(metric.measuresOf(c.imageId, 'image.size')[0]!.measures[0]!.value > 0);
    const fipId: string = fip.body.floatingip.id;
    assert.equal(metric.upserts.find((u) => u.resource.id === fipId)?.resourceType, 'network');
    assert.deepEqual(
      metric.measuresOf(fipId, 'ip.floating').map((m) => [m.unit, m.measures[0]?.value]),
      [['ip', 1]],
    );
    const account = metric.upserts.find((u) => u.resourceType === 'swift_account' && u.resource.id === projectId);
    assert.ok(account, "the demo project's swift_account resource");
    assert.equal(metric.measuresOf(projectId, 'storage.objects.containers')[0]?.measures[0]?.value, 0);
    assert.equal(metric.measuresOf(projectId, 'storage.objects')[0]?.unit, 'object');
  });

  test('two agents on one database: a cycle is polled and published once', async () => {
    const metric = new RecordingMetric();
    const [a, b] = [agentFor(c.cloud, metric), agentFor(c.cloud, metric)];
    const next = ++cycle;
    await Promise.all([a.pollCycle(next), b.pollCycle(next)]);
    assert.equal(metric.measuresOf(serverId, 'cpu').length, 1);
    assert.equal(metric.measuresOf(c.imageId, 'image.size').length, 1);
  });

  test("polling.yaml's meters: an exclusion leaves a meter out", async () => {
    const metric = new RecordingMetric();
    await agentFor(c.cloud, metric, (config) => (config.polling.meters = ['*', '!cpu', '!storage.*'])).pollCycle(++cycle);
    assert.equal(metric.measuresOf(serverId, 'cpu').length, 0);
    assert.equal(metric.measuresOf(serverId, 'vcpus').length, 1);
    assert.ok(!metric.pushes.flat().some((m) => m.metricName.startsWith('storage.')));
  });

  test("a deleted server's instance, disk and interface resources are ended", async () => {
    const metric = new RecordingMetric();
    const agent = agentFor(c.cloud, metric);
    await agent.pollCycle(++cycle);
    assert.equal((await c.call('DELETE', `/servers/${serverId}`)).status, 204);
    await c.waitFor(serverId, 'DELETED');
    await agent.pollCycle(++cycle);
    const ended = metric.ended.filter((e) => e.resourceId.includes(serverId));
    assert.deepEqual(ended.map((e) => e.resourceType).sort(), ['instance', 'instance_disk', 'instance_network_interface']);
  });

  test('the loop polls on each interval boundary once started, and stops (last: its real cycle numbers pass the ones above)', async () => {
    const metric = new RecordingMetric();
    const agent = agentFor(c.cloud, metric);
    agent.start();
    try {
      const deadline = Date.now() + 5000;
      while (metric.measuresOf(c.imageId, 'image.size').length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await agent.stop();
    }
    assert.ok(metric.measuresOf(c.imageId, 'image.size').length >= 2, 'two cycles of a 1 s interval within 5 s');
    const settled = metric.pushes.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(metric.pushes.length, settled, 'nothing polled after stop');
  });
});

async function demoProject(c: ComputeCloud): Promise<string> {
  const projects = await c.cloud.request('GET', '/identity/v3/auth/projects', { token: c.demo });
  return projects.body.projects.find((p: { name: string }) => p.name === 'demo').id;
}

/**
 * Server usage counters through compute's door on the fake driver: CPU time
 * grows with the load set per server (metadata `fake:cpu_load`), only while
 * the guest runs; the listing of this process's servers names their host and
 * flavor; both calls are admin-only, and a stopped server answers Nova's 409.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallerContext } from '../../src/core/context.js';
import type { NimbusError } from '../../src/core/errors.js';
import type { ComputeOperations } from '../../src/compute/operations.js';
import { startComputeCloud, type ComputeCloud } from './support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('compute: server statistics (fake driver)', () => {
  let c: ComputeCloud;
  let ops: ComputeOperations;
  let admin: CallerContext;
  let member: CallerContext;
  before(async () => {
    c = await startComputeCloud();
    ops = c.cloud.server.services.compute?.operations as ComputeOperations;
    const { authenticator } = c.cloud.server.services.identity as { authenticator: { authenticate(token: string): Promise<CallerContext> } };
    admin = await authenticator.authenticate(c.admin);
    member = await authenticator.authenticate(c.demo);
  });
  after(() => c.close());

  const boot = async (name: string, metadata: Record<string, string>) => {
    const created = await c.call('POST', '/servers', {
      body: { server: { name, imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }], metadata } },
    });
    assert.equal(created.status, 202, created.text);
    const id: string = created.body.server.id;
    await c.waitFor(id, 'ACTIVE');
    return id;
  };

  test('CPU time rises with the load; counters are cumulative; disks and interfaces are named as the guest sees them', async () => {
    const busy = await boot('busy', { 'fake:cpu_load': '1' });
    const idle = await boot('idle', {});
    const first = await ops.serverStats(admin, busy);
    await sleep(300);
    const second = await ops.serverStats(admin, busy);
    const idleStats = await ops.serverStats(admin, idle);
    // One vCPU fully busy for ~300 ms: about 3e8 ns; the idle guest at 1 % far less.
    assert.ok(second.cpuTimeNs - first.cpuTimeNs >= 2e8, `busy guest gained ${second.cpuTimeNs - first.cpuTimeNs} ns`);
    assert.ok(idleStats.cpuTimeNs < second.cpuTimeNs / 10);
    assert.equal(second.vcpus, 1);
    assert.equal(second.memoryMb, 512);
    assert.ok(second.memoryUsageMb !== null && second.memoryUsageMb <= 512);
    assert.deepEqual(
      second.disks.map((d) => d.device),
      ['vda'],
    );
    assert.ok(second.disks[0]!.readBytes >= first.disks[0]!.readBytes);
    assert.equal(second.interfaces.length, 1);
    assert.match(second.interfaces[0]!.tapName, /^tap[0-9a-f-]{11}$/);
    assert.ok(second.interfaces[0]!.rxBytes > 0);
  });

  test('a metadata update changes the load from then on; the CPU time already counted stays', async () => {
    const id = await boot('varying', {});
    const rateOver = async (ms: number) => {
      const before = (await ops.serverStats(admin, id)).cpuTimeNs;
      await sleep(ms);
      const after = (await ops.serverStats(admin, id)).cpuTimeNs;
      assert.ok(after >= before, 'the CPU time never goes back');
      return ((after - before) / ms) * 1e3;
    };
    assert.ok((await rateOver(200)) < 5e7, 'idle at first');
    const set = await c.call('POST', `/servers/${id}/metadata`, { body: { metadata: { 'fake:cpu_load': '0.9' } } });
    assert.equal(set.status, 200, set.text);
    const busyRate = await rateOver(300);
    assert.ok(busyRate > 6e8 && busyRate < 1.2e9, `busy at 0.9 of a vCPU: ${busyRate} ns/s`);
    // Replacing all metadata without the key puts the guest back to the idle default; so does deleting the key.
    assert.equal((await c.call('PUT', `/servers/${id}/metadata`, { body: { metadata: { role: 'web' } } })).status, 200);
    assert.ok((await rateOver(200)) < 5e7, 'idle again');
    assert.equal((await c.call('PUT', `/servers/${id}/metadata/fake:cpu_load`, { body: { meta: { 'fake:cpu_load': '1' } } })).status, 200);
    assert.ok((await rateOver(200)) > 6e8);
    assert.equal((await c.call('DELETE', `/servers/${id}/metadata/fake:cpu_load`)).status, 204);
    assert.ok((await rateOver(200)) < 5e7);
  });

  test("listing: every live server on this process's hosts, with host and flavor; a stopped server answers 409", async () => {
    const id = await boot('stopper', { 'fake:cpu_load': '0.5' });
    const listed = await ops.localServers(admin);
    const mine = listed.find((s) => s.id === id);
    assert.ok(mine);
    assert.equal(mine.host, 'nimbus-compute');
    assert.equal(mine.flavor.name, 'm1.tiny');
    assert.equal(mine.instanceName, `instance-${id}`);
    assert.equal(mine.metadata['fake:cpu_load'], '0.5');

    assert.equal((await c.call('POST', `/servers/${id}/action`, { body: { 'os-stop': null } })).status, 202);
    await c.waitFor(id, 'SHUTOFF');
    const refused = await ops.serverStats(admin, id).then(
      () => assert.fail('stats of a stopped server'),
      (error: NimbusError) => error,
    );
    assert.equal(refused.status, 409);
    assert.match(refused.message, /Cannot 'get_diagnostics' instance/);
  });

  test('both calls are admin-only, as Nova’s diagnostics and os-hypervisors:servers', async () => {
    const id = (await ops.localServers(admin))[0]!.id;
    for (const call of [() => ops.serverStats(member, id), () => ops.localServers(member)]) {
      const error = await call().then(
        () => assert.fail('a member read usage'),
        (e: NimbusError) => e,
      );
      assert.equal(error.status, 403);
    }
  });
});

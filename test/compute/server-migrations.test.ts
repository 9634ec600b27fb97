/**
 * /servers/{id}/migrations for a live migration in progress (the fake holds
 * the memory copy while metadata `fake:hold_migration` says): list and show
 * (2.23, uuid from 2.59), force_complete (2.22), abort (2.24), with Nova's
 * 404/400/409 answers per microversion and state.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe("compute: a server's live migrations in progress", () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.compute.fake.hosts = 2;
    });
  });
  after(() => c.close());

  const admin = (method: string, path: string, version: string, body?: unknown) =>
    c.call(method, path, { token: c.admin, version, ...(body !== undefined ? { body } : {}) });
  const hostOf = async (id: string) => (await admin('GET', `/servers/${id}`, '2.79')).body.server['OS-EXT-SRV-ATTR:host'] as string;
  const bootHeld = async (name: string) => {
    const created = await c.call('POST', '/servers', {
      version: '2.37',
      body: { server: { name, imageRef: c.imageId, flavorRef: '42', networks: 'none', metadata: { 'fake:hold_migration': '60' } } },
    });
    assert.equal(created.status, 202, created.text);
    return (await c.waitFor(created.body.server.id, 'ACTIVE')).id as string;
  };
  /** Starts a live migration and waits until it copies memory (status running). */
  const migrating = async (id: string) => {
    assert.equal((await admin('POST', `/servers/${id}/action`, '2.25', { 'os-migrateLive': { host: null, block_migration: 'auto' } })).status, 202);
    for (let i = 0; i < 200; i++) {
      const [running] = (await admin('GET', `/servers/${id}/migrations`, '2.23')).body.migrations ?? [];
      if (running?.status === 'running') return running as Record<string, unknown>;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return assert.fail('the live migration never ran');
  };
  const actionsOf = async (id: string) =>
    (await c.call('GET', `/servers/${id}/os-instance-actions`)).body.instanceActions.map((a: { action: string }) => a.action);

  test('list and show while it runs; force_complete finishes it on the new host', async () => {
    const id = await bootHeld('force-me');
    const source = await hostOf(id);
    novaError(await admin('POST', `/servers/${id}/migrations/1/action`, '2.22', { force_complete: null }), 409, 'conflictingRequest');
    const running = await migrating(id);
    assert.equal(running.server_uuid, id);
    assert.equal(running.source_compute, source);
    assert.notEqual(running.dest_compute, source);
    assert.equal(running.uuid, undefined, 'uuid only from 2.59');
    assert.equal('memory_total_bytes' in running, true);
    const mig = running.id as number;

    novaError(await admin('GET', `/servers/${id}/migrations`, '2.22'), 404, 'itemNotFound');
    novaError(await c.call('GET', `/servers/${id}/migrations`, { version: '2.23' }), 403, 'forbidden');
    const shown = (await admin('GET', `/servers/${id}/migrations/${mig}`, '2.59')).body.migration;
    assert.equal(shown.status, 'running');
    assert.match(shown.uuid, /^[0-9a-f-]{36}$/);
    assert.equal('user_id' in shown, false, 'the owner only from 2.80');
    const owned = (await admin('GET', `/servers/${id}/migrations/${mig}`, '2.80')).body.migration;
    assert.match(owned.user_id, /^[0-9a-f]{32}$/);
    assert.match(owned.project_id, /^[0-9a-f]{32}$/);
    assert.equal((await admin('GET', `/servers/${id}/migrations`, '2.80')).body.migrations[0].user_id, owned.user_id);
    novaError(await admin('GET', `/servers/${id}/migrations/9999`, '2.23'), 404, 'itemNotFound');

    novaError(await admin('POST', `/servers/${id}/migrations/${mig}/action`, '2.21', { force_complete: null }), 404, 'itemNotFound');
    novaError(await admin('POST', `/servers/${id}/migrations/${mig}/action`, '2.22', { force_complete: {} }), 400, 'badRequest');
    novaError(await admin('POST', `/servers/${id}/migrations/${mig}/action`, '2.22', { force_complete: null, other: 1 }), 400, 'badRequest');
    assert.equal(
      novaError(await admin('POST', `/servers/${id}/migrations/9999/action`, '2.22', { force_complete: null }), 400, 'badRequest'),
      `Migration 9999 not found for instance ${id}`,
    );
    const forced = await admin('POST', `/servers/${id}/migrations/${mig}/action`, '2.22', { force_complete: null });
    assert.equal(forced.status, 202, forced.text);
    await c.waitFor(id, 'ACTIVE');
    assert.notEqual(await hostOf(id), source);
    assert.deepEqual((await admin('GET', `/servers/${id}/migrations`, '2.23')).body.migrations, []);
    assert.equal(
      novaError(await admin('GET', `/servers/${id}/migrations/${mig}`, '2.23'), 404, 'itemNotFound'),
      `Live migration ${mig} for server ${id} is not in progress.`,
    );
    assert.equal((await actionsOf(id)).includes('live_migration_force_complete'), true);
  });

  test('abort (2.24) leaves the server running where it was, the migration cancelled', async () => {
    const id = await bootHeld('abort-me');
    const source = await hostOf(id);
    const mig = (await migrating(id)).id as number;
    novaError(await admin('DELETE', `/servers/${id}/migrations/${mig}`, '2.23'), 404, 'itemNotFound');
    novaError(await admin('DELETE', `/servers/${id}/migrations/9999`, '2.24'), 404, 'itemNotFound');
    novaError(await c.call('DELETE', `/servers/${id}/migrations/${mig}`, { version: '2.24' }), 403, 'forbidden');
    assert.equal((await admin('DELETE', `/servers/${id}/migrations/${mig}`, '2.24')).status, 202);
    const server = await c.waitFor(id, 'ACTIVE');
    assert.equal(server.fault, undefined, 'an abort is no fault');
    assert.equal(await hostOf(id), source);
    const [record] = (await admin('GET', `/os-migrations?instance_uuid=${id}`, '2.59')).body.migrations;
    assert.equal(record.status, 'cancelled');
    const allocations = (await c.cloud.request('GET', `/placement/allocations/${id}`, { token: c.admin })).body.allocations;
    assert.equal(Object.keys(allocations).length, 1, 'only the source allocation is left');
    assert.deepEqual((await c.cloud.request('GET', `/placement/allocations/${record.uuid}`, { token: c.admin })).body.allocations, {});
    assert.equal(
      novaError(await admin('DELETE', `/servers/${id}/migrations/${mig}`, '2.24'), 409, 'conflictingRequest'),
      `Cannot 'abort live migration' instance ${id} while it is in task_state None`,
    );
    assert.equal((await actionsOf(id)).includes('live_migration_cancel'), true);
  });
});

/**
 * `/_nimbus/state` on PostgreSQL: a snapshot saved, the cloud changed through
 * the APIs, the snapshot loaded back (rows, sequences, tokens and their
 * revocations); reset; snapshot schemas dropped with their snapshot. Runs
 * when NIMBUS_TEST_PG_URL names a server where the test may create
 * databases. Real drivers answer 501 on either engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { defaultConfig } from '../../src/config.js';
import type { ControlContext } from '../../src/control/context.js';
import { StateSnapshots } from '../../src/control/state/snapshots.js';
import type { Database } from '../../src/core/db/database.js';
import { startComputeCloud, type ComputeCloud } from '../compute/support.js';
import { postgresSkip } from '../support/postgres-server.js';
import type { TestResponse } from '../support/server.js';

describe('state snapshots on PostgreSQL', { skip: postgresSkip }, () => {
  let cloud: ComputeCloud;
  before(async () => {
    cloud = await startComputeCloud(
      (config) => {
        config.server.bootstrap_snapshot = true;
        // Its first poll writes meters at a moment of its own: the row-for-row comparisons below need a cloud that only the test changes.
        config.metering.enabled = false;
      },
      { postgres: true },
    );
  });
  after(async () => cloud?.close());

  const control = (method: string, path: string, body?: unknown): Promise<TestResponse> =>
    cloud.cloud.request(method, `/_nimbus${path}`, { token: cloud.admin, ...(body !== undefined ? { body } : {}) });
  const identity = (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse> =>
    cloud.cloud.request(method, `/identity/v3${path}`, { token: cloud.admin, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });
  const validates = async (token: string): Promise<boolean> => (await identity('GET', '/auth/tokens', undefined, { 'x-subject-token': token })).status === 200;
  /** The snapshot schemas in the cloud's database. */
  const snapshotSchemas = async (): Promise<string[]> => {
    const rows = await sql<{ name: string }>`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'nimbus_snap_%' ORDER BY nspname`.execute(
      cloud.cloud.server.db.kysely,
    );
    return rows.rows.map((r) => r.name);
  };

  test('save, change through the APIs, load: the change is gone, tokens and revocations as saved, ids go on', async () => {
    const network = await cloud.cloud.request('POST', '/network/v2.0/networks', { token: cloud.admin, body: { network: { name: 'saved-net' } } });
    const kept = await identity('POST', '/users', { user: { name: 'kept-user', password: 'secret-1' } });
    const keptToken = await cloud.cloud.token({ name: 'kept-user', password: 'secret-1' });
    const revokedBefore = await cloud.cloud.token({ name: 'kept-user', password: 'secret-1' });
    // A revocation row: its id comes from an identity column's sequence.
    assert.equal((await identity('DELETE', '/auth/tokens', undefined, { 'x-subject-token': revokedBefore })).status, 204);

    const saved = await control('POST', '/state/save', { name: 'before' });
    assert.equal(saved.status, 201, saved.text);
    assert.ok(saved.body.snapshot.size > 0);

    await cloud.cloud.request('PUT', `/network/v2.0/networks/${network.body.network.id}`, { token: cloud.admin, body: { network: { name: 'renamed' } } });
    const extra = await cloud.cloud.request('POST', '/network/v2.0/networks', { token: cloud.admin, body: { network: { name: 'after-save' } } });
    assert.equal((await identity('DELETE', `/users/${kept.body.user.id}`)).status, 204);
    const added = await identity('POST', '/users', { user: { name: 'added-user', password: 'secret-2' } });
    const addedToken = await cloud.cloud.token({ name: 'added-user', password: 'secret-2' });
    assert.equal(await validates(keptToken), false, 'its user is deleted');

    const loaded = await control('POST', '/state/load', { name: 'before' });
    assert.equal(loaded.status, 204, loaded.text);

    assert.equal(
      (await cloud.cloud.request('GET', `/network/v2.0/networks/${network.body.network.id}`, { token: cloud.admin })).body.network.name,
      'saved-net',
    );
    assert.equal((await cloud.cloud.request('GET', `/network/v2.0/networks/${extra.body.network.id}`, { token: cloud.admin })).status, 404);
    assert.equal((await identity('GET', `/users/${added.body.user.id}`)).status, 404);
    assert.equal(await validates(keptToken), true, 'a token valid at save is valid again: its user is back');
    assert.equal(await validates(revokedBefore), false, 'a token revoked before save stays revoked');
    assert.equal(await validates(addedToken), false, 'a token of a user made after save is not');

    // New rows after the load: identity columns' sequences were set back with the rows, and go on without a collision.
    for (let i = 0; i < 3; i++) {
      const token = await cloud.cloud.token({ name: 'kept-user', password: 'secret-1' });
      assert.equal((await identity('DELETE', '/auth/tokens', undefined, { 'x-subject-token': token })).status, 204);
      assert.equal(await validates(token), false);
    }
    assert.equal(await validates(keptToken), true);
    assert.equal((await identity('POST', '/users', { user: { name: 'added-user', password: 'secret-3' } })).status, 201);
  });

  test('reset, list and delete; a replaced or deleted snapshot drops its schema', async () => {
    const network = await cloud.cloud.request('POST', '/network/v2.0/networks', { token: cloud.admin, body: { network: { name: 'after-start' } } });
    assert.equal((await control('POST', '/state/reset')).status, 204);
    assert.equal((await cloud.cloud.request('GET', `/network/v2.0/networks/${network.body.network.id}`, { token: cloud.admin })).status, 404);
    const images = await cloud.cloud.request('GET', '/image/v2/images?name=nimbus-blank-qcow2', { token: cloud.admin });
    assert.equal(images.body.images.length, 1, 'the start-up content stays');

    // A second reset copies back only the tables changed since the first: rows added, and rows deleted.
    const again = await cloud.cloud.request('POST', '/network/v2.0/networks', { token: cloud.admin, body: { network: { name: 'after-reset' } } });
    const image = images.body.images[0].id;
    assert.equal((await cloud.cloud.request('DELETE', `/image/v2/images/${image}`, { token: cloud.admin })).status, 204);
    assert.equal((await control('POST', '/state/reset')).status, 204);
    assert.equal((await cloud.cloud.request('GET', `/network/v2.0/networks/${again.body.network.id}`, { token: cloud.admin })).status, 404);
    assert.equal((await cloud.cloud.request('GET', `/image/v2/images/${image}`, { token: cloud.admin })).body.status, 'active');

    assert.deepEqual(
      (await control('GET', '/state')).body.snapshots.map((s: { name: string }) => s.name),
      ['before', 'bootstrap'],
    );
    const schemas = await snapshotSchemas();
    assert.equal(schemas.length, 2);
    assert.equal((await control('POST', '/state/save', { name: 'before' })).status, 201);
    const replaced = await snapshotSchemas();
    assert.equal(replaced.length, 2, 'the older "before" dropped its schema');
    assert.notDeepEqual(replaced, schemas);
    assert.equal((await control('DELETE', '/state/before')).status, 204);
    assert.equal((await snapshotSchemas()).length, 1);
    assert.equal((await control('POST', '/state/load', { name: 'before' })).status, 404);
  });

  /** Every row of every table of the cloud's schema (Nimbus's own journal left out), each table's rows as sorted JSON. */
  const allRows = async (): Promise<Record<string, string[]>> => {
    const db = cloud.cloud.server.db.kysely;
    const tables = await sql<{ name: string }>`SELECT relname AS name FROM pg_class
      WHERE relnamespace = CAST(current_schema() AS regnamespace) AND relkind = 'r' AND NOT starts_with(relname, 'nimbus:')`.execute(db);
    const result: Record<string, string[]> = {};
    for (const { name } of tables.rows) {
      const rows = await sql<{ row: string }>`SELECT CAST(to_jsonb(t) AS text) AS row FROM ${sql.id(name)} t`.execute(db);
      result[name] = rows.rows.map((r) => r.row).sort();
    }
    return result;
  };
  const demoProject = async (): Promise<string> => (await identity('GET', '/projects?name=demo')).body.projects[0].id as string;
  const waitForVolume = async (project: string, id: string, status: string): Promise<void> => {
    for (let i = 0; i < 400; i++) {
      const shown = await cloud.cloud.request('GET', `/volume/v3/${project}/volumes/${id}`, { token: cloud.demo });
      if (shown.body.volume?.status === status) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.fail(`volume ${id} never became ${status}`);
  };

  test('reset after a server with a port and an attached volume: every row of every table as before, files too', async () => {
    assert.equal((await control('POST', '/state/reset')).status, 204);
    const before = await allRows();
    const project = await demoProject();
    const port = await cloud.cloud.request('POST', '/network/v2.0/ports', { token: cloud.demo, body: { port: { network_id: cloud.privateNetwork } } });
    assert.equal(port.status, 201, port.text);
    const server = await cloud.call('POST', '/servers', {
      body: { server: { name: 'attached', imageRef: cloud.imageId, flavorRef: '42', networks: [{ port: port.body.port.id }] } },
      version: '2.37',
    });
    assert.equal(server.status, 202, server.text);
    const serverId = server.body.server.id as string;
    await cloud.waitFor(serverId, 'ACTIVE');
    const volume = await cloud.cloud.request('POST', `/volume/v3/${project}/volumes`, { token: cloud.demo, body: { volume: { size: 1, name: 'data' } } });
    assert.equal(volume.status, 202, volume.text);
    await waitForVolume(project, volume.body.volume.id, 'available');
    const attached = await cloud.call('POST', `/servers/${serverId}/os-volume_attachments`, {
      body: { volumeAttachment: { volumeId: volume.body.volume.id } },
    });
    assert.equal(attached.status, 200, attached.text);
    await waitForVolume(project, volume.body.volume.id, 'in-use');
    assert.notDeepEqual(await allRows(), before);

    assert.equal((await control('POST', '/state/reset')).status, 204);
    assert.deepEqual(await allRows(), before);
    assert.equal((await cloud.call('GET', `/servers/${serverId}`)).status, 404);
    assert.equal((await cloud.cloud.request('GET', `/volume/v3/${project}/volumes/${volume.body.volume.id}`, { token: cloud.demo })).status, 404);
  });

  test('a write in another session waits for the reset or is undone whole; writes racing a reset are undone by the next', async () => {
    assert.equal((await control('POST', '/state/reset')).status, 204);
    const before = await allRows();
    const db = cloud.cloud.server.db.kysely;
    await db.connection().execute(async (other) => {
      await sql`BEGIN`.execute(other);
      await sql`UPDATE project SET description = 'written during the reset' WHERE name = 'demo'`.execute(other);
      let done = false;
      const reset = control('POST', '/state/reset').then((response) => {
        done = true;
        return response;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(done, false, 'the reset waits for the open transaction');
      await sql`UPDATE project SET extra = '{"during": true}' WHERE name = 'demo'`.execute(other);
      await sql`COMMIT`.execute(other);
      assert.equal((await reset).status, 204);
    });
    assert.deepEqual(await allRows(), before, 'the committed write is undone whole');

    const racing = Array.from({ length: 6 }, (_, i) =>
      cloud.cloud.request('POST', '/network/v2.0/networks', { token: cloud.admin, body: { network: { name: `racing-${i}` } } }),
    );
    const resetDuring = control('POST', '/state/reset');
    const statuses = (await Promise.all(racing)).map((r) => r.status);
    assert.deepEqual(statuses, Array(6).fill(201));
    assert.equal((await resetDuring).status, 204);
    assert.equal((await control('POST', '/state/reset')).status, 204);
    assert.deepEqual(await allRows(), before, 'networks made before, during or after the first reset are gone after the second');
  });
});

test('real drivers answer 501 on either engine: their guests and bridges cannot be rewound', async () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    for (const [compute, network] of [
      ['qemu', 'noop'],
      ['fake', 'linuxbridge'],
    ]) {
      const config = defaultConfig();
      config.compute.compute_driver = compute;
      config.network.driver = network;
      const context = { config, db: { dialect } as Database, dataDir: '/nonexistent', services: {} } as ControlContext;
      const snapshots = new StateSnapshots(context);
      assert.equal(snapshots.supported(), false);
      await assert.rejects(snapshots.save('x'), (error: Error & { status?: number }) => {
        assert.equal(error.status, 501, `${dialect} ${compute}/${network}`);
        assert.match(error.message, compute === 'qemu' ? /compute driver/ : /network driver/);
        return true;
      });
    }
  }
});

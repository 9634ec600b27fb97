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

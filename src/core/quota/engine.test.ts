import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { forEachDialect, type TestDialect } from '../../../test/support/databases.js';
import { openCoreDatabase } from '../../../test/support/core-database.js';
import { BadRequest, QuotaExceeded } from '../errors.js';
import { QuotaEngine } from './index.js';

async function setup(dialect: TestDialect, t: TestContext) {
  const { db } = await openCoreDatabase(dialect, t);
  const engine = new QuotaEngine(db);
  const compute = engine.register('compute', { instances: 10, cores: 20, ram: 51200 });
  const inTransaction = <T>(fn: (trx: typeof db.kysely) => Promise<T>) => db.kysely.transaction().execute(fn);
  return { db, engine, compute, inTransaction };
}

forEachDialect('quota engine', (dialect) => {
  test('50 concurrent reservations against a limit of 10: exactly 10 succeed', async (t) => {
    const { compute, inTransaction } = await setup(dialect, t);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        inTransaction(async (trx) => {
          await compute.reserve(trx, 'p1', { instances: 1, cores: 1 });
          // Hold the transaction open a little so that others queue behind it.
          await delay(i % 3);
        }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof QuotaExceeded, String(r.reason));
    assert.deepEqual(await compute.getUsage('p1'), { instances: 10, cores: 10, ram: 0 });
  });

  test('usage reserved in a rolled-back transaction is not kept', async (t) => {
    const { compute, inTransaction } = await setup(dialect, t);
    await assert.rejects(
      inTransaction(async (trx) => {
        await compute.reserve(trx, 'p1', { instances: 1, ram: 2048 });
        throw new Error('the server insert failed');
      }),
      /the server insert failed/,
    );
    assert.deepEqual(await compute.getUsage('p1'), { instances: 0, cores: 0, ram: 0 });
  });

  test('QuotaExceeded names the first resource over its limit, and nothing is reserved', async (t) => {
    const { compute, inTransaction } = await setup(dialect, t);
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 8, cores: 4 }));
    // The caller swallows the error and commits: the cores taken before instances failed are given back.
    const error = await inTransaction(async (trx) => {
      try {
        await compute.reserve(trx, 'p1', { cores: 2, instances: 3, ram: 99_999 });
        return undefined;
      } catch (err) {
        return err;
      }
    });
    assert.ok(error instanceof QuotaExceeded);
    assert.equal(error.resource, 'instances');
    assert.equal(error.limit, 10);
    assert.equal(error.inUse, 8);
    assert.equal(error.requested, 3);
    assert.equal(error.message, 'Quota exceeded for instances: requested 3, but already used 8 of 10.');
    assert.deepEqual(await compute.getUsage('p1'), { instances: 8, cores: 4, ram: 0 });
  });

  test('release gives usage back and never goes below zero', async (t) => {
    const { compute, inTransaction } = await setup(dialect, t);
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 10, cores: 6 }));
    await assert.rejects(
      inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 1 })),
      QuotaExceeded,
    );
    await inTransaction((trx) => compute.release(trx, 'p1', { instances: 1, cores: 9, ram: 512 }));
    assert.deepEqual(await compute.getUsage('p1'), { instances: 9, cores: 0, ram: 0 });
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 1 }));
    assert.deepEqual(await compute.getUsage('p1'), { instances: 10, cores: 0, ram: 0 });
  });

  test('an unlimited (-1) resource never refuses but still counts', async (t) => {
    const { compute, inTransaction } = await setup(dialect, t);
    await compute.setLimit('p1', 'instances', -1);
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 1000 }));
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 1 }));
    assert.deepEqual(await compute.getUsage('p1'), { instances: 1001, cores: 0, ram: 0 });
    assert.equal((await compute.getLimits('p1')).instances, -1);
  });

  test('an unchecked reservation counts past the limit, and later checked ones see it', async (t) => {
    const { compute, inTransaction } = await setup(dialect, t);
    await compute.setLimit('p1', 'instances', 2);
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 3 }, { unchecked: true }));
    assert.equal((await compute.getUsage('p1')).instances, 3);
    assert.deepEqual(await compute.projectsWithOwnLimits(), ['p1']);
    await assert.rejects(
      inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 1 })),
      (err: unknown) => err instanceof QuotaExceeded,
    );
  });

  test('a project limit overrides the operator default, which overrides the registered one', async (t) => {
    const { compute, inTransaction } = await setup(dialect, t);
    assert.deepEqual(await compute.getDefaults(), { instances: 10, cores: 20, ram: 51200 });
    await compute.setDefault('cores', 40);
    await compute.setLimit('p1', 'instances', 2);
    assert.deepEqual(await compute.getDefaults(), { instances: 10, cores: 40, ram: 51200 });
    assert.deepEqual(await compute.getLimits('p1'), { instances: 2, cores: 40, ram: 51200 });
    assert.deepEqual(await compute.getLimits('p2'), { instances: 10, cores: 40, ram: 51200 });

    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 2 }));
    await assert.rejects(
      inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 1 })),
      QuotaExceeded,
    );
    await inTransaction((trx) => compute.reserve(trx, 'p2', { instances: 3 }));

    await compute.resetLimit('p1', 'instances');
    assert.deepEqual(await compute.getLimits('p1'), { instances: 10, cores: 40, ram: 51200 });
    await compute.setLimit('p1', 'ram', 1024);
    await compute.setLimit('p1', 'cores', 1);
    await compute.resetLimit('p1');
    assert.deepEqual(await compute.getLimits('p1'), { instances: 10, cores: 40, ram: 51200 });
  });

  test('services keep separate resources of the same name', async (t) => {
    const { engine, compute, inTransaction } = await setup(dialect, t);
    const volume = engine.register('volume', { instances: 1 });
    await inTransaction((trx) => volume.reserve(trx, 'p1', { instances: 1 }));
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 5 }));
    assert.deepEqual(await volume.getUsage('p1'), { instances: 1 });
    assert.equal((await compute.getUsage('p1')).instances, 5);
    assert.throws(() => engine.register('volume', { volumes: 10 }), /already registered/);
  });

  test('a limit may go below usage: new reservations fail, releases work; checkUsage refuses it', async (t) => {
    const { compute, inTransaction } = await setup(dialect, t);
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 5 }));
    await assert.rejects(
      compute.setLimit('p1', 'instances', 3, { checkUsage: true }),
      (err: unknown) => err instanceof BadRequest && /greater than or equal to already used and reserved 5/.test(err.message),
    );
    await compute.setLimit('p1', 'instances', 3);
    assert.equal((await compute.getLimits('p1')).instances, 3);
    await assert.rejects(
      inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 1 })),
      QuotaExceeded,
    );
    await inTransaction((trx) => compute.release(trx, 'p1', { instances: 3 }));
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 1 }));
    assert.equal((await compute.getUsage('p1')).instances, 3);
    assert.deepEqual(await compute.projectsWithOwnLimits(), ['p1']);
  });

  test('sync rebuilds a counter from the real count', async (t) => {
    const { compute, inTransaction } = await setup(dialect, t);
    await inTransaction((trx) => compute.reserve(trx, 'p1', { instances: 7 }));
    await inTransaction((trx) => compute.sync(trx, 'p1', 'instances', 2));
    await inTransaction((trx) => compute.sync(trx, 'p2', 'cores', 4));
    assert.equal((await compute.getUsage('p1')).instances, 2);
    assert.equal((await compute.getUsage('p2')).cores, 4);
  });

  test('bad limits, unknown resources and negative deltas are refused', async (t) => {
    const { engine, compute, inTransaction } = await setup(dialect, t);
    await assert.rejects(compute.setLimit('p1', 'instances', -2), BadRequest);
    await assert.rejects(compute.setLimit('p1', 'instances', 1.5), BadRequest);
    await assert.rejects(compute.setDefault('cores', Number.NaN), BadRequest);
    await assert.rejects(compute.setLimit('p1', 'gpus' as 'cores', 1), /Unknown quota resource "gpus" for compute/);
    const fromApi: Record<string, number> = { gpus: 1 };
    await assert.rejects(
      inTransaction((trx) => compute.reserve(trx, 'p1', fromApi)),
      BadRequest,
    );
    await assert.rejects(
      inTransaction((trx) => compute.reserve(trx, 'p1', { cores: -1 })),
      RangeError,
    );
    assert.throws(() => engine.register('network', { ports: -5 }), BadRequest);
  });
});

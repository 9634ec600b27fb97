import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { forEachDialect, type TestDialect } from '../../../test/support/databases.js';
import { openCoreDatabase } from '../../../test/support/core-database.js';
import { Forbidden } from '../../core/errors.js';
import { QuotaEngine } from '../../core/quota/index.js';
import { DEFAULT_QUOTAS } from './deps.js';
import { MAX_SERVERS_PER_REQUEST, plannedCount, reserveInstances } from './instance-quota.js';

const NANO = { vcpus: 1, memoryMb: 128 };

async function setup(dialect: TestDialect, t: TestContext) {
  const { db } = await openCoreDatabase(dialect, t);
  const quota = new QuotaEngine(db).register('compute', DEFAULT_QUOTAS);
  const inTransaction = <T>(fn: (trx: typeof db.kysely) => Promise<T>) => db.kysely.transaction().execute(fn);
  return { quota, inTransaction };
}

forEachDialect('compute instance quota', (dialect) => {
  test('plannedCount: as many as fit between min and max, bounded per request; 403 below min with every resource over', async (t) => {
    const { quota } = await setup(dialect, t);
    await quota.setLimit('p', 'instances', 5);
    await quota.setLimit('p', 'cores', 3);
    assert.equal(await plannedCount(quota, 'p', NANO, { minCount: 1, maxCount: 2 }), 2);
    assert.equal(await plannedCount(quota, 'p', NANO, { minCount: 1, maxCount: Number.MAX_SAFE_INTEGER }), 3);
    await assert.rejects(plannedCount(quota, 'p', NANO, { minCount: 6, maxCount: 9 }), (error: Error) => {
      assert.ok(error instanceof Forbidden);
      assert.equal(error.message, 'Quota exceeded for cores, instances: Requested 9, 6-9, but already used 0, 0 of 3, 5 cores, instances');
      return true;
    });
    for (const resource of ['instances', 'cores', 'ram'] as const) await quota.setLimit('p', resource, -1);
    assert.equal(await plannedCount(quota, 'p', NANO, { minCount: 1, maxCount: 1e9 }), MAX_SERVERS_PER_REQUEST);
  });

  test('reserveInstances shrinks to what a concurrent create left, never below min_count', async (t) => {
    const { quota, inTransaction } = await setup(dialect, t);
    await quota.setLimit('p', 'instances', 5);
    const planned = await plannedCount(quota, 'p', NANO, { minCount: 1, maxCount: 5 });
    assert.equal(planned, 5);
    // Another request takes 3 between the plan and the reservation.
    await inTransaction((trx) => quota.reserve(trx, 'p', { instances: 3, cores: 3, ram: 384 }));
    assert.equal(await inTransaction((trx) => reserveInstances(quota, trx, 'p', NANO, { minCount: 1, maxCount: 5 }, planned)), 2);
    assert.equal((await quota.getUsage('p')).instances, 5);
    await assert.rejects(
      inTransaction((trx) => reserveInstances(quota, trx, 'p', NANO, { minCount: 1, maxCount: 1 }, 1)),
      { message: 'Quota exceeded for instances: Requested 1, but already used 5 of 5 instances' },
    );
    const { instances, cores, ram } = await quota.getUsage('p');
    assert.deepEqual({ instances, cores, ram }, { instances: 5, cores: 5, ram: 640 }, 'the refused reservation left nothing behind');
  });
});

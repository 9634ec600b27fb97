/**
 * The metering store on each database engine: a polling cycle of a group is
 * claimed by exactly one of two connections (two processes) racing for it,
 * never again, and never an older one; published resources are kept by owner.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateService } from '../../src/core/db/migrate.js';
import { meteringMigrations } from '../../src/metering/migrations/index.js';
import { MeteringStore } from '../../src/metering/store/index.js';
import { forEachDialect } from '../support/databases.js';

forEachDialect('metering store', (dialect) => {
  test('claims: one winner per cycle and group across two connections; an older cycle is never claimed', async () => {
    const db = await dialect.open();
    const other = db.connectAgain();
    try {
      await migrateService(db, 'metering', meteringMigrations);
      const [a, b] = [new MeteringStore(db), new MeteringStore(other)];
      // A cycle number past 2^31, as seconds since the epoch soon are.
      const cycle = 3_000_000_000;
      const first = await Promise.all([a.claimCycle('central', cycle, 'a'), b.claimCycle('central', cycle, 'b')]);
      assert.equal(first.filter(Boolean).length, 1);
      assert.equal(await a.claimCycle('central', cycle, 'a'), false, 'a cycle is claimed once');
      assert.equal(await b.claimCycle('compute:h1', cycle, 'b'), true, 'groups are claimed apart');
      assert.equal(await b.claimCycle('central', cycle + 1, 'b'), true);
      assert.equal(await a.claimCycle('central', cycle, 'a'), false, 'an older cycle is never claimed');
    } finally {
      await other.close();
      await db.close();
    }
  });

  test('published resources: kept once with their first owner, listed by owner, forgotten', async () => {
    const db = await dialect.open();
    try {
      await migrateService(db, 'metering', meteringMigrations);
      const store = new MeteringStore(db);
      const server = { kind: 'server' as const, id: 's1' };
      await store.remember([
        { resourceId: 's1', resourceType: 'instance', owner: server },
        { resourceId: 's1-vda', resourceType: 'instance_disk', owner: server },
      ]);
      await store.remember([{ resourceId: 's1', resourceType: 'instance', owner: server }]);
      assert.deepEqual(await store.owners('server'), ['s1']);
      assert.deepEqual((await store.resourcesOf('server', 's1')).map((r) => r.resourceType).sort(), ['instance', 'instance_disk']);
      await store.forget('s1-vda');
      assert.deepEqual(await store.resourcesOf('server', 's1'), [{ resourceId: 's1', resourceType: 'instance' }]);
      assert.deepEqual(await store.owners('volume'), []);
    } finally {
      await db.close();
    }
  });
});

/** GET /servers paged in SQL on every engine: column filters, sort keys with NULLs, keyset walk after a marker. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrateService } from '../../core/db/migrate.js';
import { forEachDialect } from '../../../test/support/databases.js';
import { computeMigrations } from '../migrations/index.js';
import * as store from './index.js';
import type { Server } from './index.js';

function server(i: number, overrides: Partial<Server> = {}): Server {
  const at = `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`;
  return {
    id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    projectId: i % 2 === 0 ? 'p-even' : 'p-odd',
    userId: 'u',
    name: `vm-${i % 3}`,
    vmState: i % 4 === 0 ? 'error' : 'active',
    taskState: null,
    powerState: 1,
    host: i % 5 === 0 ? null : `host-${i % 3}`,
    node: null,
    flavorId: '42',
    imageRef: 'img',
    locked: false,
    deleted: i === 7,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
    revision: 0,
    attrs: {} as Server['attrs'],
    ...overrides,
  };
}

forEachDialect('compute server listing in SQL', (dialect) => {
  test('filters, sorts (NULL hosts first ascending) and walks pages without repeats', async () => {
    const db = await dialect.open();
    await migrateService(db, 'compute', computeMigrations);
    const compute = store.computeDb(db);
    try {
      for (let i = 1; i <= 20; i++) await store.insertServer(compute, server(i));
      const even = { projectId: 'p-even', deleted: false };
      const newest = await store.pageServers(compute, even, { projectId: 'p-even' }, { limit: 3, marker: null, sort: [{ key: 'created_at', dir: 'desc' }] });
      assert.deepEqual(
        newest.map((s) => s.id.slice(-2)),
        ['20', '18', '16'],
      );
      const errors = await store.pageServers(
        compute,
        { ...even, vmStates: ['error'] },
        { projectId: 'p-even' },
        { limit: 10, marker: null, sort: [{ key: 'created_at', dir: 'asc' }] },
      );
      assert.deepEqual(
        errors.map((s) => s.id.slice(-2)),
        ['04', '08', '12', '16', '20'],
      );

      // Walk every live server by host ascending then name descending, two per page.
      const live = { deleted: false };
      const sort = [
        { key: 'host' as const, dir: 'asc' as const },
        { key: 'display_name' as const, dir: 'desc' as const },
      ];
      const seen: Server[] = [];
      let marker: string | null = null;
      for (;;) {
        const page: Server[] = await store.pageServers(compute, live, {}, { limit: 2, marker, sort });
        seen.push(...page);
        if (page.length < 2) break;
        marker = page[page.length - 1]!.id;
      }
      assert.equal(seen.length, 19, 'every live server once');
      assert.equal(new Set(seen.map((s) => s.id)).size, 19);
      assert.deepEqual(
        seen.slice(0, 4).map((s) => s.host),
        [null, null, null, null],
        'NULL hosts sort first ascending',
      );
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        assert.ok((a.host ?? '') < (b.host ?? '') || ((a.host ?? '') === (b.host ?? '') && a.name >= b.name), `${a.id} before ${b.id}`);
      }
      // A marker outside the filters still places the page (Nova looks it up by tenancy only).
      const afterDeleted = await store.pageServers(compute, live, {}, { limit: 1, marker: server(7).id, sort: [{ key: 'created_at', dir: 'asc' }] });
      assert.equal(afterDeleted[0]?.id, server(8).id);
    } finally {
      await db.close();
    }
  });
});

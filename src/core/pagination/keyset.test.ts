import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Kysely } from 'kysely';
import { forEachDialect, type TestDialect } from '../../../test/support/databases.js';
import { BadRequest } from '../errors.js';
import { paginate, parseListParams, type ListParams, type ListSpec, type Page, type SortKey } from './index.js';

interface ItemTable {
  id: string;
  name: string | null;
  size: number | null;
  status: string;
  created_at: string;
}
type Item = ItemTable;
type Key = 'id' | 'name' | 'size' | 'status' | 'created_at';

const SPEC: ListSpec<Key> = {
  sortKeys: ['id', 'name', 'size', 'status', 'created_at'],
  defaultSort: [{ key: 'created_at', dir: 'desc' }],
  maxLimit: 1000,
};

/**
 * 50 rows with many duplicate and NULL sort values, inserted in an order
 * unrelated to their ids, so that only a correct tie-breaker gives a stable walk.
 */
const ITEMS: Item[] = Array.from({ length: 50 }, (_, n) => ({
  id: `item-${String((n * 31) % 50).padStart(2, '0')}`,
  name: [null, 'alpha', 'bravo', 'charlie', 'delta'][(n * 7) % 5] ?? null,
  size: n % 6 === 0 ? null : (n * 37) % 9,
  status: ['active', 'queued', 'saving'][(n * 11) % 3] ?? 'active',
  created_at: new Date(Date.UTC(2024, 0, 1, 0, (n * 13) % 17)).toISOString(),
}));

async function setup(dialect: TestDialect, t: TestContext) {
  const database = await dialect.open();
  t.after(() => database.close());
  const db: Kysely<{ items: ItemTable }> = database.kysely.withTables<{ items: ItemTable }>();
  await db.schema
    .createTable('items')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)')
    .addColumn('size', 'integer')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.insertInto('items').values(ITEMS).execute();
  return db;
}

/** The in-memory order `paginate` must give: NULL smallest, then the id ascending. */
function sorted(sort: ReadonlyArray<SortKey<Key>>): Item[] {
  const keys: ReadonlyArray<SortKey<Key>> = sort.some((s) => s.key === 'id') ? sort : [...sort, { key: 'id', dir: 'asc' }];
  return [...ITEMS].sort((a, b) => {
    for (const { key, dir } of keys) {
      const x = a[key];
      const y = b[key];
      const c = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    return 0;
  });
}

const ids = (rows: readonly Item[]) => rows.map((r) => r.id);

function params(sort: Array<SortKey<Key>>, limit: number | null, marker: string | null = null): ListParams<Key> {
  return { sort, limit, marker };
}

const ORDERS: Array<Array<SortKey<Key>>> = [
  [],
  [{ key: 'name', dir: 'asc' }],
  [{ key: 'name', dir: 'desc' }],
  [{ key: 'size', dir: 'asc' }],
  [{ key: 'size', dir: 'desc' }],
  [{ key: 'created_at', dir: 'desc' }],
  [{ key: 'id', dir: 'desc' }],
  [
    { key: 'name', dir: 'asc' },
    { key: 'size', dir: 'desc' },
  ],
  [
    { key: 'size', dir: 'desc' },
    { key: 'name', dir: 'asc' },
  ],
  [
    { key: 'name', dir: 'desc' },
    { key: 'created_at', dir: 'asc' },
  ],
  [
    { key: 'status', dir: 'asc' },
    { key: 'size', dir: 'asc' },
    { key: 'name', dir: 'desc' },
  ],
];

forEachDialect('keyset pagination', (dialect) => {
  for (const sort of ORDERS) {
    const label = sort.map((s) => `${s.key}:${s.dir}`).join(',') || '(id only)';
    test(`walking pages of 7 sorted by ${label} yields every row once, in order`, async (t) => {
      const db = await setup(dialect, t);
      const seen: string[] = [];
      let marker: string | null = null;
      for (let pages = 0; pages < 10; pages += 1) {
        const page: Page<Item> = await paginate(db.selectFrom('items').selectAll(), params(sort, 7, marker), { id: 'id' });
        assert.equal(page.rows.length, page.nextMarker === null ? 50 % 7 : 7);
        seen.push(...ids(page.rows));
        marker = page.nextMarker;
        if (marker === null) break;
      }
      assert.deepEqual(seen, ids(sorted(sort)));
    });
  }

  test('the default sort from parsed parameters walks like its in-memory twin', async (t) => {
    const db = await setup(dialect, t);
    const first = await paginate(db.selectFrom('items').selectAll(), parseListParams({ limit: '50' }, SPEC), { id: 'id' });
    assert.deepEqual(ids(first.rows), ids(sorted(SPEC.defaultSort)));
    assert.equal(first.nextMarker, null, 'a last page that is exactly full has no next page');
  });

  test('a marker in the middle gives the rows after it, and both markers', async (t) => {
    const db = await setup(dialect, t);
    const sort: Array<SortKey<Key>> = [
      { key: 'size', dir: 'desc' },
      { key: 'name', dir: 'asc' },
    ];
    const expected = sorted(sort);
    const page = await paginate(db.selectFrom('items').selectAll(), params(sort, 7, expected[20]?.id ?? null), { id: 'id' });
    assert.deepEqual(page.rows, expected.slice(21, 28));
    assert.equal(page.nextMarker, expected[27]?.id);
    assert.equal(page.previousMarker, expected[21]?.id);
  });

  test('a marker whose sort values are NULL continues after it in both directions', async (t) => {
    const db = await setup(dialect, t);
    for (const dir of ['asc', 'desc'] as const) {
      const sort: Array<SortKey<Key>> = [{ key: 'name', dir }];
      const expected = sorted(sort);
      const at = expected.findIndex((r) => r.name === null) + 1;
      const page = await paginate(db.selectFrom('items').selectAll(), params(sort, 5, expected[at]?.id ?? null), { id: 'id' });
      assert.equal(expected[at]?.name, null);
      assert.deepEqual(ids(page.rows), ids(expected.slice(at + 1, at + 6)), dir);
    }
  });

  test('a deleted marker is a 400 that names it', async (t) => {
    const db = await setup(dialect, t);
    await db.deleteFrom('items').where('id', '=', 'item-17').execute();
    await assert.rejects(
      paginate(db.selectFrom('items').selectAll(), params([], 7, 'item-17'), { id: 'id' }),
      (err) => err instanceof BadRequest && err.status === 400 && /Marker item-17 could not be found/.test(err.message),
    );
  });

  test('the marker scope finds a marker that the filters no longer match', async (t) => {
    const db = await setup(dialect, t);
    const base = db.selectFrom('items').selectAll();
    const active = base.where('status', '=', 'active');
    const expected = sorted([]).filter((r) => r.status === 'active');
    const gone = expected[3];
    assert.ok(gone);
    await db.updateTable('items').set({ status: 'saving' }).where('id', '=', gone.id).execute();
    const page = await paginate(active, params([], 4, gone.id), { id: 'id', markerScope: base });
    assert.deepEqual(ids(page.rows), ids(expected.slice(4, 8)));
    await assert.rejects(paginate(active, params([], 4, gone.id), { id: 'id' }), BadRequest);
  });

  test('page_reverse walks back from a marker, each page in display order', async (t) => {
    const db = await setup(dialect, t);
    const sort: Array<SortKey<Key>> = [
      { key: 'status', dir: 'asc' },
      { key: 'size', dir: 'desc' },
    ];
    const expected = ids(sorted(sort));
    const pages: string[][] = [];
    let marker: string | null = expected[expected.length - 1] ?? null;
    for (let n = 0; marker !== null && n < 10; n += 1) {
      const page: Page<Item> = await paginate(db.selectFrom('items').selectAll(), { ...params(sort, 7, marker), pageReverse: true }, { id: 'id' });
      pages.push(ids(page.rows));
      assert.equal(page.nextMarker, page.rows[page.rows.length - 1]?.id, 'a reverse page always has a page after it');
      marker = page.previousMarker;
    }
    assert.deepEqual(pages.reverse().flat(), expected.slice(0, -1));
    assert.deepEqual(pages[pages.length - 1], expected.slice(42, 49));
  });

  test('limit null lists every row; limit 0 lists none; neither has a next page', async (t) => {
    const db = await setup(dialect, t);
    const all = await paginate(db.selectFrom('items').selectAll(), params([], null), { id: 'id' });
    assert.deepEqual(ids(all.rows), ids(sorted([])));
    assert.equal(all.nextMarker, null);
    const none = await paginate(db.selectFrom('items').selectAll(), params([], 0, 'no-such-marker'), { id: 'id' });
    assert.deepEqual(none, { rows: [], nextMarker: null, previousMarker: null });
  });

  test('API sort keys map to qualified columns; an unmapped key does not compile', async (t) => {
    const db = await setup(dialect, t);
    const query = db.selectFrom('items').select(['items.id', 'items.name']);
    const sort: Array<SortKey<'title'>> = [{ key: 'title', dir: 'desc' }];
    const expected = sorted([{ key: 'name', dir: 'desc' }]);
    const page = await paginate(
      query,
      { sort, limit: 3, marker: expected[9]?.id ?? null },
      {
        id: 'items.id',
        columns: { title: 'items.name' },
      },
    );
    assert.deepEqual(
      page.rows,
      expected.slice(10, 13).map(({ id, name }) => ({ id, name })),
    );
    assert.equal(page.nextMarker, expected[12]?.id);
    // @ts-expect-error -- 'title' is not a column of items, so it needs a mapping.
    await assert.rejects(paginate(query, { sort, limit: 3, marker: null }, { id: 'items.id' }));
  });

  test('a listing that does not select the id column fails loudly, not with a wrong marker', async (t) => {
    const db = await setup(dialect, t);
    await assert.rejects(paginate(db.selectFrom('items').select('name'), params([], 7), { id: 'id' }), /must select the id column "id"/);
  });
});

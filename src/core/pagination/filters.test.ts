import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { Kysely } from 'kysely';
import { forEachDialect, type TestDialect } from '../../../test/support/databases.js';
import type { BoolColumn } from '../db/values.js';
import { BadRequest } from '../errors.js';
import { applyFilters, paginate, parseFilters, type FilterSpec } from './index.js';

const IMAGES: FilterSpec = {
  name: { kind: 'string', ops: ['in'] },
  status: { kind: 'string', ops: ['in', 'neq'] },
  size: { kind: 'integer', ops: ['gt', 'gte', 'lt', 'lte', 'neq'] },
  created_at: { kind: 'datetime', ops: ['gt', 'gte', 'lt', 'lte', 'neq'] },
  protected: { kind: 'boolean' },
  owner: { kind: 'string', column: 'owner_id' },
};

function rejects(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err) => err instanceof BadRequest && err.status === 400 && message.test(err.message));
}

describe('filter parsing', () => {
  test('plain values are equality; repeats are a set; other parameters are ignored', () => {
    assert.deepEqual(parseFilters({ status: 'active', limit: '3', owner: 'p1' }, IMAGES), [
      { field: 'status', op: 'eq', values: ['active'] },
      { field: 'owner', op: 'eq', values: ['p1'] },
    ]);
    assert.deepEqual(parseFilters({ status: ['active', 'queued'] }, IMAGES), [{ field: 'status', op: 'in', values: ['active', 'queued'] }]);
  });

  test('operators, ranges on repeats, and in: with quoted commas', () => {
    assert.deepEqual(parseFilters({ size: ['gt:10', 'lte:20'], name: 'in:a,"b,c","d\\"e"' }, IMAGES), [
      { field: 'name', op: 'in', values: ['a', 'b,c', 'd"e'] },
      { field: 'size', op: 'gt', values: [10] },
      { field: 'size', op: 'lte', values: [20] },
    ]);
  });

  test('times are normalised to the stored form; a bare ISO time is equality despite its colons', () => {
    assert.deepEqual(parseFilters({ created_at: ['2024-01-01T10:00:00+02:00', 'gte:2024-01-01T08:00', 'lt:2024-02-01'] }, IMAGES), [
      { field: 'created_at', op: 'eq', values: ['2024-01-01T08:00:00.000Z'] },
      { field: 'created_at', op: 'gte', values: ['2024-01-01T08:00:00.000Z'] },
      { field: 'created_at', op: 'lt', values: ['2024-02-01T00:00:00.000Z'] },
    ]);
  });

  test('booleans as oslo reads them; colons are literal on a field without operators', () => {
    assert.deepEqual(parseFilters({ protected: 'True', owner: 'gt:x' }, IMAGES), [
      { field: 'protected', op: 'eq', values: [true] },
      { field: 'owner', op: 'eq', values: ['gt:x'] },
    ]);
    assert.deepEqual(parseFilters({ name: 'eq:a:b' }, IMAGES), [{ field: 'name', op: 'eq', values: ['a:b'] }]);
  });

  test('errors say what is allowed', () => {
    rejects(() => parseFilters({ size: 'like:3' }, IMAGES), /Invalid operator "like" for size: expected one of eq, gt, gte, lt, lte, neq\./);
    rejects(() => parseFilters({ name: 'gt:a' }, IMAGES), /Invalid operator "gt" for name: expected one of eq, in\./);
    rejects(() => parseFilters({ size: 'gt:big' }, IMAGES), /Invalid value "big" for size: expected an integer\./);
    rejects(() => parseFilters({ protected: 'maybe' }, IMAGES), /Invalid value "maybe" for protected: expected true or false\./);
    for (const time of ['yesterday', '2024-02-30T00:00:00Z', '2024-13-01']) {
      rejects(() => parseFilters({ created_at: `gt:${time}` }, IMAGES), /expected an ISO 8601 time such as 2024-05-01T12:00:00Z/);
    }
    rejects(() => parseFilters({ name: 'in:"a,b' }, IMAGES), /for name: a quote is not closed/);
    rejects(() => parseFilters({ name: 'in:"a"b' }, IMAGES), /a closing quote must be followed by a comma/);
    rejects(() => parseFilters({ name: 'in:a"b"' }, IMAGES), /a quote may only open a value/);
  });
});

interface ImageTable {
  id: string;
  name: string | null;
  status: string;
  size: number | null;
  created_at: string;
  protected: BoolColumn;
  owner_id: string;
}

const ROWS = Array.from({ length: 12 }, (_, n) => ({
  id: `img-${String(n).padStart(2, '0')}`,
  name: n === 5 ? 'b,c' : n % 4 === 0 ? null : `n${n % 3}`,
  status: ['active', 'queued', 'saving'][n % 3] ?? 'active',
  size: n % 5 === 0 ? null : n * 10,
  created_at: new Date(Date.UTC(2024, 0, 1 + n)).toISOString(),
  protected: n % 2 === 0,
  owner_id: n < 6 ? 'p1' : 'p2',
}));

async function setup(dialect: TestDialect, t: TestContext) {
  const database = await dialect.open();
  t.after(() => database.close());
  const db: Kysely<{ images: ImageTable }> = database.kysely.withTables<{ images: ImageTable }>();
  await db.schema
    .createTable('images')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('size', 'integer')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('protected', 'boolean', (c) => c.notNull())
    .addColumn('owner_id', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.insertInto('images').values(ROWS).execute();
  return db;
}

forEachDialect('filters', (dialect) => {
  const cases: Array<[string, Record<string, string | string[]>, (r: (typeof ROWS)[number]) => boolean]> = [
    ['equality on a mapped column', { owner: 'p2' }, (r) => r.owner_id === 'p2'],
    ['a repeated value is a set', { status: ['active', 'saving'] }, (r) => r.status !== 'queued'],
    ['in: with a quoted comma', { name: 'in:"b,c",n1' }, (r) => r.name === 'b,c' || r.name === 'n1'],
    ['neq leaves NULLs out, as SQL does', { status: 'neq:active' }, (r) => r.status !== 'active'],
    ['a size range', { size: ['gte:30', 'lt:90'] }, (r) => r.size !== null && r.size >= 30 && r.size < 90],
    [
      'a time range',
      { created_at: ['gt:2024-01-03T00:00:00Z', 'lte:2024-01-06'] },
      (r) => r.created_at > '2024-01-03T00:00:00.000Z' && r.created_at <= '2024-01-06T00:00:00.000Z',
    ],
    ['a boolean', { protected: 'false' }, (r) => !r.protected],
    ['filters together', { protected: '1', owner: 'p1', size: 'neq:20' }, (r) => r.protected && r.owner_id === 'p1' && r.size !== null && r.size !== 20],
  ];
  for (const [label, query, expected] of cases) {
    test(`${label}: ${new URLSearchParams(Object.entries(query).flatMap(([k, v]) => [v].flat().map((x) => [k, x]))).toString()}`, async (t) => {
      const db = await setup(dialect, t);
      const rows = await applyFilters(db.selectFrom('images').select('id'), parseFilters(query, IMAGES), IMAGES).orderBy('id').execute();
      assert.deepEqual(
        rows.map((r) => r.id),
        ROWS.filter(expected).map((r) => r.id),
      );
    });
  }

  test('filters and pagination compose', async (t) => {
    const db = await setup(dialect, t);
    const base = db.selectFrom('images').selectAll();
    const filtered = applyFilters(base, parseFilters({ status: 'in:active,queued' }, IMAGES), IMAGES);
    const page = await paginate(filtered, { sort: [{ key: 'size', dir: 'desc' }], limit: 3, marker: 'img-07' }, { id: 'id', markerScope: base });
    // Active or queued by size desc, NULLs last: 09 (90), 07 (70), 06, 04, 03, 01, 00 (NULL), 10 (NULL).
    assert.deepEqual(
      page.rows.map((r) => r.id),
      ['img-06', 'img-04', 'img-03'],
    );
    assert.equal(page.nextMarker, 'img-03');
  });
});

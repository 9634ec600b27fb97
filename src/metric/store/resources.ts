/** Resources and their revisions (one row per revision; the current one has no revision_end). */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Dialect } from '../../core/db/database.js';
import { IDS_PER_STATEMENT } from './metrics.js';
import { compileFilter, fieldExpression, type FieldRef, type ResolvedFilter } from './resource-filter.js';
import type { MetricDb, ResourceRow } from './tables.js';

export type StoredResource = Omit<ResourceRow, 'revision'> & { revision: number };
export type NewRevision = Omit<ResourceRow, 'revision'>;

export interface SortKey {
  field: FieldRef;
  dir: 'asc' | 'desc';
  nulls: 'first' | 'last';
}

export interface ResourceListQuery {
  /** null: every type (`generic`). */
  type: string | null;
  filter: ResolvedFilter | null;
  history: boolean;
  sort: SortKey[];
  limit: number | null;
  /** The row the page starts after. */
  marker: StoredResource | null;
}

export async function insertRevision(db: MetricDb, row: NewRevision): Promise<StoredResource> {
  const inserted = await db.insertInto('gnocchi_resource').values(row).returning('revision').executeTakeFirstOrThrow();
  return { ...row, revision: inserted.revision };
}

export async function closeRevision(db: MetricDb, revision: number, end: string): Promise<void> {
  await db.updateTable('gnocchi_resource').set({ revision_end: end }).where('revision', '=', revision).execute();
}

export async function currentResource(db: MetricDb, id: string, type: string | null): Promise<StoredResource | null> {
  const row = await db
    .selectFrom('gnocchi_resource')
    .selectAll()
    .where('id', '=', id)
    .where('revision_end', 'is', null)
    .$if(type !== null, (q) => q.where('type', '=', type as string))
    .executeTakeFirst();
  return row ?? null;
}

/** The current revisions of many resources (any type), for the batch push's one look-up. */
export async function currentResources(db: MetricDb, ids: readonly string[]): Promise<StoredResource[]> {
  const rows: StoredResource[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT)
    rows.push(
      ...(await db
        .selectFrom('gnocchi_resource')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + IDS_PER_STATEMENT))
        .where('revision_end', 'is', null)
        .execute()),
    );
  return rows;
}

export async function revisionOf(db: MetricDb, id: string, revision: number): Promise<StoredResource | null> {
  return (await db.selectFrom('gnocchi_resource').selectAll().where('id', '=', id).where('revision', '=', revision).executeTakeFirst()) ?? null;
}

/** Rewrites the attributes of every revision of a type (an attribute added with its fill, or removed). */
export async function rewriteAttributes(db: MetricDb, type: string, change: (attributes: Record<string, unknown>) => void): Promise<void> {
  const rows = await db.selectFrom('gnocchi_resource').select(['revision', 'attributes']).where('type', '=', type).execute();
  for (const row of rows) {
    const attributes = JSON.parse(row.attributes) as Record<string, unknown>;
    change(attributes);
    await db
      .updateTable('gnocchi_resource')
      .set({ attributes: JSON.stringify(attributes) })
      .where('revision', '=', row.revision)
      .execute();
  }
}

export async function deleteResources(db: MetricDb, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('gnocchi_resource').where('id', 'in', ids).execute();
}

function markerValue(row: StoredResource, field: FieldRef): unknown {
  if (field.kind === 'column') return row[field.column];
  if (field.kind === 'creator') return field.part === 'user' ? row.creator.split(':')[0] : row.creator.slice(row.creator.indexOf(':') + 1);
  return (JSON.parse(row.attributes) as Record<string, unknown>)[field.name] ?? null;
}

/**
 * Rows strictly after the marker in the sort order (keyset pagination, the
 * tie-breakers id and revision last), NULLs placed as each key asks.
 */
function afterMarker(dialect: Dialect, keys: SortKey[], marker: StoredResource): Expression<SqlBool> {
  const alternatives = keys.map((key, index) => {
    const equal = keys.slice(0, index).map((k) => {
      const value = markerValue(marker, k.field);
      const expression = fieldExpression(dialect, k.field);
      return value === null ? sql`${expression} IS NULL` : sql`${expression} = ${value}`;
    });
    const value = markerValue(marker, key.field);
    const expression = fieldExpression(dialect, key.field);
    const nullsAfter = key.nulls === 'last';
    const greater = key.dir === 'asc' ? '>' : '<';
    let after;
    if (value === null) after = nullsAfter ? sql`1 = 0` : sql`${expression} IS NOT NULL`;
    else after = nullsAfter ? sql`(${expression} ${sql.raw(greater)} ${value} OR ${expression} IS NULL)` : sql`${expression} ${sql.raw(greater)} ${value}`;
    return sql`(${sql.join([...equal, after], sql` AND `)})`;
  });
  return sql<SqlBool>`(${sql.join(alternatives, sql` OR `)})`;
}

export async function listResources(db: MetricDb, dialect: Dialect, query: ResourceListQuery): Promise<StoredResource[]> {
  const keys: SortKey[] = [...query.sort];
  const named = (column: string) => keys.some((k) => k.field.kind === 'column' && k.field.column === column);
  if (!named('id')) keys.push({ field: { kind: 'column', column: 'id' }, dir: 'asc', nulls: 'first' });
  if (query.history && !named('revision')) keys.push({ field: { kind: 'column', column: 'revision' }, dir: 'asc', nulls: 'first' });
  let select = db.selectFrom('gnocchi_resource').selectAll();
  if (query.type !== null) select = select.where('type', '=', query.type);
  if (!query.history) select = select.where('revision_end', 'is', null);
  if (query.filter) select = select.where(compileFilter(dialect, query.filter));
  if (query.marker) select = select.where(afterMarker(dialect, keys, query.marker));
  for (const key of keys) {
    select = select.orderBy(sql`${fieldExpression(dialect, key.field)} ${sql.raw(key.dir.toUpperCase())} NULLS ${sql.raw(key.nulls.toUpperCase())}`);
  }
  if (query.limit !== null) select = select.limit(query.limit);
  return select.execute();
}

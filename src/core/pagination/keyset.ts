/**
 * Keyset ("seek") pagination over a Kysely select, the way oslo.db's
 * `paginate_query` serves Nova, Glance and Cinder: the page after a marker is
 * the rows that sort strictly after the marker row, found with a WHERE clause
 * rather than OFFSET, so a page costs the same wherever it is and rows added
 * or removed between two requests neither repeat nor vanish from the walk.
 *
 * Order: the requested sort keys, then the id column ascending as the
 * tie-breaker (unless the request sorts by it already), which makes the order
 * total, so every row appears exactly once across the pages.
 *
 * NULLs sort as the smallest value: first in ascending order, last in
 * descending. SQLite does this by default and PostgreSQL the opposite, so the
 * ORDER BY says `NULLS FIRST`/`NULLS LAST` (both engines accept it) and the
 * keyset clause has matching `IS NULL` terms. For a key k with marker value v:
 *
 * | dir  | v        | "after v"                  | "equal to v" |
 * | ---- | -------- | -------------------------- | ------------ |
 * | asc  | not NULL | `k > v`                    | `k = v`      |
 * | asc  | NULL     | `k IS NOT NULL`            | `k IS NULL`  |
 * | desc | not NULL | `k < v OR k IS NULL`       | `k = v`      |
 * | desc | NULL     | nothing                    | `k IS NULL`  |
 *
 * and the clause is `after(k1) OR (equal(k1) AND after(k2)) OR ... OR
 * (equal(k1..kn) AND id > marker)`.
 *
 * Column references are typed (`StringReference`) where the caller names
 * them, then used through `sql.ref`, because the sort columns are only known
 * at run time and Kysely cannot type a reference chosen from a union then.
 * The marker row's values go back into the query as parameters, so sort
 * columns must survive a round trip through the driver unchanged: text,
 * numbers and booleans do (timestamps are ISO text in Nimbus, see
 * `core/time.ts`); PostgreSQL microsecond timestamps read as a JS `Date` would not.
 */
import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, type StringReference } from 'kysely';
import { BadRequest } from '../errors.js';
import type { ListParams, SortDir } from './params.js';

/** One page in display order, with the markers its links need. */
export interface Page<O> {
  rows: O[];
  /** Marker for the page after this one; null when nothing follows. */
  nextMarker: string | null;
  /**
   * Marker for the page before this one, fetched with `pageReverse` (only
   * Neutron links to it); null when nothing precedes.
   */
  previousMarker: string | null;
}

/** Every sort key must name a column: itself, or through `columns`. */
type ColumnsOption<DB, TB extends keyof DB, K extends string> = [Exclude<K, StringReference<DB, TB>>] extends [never]
  ? { columns?: { readonly [P in K]?: StringReference<DB, TB> } }
  : {
      columns: { readonly [P in Exclude<K, StringReference<DB, TB>>]: StringReference<DB, TB> } & {
        readonly [P in K]?: StringReference<DB, TB>;
      };
    };

export type KeysetOptions<DB, TB extends keyof DB, K extends string> = {
  /**
   * The unique, non-NULL column naming each row: markers are its values. The
   * listing query must select it (under its own name, e.g. `id` for `servers.id`).
   */
  id: StringReference<DB, TB>;
  /**
   * Where the marker row is looked up; the listing query by default. Pass the
   * query before the request's filters (but with its tenancy conditions):
   * Nova and Glance find the marker whatever the filters, so a row that
   * stops matching between two pages (a server leaving BUILD) ends nothing.
   */
  markerScope?: SelectQueryBuilder<DB, TB, unknown>;
} & ColumnsOption<DB, TB, K>;

interface OrderTerm {
  column: string;
  dir: SortDir;
}

/**
 * Runs `query` for one page. A marker that names no row in the marker scope
 * (deleted, or never visible to the caller) is a `BadRequest`, as Nova's
 * `MarkerNotFound` and Glance's answer are 400. `limit: 0` gives an empty
 * page without querying, as Nova does.
 */
export async function paginate<DB, TB extends keyof DB, O, K extends string>(
  query: SelectQueryBuilder<DB, TB, O>,
  params: ListParams<K>,
  options: KeysetOptions<DB, TB, K>,
): Promise<Page<O>> {
  const { limit, marker } = params;
  if (limit === 0) return { rows: [], nextMarker: null, previousMarker: null };
  const reverse = params.pageReverse === true;
  const order = orderTerms(params, options, reverse);

  let page = query;
  if (marker !== null) {
    const values = await markerValues(options.markerScope ?? query, order, options.id, marker);
    page = page.where((eb) => after(eb, order, values));
  }
  for (const { column, dir } of order) {
    page = page.orderBy(sql.ref(column), (ob) => (dir === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast()));
  }
  if (limit !== null) page = page.limit(limit + 1);

  const fetched = await page.execute();
  const more = limit !== null && fetched.length > limit;
  const rows = more ? fetched.slice(0, limit) : fetched;
  if (reverse) rows.reverse();
  const idKey = outputName(options.id);
  const first = rows.length > 0 ? idOf(rows[0], idKey) : null;
  const last = rows.length > 0 ? idOf(rows[rows.length - 1], idKey) : null;
  // Walking forward, what lies beyond the page is after it; walking back, before it.
  return reverse
    ? { rows, nextMarker: marker === null ? null : last, previousMarker: more ? first : null }
    : { rows, nextMarker: more ? last : null, previousMarker: marker === null ? null : first };
}

function orderTerms<DB, TB extends keyof DB, K extends string>(params: ListParams<K>, options: KeysetOptions<DB, TB, K>, reverse: boolean): OrderTerm[] {
  const columns: { readonly [P in K]?: string } = options.columns ?? {};
  const terms: OrderTerm[] = params.sort.map(({ key, dir }) => ({ column: columns[key] ?? key, dir }));
  if (!terms.some((t) => t.column === options.id)) terms.push({ column: options.id, dir: 'asc' });
  // The page before the marker is the page after it in the mirrored order;
  // flipping a direction also flips where NULLs go, so the mirror is exact.
  return reverse ? terms.map((t) => ({ column: t.column, dir: t.dir === 'asc' ? 'desc' : 'asc' })) : terms;
}

async function markerValues<DB, TB extends keyof DB>(
  scope: SelectQueryBuilder<DB, TB, unknown>,
  order: readonly OrderTerm[],
  id: string,
  marker: string,
): Promise<unknown[]> {
  const row = await scope
    .clearSelect()
    .clearOrderBy()
    .select(order.map((t, i) => sql.ref(t.column).as(`k${i}`)))
    .where(sql.ref(id), '=', marker)
    .executeTakeFirst();
  if (row === undefined) throw new BadRequest(`Marker ${marker} could not be found.`);
  // Kysely cannot type a selection built from a run-time list; the aliases are ours.
  const found: object = row;
  return order.map((_, i): unknown => Reflect.get(found, `k${i}`) ?? null);
}

/** The keyset clause from the table in the header: rows strictly after the marker. */
function after<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, order: readonly OrderTerm[], values: readonly unknown[]): Expression<SqlBool> {
  const alternatives: Array<Expression<SqlBool>> = [];
  order.forEach(({ column, dir }, i) => {
    const ref = sql.ref(column);
    const value = values[i];
    const beyond =
      dir === 'asc'
        ? value === null
          ? eb(ref, 'is not', null)
          : eb(ref, '>', value)
        : value === null
          ? null
          : eb.or([eb(ref, '<', value), eb(ref, 'is', null)]);
    if (beyond === null) return;
    const equalBefore = order.slice(0, i).map((t, j) => {
      const prior = sql.ref(t.column);
      return values[j] === null ? eb(prior, 'is', null) : eb(prior, '=', values[j]);
    });
    alternatives.push(equalBefore.length === 0 ? beyond : eb.and([...equalBefore, beyond]));
  });
  // The id term is never skipped (the id is never NULL), so this is never empty.
  return eb.or(alternatives);
}

/** The name a selected column comes back under: `servers.id` → `id`. */
function outputName(column: string): string {
  return column.slice(column.lastIndexOf('.') + 1);
}

function idOf(row: unknown, key: string): string {
  const value: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, key) : undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw new Error(`paginate: the listing query must select the id column "${key}" to name the markers.`);
}

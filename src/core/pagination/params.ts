/**
 * The listing parameters OpenStack APIs share — `limit`, `marker`, sort keys
 * and Neutron's `page_reverse` — parsed once, so every service answers the
 * same bad input with the same 400 and a message that says what is allowed.
 *
 * Two sort forms are accepted, never together (Glance: "Old and new sorting
 * syntax cannot be combined"):
 * - `sort_key=a&sort_dir=desc&sort_key=b` (Nova, Neutron, Cinder, Glance):
 *   keys and directions pair by position. As in Nova's `process_sort_params`,
 *   keys without a direction take the first direction given (or the spec's
 *   default when none is), and more directions than keys is an error. A
 *   `sort_dir` alone applies to the default sort keys.
 * - `sort=a:desc,b` (Glance, Cinder): a key without `:dir` takes the spec's
 *   default direction.
 */
import { BadRequest } from '../errors.js';
import { querySingle, queryValues, type QueryInput } from './query.js';

export type SortDir = 'asc' | 'desc';

export interface SortKey<K extends string = string> {
  key: K;
  dir: SortDir;
}

export interface ListParams<K extends string = string> {
  /** Rows per page; null lists every row (Neutron without `limit`). */
  limit: number | null;
  /** Id of the last row already seen (of the first, with `pageReverse`). */
  marker: string | null;
  /** Sort keys in order; `paginate` adds the id tie-breaker itself. */
  sort: Array<SortKey<K>>;
  /** Neutron's `page_reverse=True`: the page before the marker. Set only when the spec allows it. */
  pageReverse?: boolean;
}

/** What one resource's listing accepts. `K` is the union of its sort keys. */
export interface ListSpec<K extends string = string> {
  sortKeys: readonly K[];
  /** Order when the request gives no sort (Nova, Glance: `created_at` desc). */
  defaultSort: ReadonlyArray<SortKey<NoInfer<K>>>;
  /**
   * Larger limits are lowered to this, as Nova does with `[api] max_limit`;
   * `Infinity` for none (Neutron's `pagination_max_limit = -1`).
   */
  maxLimit: number;
  /**
   * Page size when the request gives no `limit`: absent means `maxLimit`
   * (Nova), a number a smaller page (Glance's 25), null no limit (Neutron).
   */
  defaultLimit?: number | null;
  /** Direction of a key given without one; 'desc' by default, as Nova, Glance and Cinder. */
  defaultDir?: SortDir;
  /** Accept Neutron's `page_reverse`. */
  pageReverse?: boolean;
}

export function parseListParams<K extends string>(query: QueryInput, spec: ListSpec<K>): ListParams<K> {
  const params: ListParams<K> = {
    limit: parseLimit(querySingle(query, 'limit'), spec),
    marker: querySingle(query, 'marker') ?? null,
    sort: parseSort(query, spec),
  };
  if (spec.pageReverse) params.pageReverse = querySingle(query, 'page_reverse')?.toLowerCase() === 'true';
  return params;
}

function parseLimit(value: string | undefined, spec: ListSpec<string>): number | null {
  if (value === undefined) {
    const limit = spec.defaultLimit === undefined ? spec.maxLimit : spec.defaultLimit;
    return limit === null || limit === Infinity ? null : Math.min(limit, spec.maxLimit);
  }
  if (!/^\s*\d+\s*$/.test(value)) {
    throw new BadRequest(`Invalid limit ${JSON.stringify(value)}: expected an integer, 0 or greater.`);
  }
  return Math.min(Number(value), spec.maxLimit);
}

function parseSort<K extends string>(query: QueryInput, spec: ListSpec<K>): Array<SortKey<K>> {
  const defaultDir = spec.defaultDir ?? 'desc';
  const combined = queryValues(query, 'sort');
  const keys = queryValues(query, 'sort_key');
  const dirs = queryValues(query, 'sort_dir');
  if (combined.length > 0) {
    if (keys.length > 0 || dirs.length > 0) {
      throw new BadRequest(
        'The sort parameter cannot be combined with sort_key or sort_dir: ' + 'use either sort=key:dir,key2:dir or sort_key=key&sort_dir=dir pairs.',
      );
    }
    return combined
      .flatMap((value) => value.split(','))
      .map((item) => {
        const [key = '', dir] = splitOnce(item, ':');
        return { key: sortKey(key.trim(), spec), dir: dir === undefined ? defaultDir : sortDir(dir.trim()) };
      });
  }
  if (keys.length === 0 && dirs.length === 0) return spec.defaultSort.map((s) => ({ ...s }));
  const keyList = keys.length > 0 ? keys.map((k) => sortKey(k.trim(), spec)) : spec.defaultSort.map((s) => s.key);
  if (dirs.length > keyList.length) {
    throw new BadRequest(`Got ${dirs.length} sort_dir values for ${keyList.length} sort keys: give at most one sort_dir per sort_key.`);
  }
  const dirList = dirs.map((d) => sortDir(d.trim()));
  const fill = dirList[0] ?? defaultDir;
  return keyList.map((key, i) => ({ key, dir: dirList[i] ?? fill }));
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}

function sortKey<K extends string>(key: string, spec: ListSpec<K>): K {
  const found = spec.sortKeys.find((k) => k === key);
  if (found === undefined) {
    throw new BadRequest(`Invalid sort key ${JSON.stringify(key)}: expected one of ${spec.sortKeys.join(', ')}.`);
  }
  return found;
}

function sortDir(dir: string): SortDir {
  if (dir === 'asc' || dir === 'desc') return dir;
  throw new BadRequest(`Invalid sort direction ${JSON.stringify(dir)}: expected 'asc' or 'desc'.`);
}

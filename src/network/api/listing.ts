/**
 * Neutron's list conventions over the objects a service operation returns:
 * filtering by any attribute (`?status=ACTIVE&status=DOWN`, lists match
 * when they contain the value, `tags`/`tags-any`/`not-tags`/`not-tags-any`),
 * `sort_key`/`sort_dir`, `limit`/`marker`/`page_reverse` with
 * `<collection>_links`, and `fields=` selection.
 *
 * This runs in memory over the visible rows, which keeps filtering on
 * computed and JSON attributes identical on SQLite and PostgreSQL; the
 * bench (10,000 ports) bounds its cost.
 */
import { invalidInput } from '../errors.js';
import { neutronLinks, parseListParams, queryValues, type QueryInput } from '../../core/pagination/index.js';

/** Query parameters that are not attribute filters. */
const RESERVED = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse', 'tags', 'tags-any', 'not-tags', 'not-tags-any', 'sort']);

export interface ListResult {
  items: Array<Record<string, unknown>>;
  links: Array<{ rel: string; href: string }>;
}

/** Lists any objects; markers refer to `id` (resources without one are not paged by marker). */
export function listObjects(objects: ReadonlyArray<Record<string, unknown>>, query: QueryInput, url: string): ListResult {
  const filtered = objects.filter((o) => matchesFilters(o, query) && matchesTags(o, query));
  // Any attribute sorts; with no rows to learn them from, whatever is asked for is accepted.
  const known = filtered.length > 0 ? filtered.flatMap((o) => Object.keys(o)) : queryValues(query, 'sort_key');
  const sortKeys = [...new Set(known.concat(['id', 'name', 'created_at', 'updated_at']))];
  const params = parseListParams(query, { sortKeys, defaultSort: [], maxLimit: Infinity, defaultLimit: null, defaultDir: 'asc', pageReverse: true });
  const sorted = [...filtered];
  if (params.sort.length > 0) {
    sorted.sort((a, b) => {
      for (const { key, dir } of params.sort) {
        const c = compare(a[key], b[key]);
        if (c !== 0) return dir === 'asc' ? c : -c;
      }
      return compare(a.id, b.id);
    });
  }
  let page = sorted;
  let links: ListResult['links'] = [];
  if (params.limit !== null || params.marker !== null) {
    let start = 0;
    let end = sorted.length;
    if (params.marker !== null) {
      const at = sorted.findIndex((o) => o.id === params.marker);
      if (params.pageReverse) end = at < 0 ? sorted.length : at;
      else start = at < 0 ? 0 : at + 1;
    }
    if (params.limit !== null && params.limit > 0) {
      if (params.pageReverse) start = Math.max(start, end - params.limit);
      else end = Math.min(end, start + params.limit);
    }
    page = sorted.slice(start, end);
    if (params.limit !== null && params.limit > 0) {
      const last = page[page.length - 1];
      const first = page[0];
      links = neutronLinks(url, {
        nextMarker: end < sorted.length && typeof last?.id === 'string' ? last.id : null,
        previousMarker: start > 0 && typeof first?.id === 'string' ? first.id : null,
      });
    }
  }
  const fields = selectedFields(query);
  return { items: page.map((o) => pick(o, fields)), links };
}

/** `fields=a&fields=b`: the attributes to keep; null keeps all. */
export function selectedFields(query: QueryInput): string[] | null {
  const fields = queryValues(query, 'fields')
    .flatMap((f) => f.split(','))
    .filter((f) => f !== '');
  return fields.length > 0 ? fields : null;
}

export function pick(object: Record<string, unknown>, fields: string[] | null): Record<string, unknown> {
  if (fields === null) return object;
  return Object.fromEntries(fields.filter((f) => f in object).map((f) => [f, object[f]]));
}

function matchesFilters(object: Record<string, unknown>, query: QueryInput): boolean {
  const names = query instanceof URLSearchParams ? [...new Set(query.keys())] : Object.keys(query);
  for (const name of names) {
    if (RESERVED.has(name)) continue;
    const wanted = queryValues(query, name);
    if (wanted.length === 0) continue;
    if (name === 'fixed_ips') {
      if (!matchesFixedIps(object.fixed_ips, wanted)) return false;
      continue;
    }
    if (!(name in object)) {
      if (name === 'tenant_id' || name === 'project_id') return false;
      continue; // Neutron ignores filters on unknown attributes.
    }
    const value = object[name];
    if (!wanted.some((w) => sameValue(value, w))) return false;
  }
  return true;
}

function matchesFixedIps(value: unknown, wanted: string[]): boolean {
  const ips = Array.isArray(value) ? (value as Array<Record<string, string>>) : [];
  return wanted.every((w) => {
    const [key, ...rest] = w.split('=');
    const expected = rest.join('=');
    return ips.some((ip) => (key === 'ip_address_substr' ? (ip.ip_address ?? '').includes(expected) : ip[key ?? ''] === expected));
  });
}

function sameValue(value: unknown, wanted: string): boolean {
  if (Array.isArray(value)) return value.some((v) => sameValue(v, wanted));
  if (typeof value === 'boolean') {
    const lower = wanted.toLowerCase();
    if (['true', '1'].includes(lower)) return value;
    if (['false', '0'].includes(lower)) return !value;
    throw invalidInput(`'${wanted}' cannot be converted to boolean`);
  }
  if (value === null || value === undefined) return wanted === '' || wanted.toLowerCase() === 'none';
  return String(value) === wanted;
}

function matchesTags(object: Record<string, unknown>, query: QueryInput): boolean {
  const tags = (object.tags as string[] | undefined) ?? [];
  const list = (name: string) =>
    queryValues(query, name)
      .flatMap((v) => v.split(','))
      .filter((t) => t !== '');
  const all = list('tags');
  const any = list('tags-any');
  const notAll = list('not-tags');
  const notAny = list('not-tags-any');
  if (all.length > 0 && !all.every((t) => tags.includes(t))) return false;
  if (any.length > 0 && !any.some((t) => tags.includes(t))) return false;
  if (notAll.length > 0 && notAll.every((t) => tags.includes(t))) return false;
  if (notAny.length > 0 && notAny.some((t) => tags.includes(t))) return false;
  return true;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  const numeric = (v: unknown) => typeof v === 'number' || typeof v === 'bigint';
  if (numeric(a) && numeric(b)) return (a as number | bigint) < (b as number | bigint) ? -1 : (a as number | bigint) > (b as number | bigint) ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Query string values as heat-api reads them (heat/common/param_utils.py and
 * util.get_allowed_params): a key may repeat, booleans are `true`/`false`
 * in any case, integers are digits, tags a comma-separated list.
 */
import { apiErrors } from '../errors/api.js';

/** The parsed query: every key with all its values, in order. */
export type QueryValues = Record<string, string[]>;

export function queryValues(query: unknown): QueryValues {
  const values: QueryValues = {};
  if (typeof query !== 'object' || query === null) return values;
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    const list = Array.isArray(value) ? value : [value];
    values[key] = list.filter((item): item is string => typeof item === 'string');
  }
  return values;
}

/** The first value of `key` (webob's `params.get`), or undefined when absent or empty. */
export function single(query: QueryValues, key: string): string | undefined {
  const value = query[key]?.[0];
  return value === undefined || value === '' ? undefined : value;
}

/** Every non-empty value of `key`, or undefined when there is none. */
export function multi(query: QueryValues, key: string): string[] | undefined {
  const values = (query[key] ?? []).filter((value) => value !== '');
  return values.length > 0 ? values : undefined;
}

export function parseBool(name: string, value: string): boolean {
  const lowered = value.toLowerCase();
  if (lowered !== 'true' && lowered !== 'false') throw apiErrors.invalidBool(name, value);
  return lowered === 'true';
}

export function boolParam(query: QueryValues, name: string): boolean | undefined {
  const value = single(query, name);
  return value === undefined ? undefined : parseBool(name, value);
}

/** A non-negative integer (param_utils.extract_int with allow_zero). */
export function parseInt10(name: string, value: string | number): number {
  const text = String(value).trim();
  if (!/^[-+]?\d+$/.test(text)) throw apiErrors.invalidInt(name);
  const result = Number(text);
  if (result < 0) throw apiErrors.negativeInt(name, String(value));
  return result;
}

export function intParam(query: QueryValues, name: string): number | undefined {
  const value = single(query, name);
  return value === undefined ? undefined : parseInt10(name, value);
}

/** Tags as a comma-separated string; each at most 80 characters. */
export function parseTags(value: string): string[] {
  const tags = value.split(',');
  const long = tags.find((tag) => tag.length > 80);
  if (long !== undefined) throw apiErrors.longTag(long);
  return tags;
}

export function tagsParam(query: QueryValues, name: string): string[] | undefined {
  const value = single(query, name);
  return value === undefined ? undefined : parseTags(value);
}

/** Paging and sorting, as the stack and event lists take them. */
export interface PageParams {
  sortKeys?: string[];
  sortDir?: 'asc' | 'desc';
  limit?: number;
  marker?: string;
}

export function pageParams(query: QueryValues): PageParams {
  const page: PageParams = {};
  const sortKeys = multi(query, 'sort_keys');
  if (sortKeys) page.sortKeys = sortKeys;
  const sortDir = single(query, 'sort_dir');
  if (sortDir === 'asc' || sortDir === 'desc') page.sortDir = sortDir;
  const limit = intParam(query, 'limit');
  if (limit !== undefined) page.limit = limit;
  const marker = single(query, 'marker');
  if (marker) page.marker = marker;
  return page;
}

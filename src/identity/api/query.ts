/** Query-string conventions of Keystone's list APIs. */
import { identityErrors } from '../errors.js';

export type Query = Record<string, string | string[] | undefined>;

export function queryString(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Keystone's boolean filters: `enabled`, `enabled=true|false|1|0`; a bare key means true. */
export function queryBool(query: Query, name: string): boolean | undefined {
  const value = queryString(query, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === '' || lower === 'true' || lower === '1' || lower === 'yes') return true;
  if (lower === 'false' || lower === '0' || lower === 'no') return false;
  throw identityErrors.booleanQuery(name, value);
}

/** Comma-separated list filters such as `tags=a,b`. */
export function queryList(query: Query, name: string): string[] | undefined {
  const value = queryString(query, name);
  return value === undefined ? undefined : value.split(',').filter((v) => v !== '');
}

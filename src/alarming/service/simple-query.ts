/**
 * The `q` filters of GET /v2/alarms and /v2/alarms/{id}/history
 * (`q.field`, `q.op`, `q.value`, `q.type`), and the `sort`/`limit`/`marker`
 * pagination, applied to Aodh's view of each item.
 */
import { BadRequest } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { invalidInput } from '../errors.js';
import { parseAodhTime } from './representation.js';

export interface SimpleFilter {
  field: string;
  op: string;
  value: string;
  type: string;
}

const OPS = ['lt', 'le', 'eq', 'ne', 'ge', 'gt'] as const;
const NAME_MAPPING: Record<string, string> = { user: 'user_id', project: 'project_id' };

/** Fastify hands repeated keys as a list, a single one as a string. */
function values(query: Record<string, unknown>, key: string): string[] {
  const value = query[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function parseSimpleFilters(query: Record<string, unknown>): SimpleFilter[] {
  const fields = values(query, 'q.field');
  const ops = values(query, 'q.op');
  const vals = values(query, 'q.value');
  const types = values(query, 'q.type');
  if (vals.length !== fields.length) throw invalidInput('q', fields, 'Mandatory field missing.');
  return fields.map((field, i) => {
    const op = ops[i] || 'eq';
    if (!(OPS as readonly string[]).includes(op)) throw invalidInput('op', op, `Value should be one of: ${OPS.join(', ')}`);
    return { field: NAME_MAPPING[field] ?? field, op, value: vals[i] as string, type: types[i] ?? '' };
  });
}

/** The filter's value in the item's terms: booleans and numbers as Aodh's literal_eval reads them. */
function typed(filter: SimpleFilter, current: unknown): unknown {
  const { value, type } = filter;
  if (type === 'integer' || type === 'float' || (type === '' && typeof current === 'number')) {
    const number = Number(value);
    if (Number.isNaN(number)) throw new BadRequest(`Unable to convert the value ${value} to the expected data type ${type || 'float'}.`);
    return number;
  }
  if (type === 'boolean' || (type === '' && typeof current === 'boolean')) {
    const lowered = value.toLowerCase();
    if (['true', '1', 'yes', 'on', 'y', 't'].includes(lowered)) return true;
    if (['false', '0', 'no', 'off', 'n', 'f'].includes(lowered)) return false;
    throw new BadRequest(`Unable to convert the value ${value} to the expected data type boolean.`);
  }
  if (type === 'datetime' || (typeof current === 'string' && ['timestamp', 'state_timestamp'].includes(filter.field))) {
    const ms = parseAodhTime(value);
    if (Number.isNaN(ms)) throw new BadRequest(`Unable to convert the value ${value} to the expected data type datetime.`);
    return ms;
  }
  return value;
}

function holds(filter: SimpleFilter, item: JsonObject): boolean {
  let current: unknown = item[filter.field];
  const wanted = typed(filter, current);
  if (typeof wanted === 'number' && typeof current === 'string') current = parseAodhTime(current);
  if (current === undefined || current === null) return filter.op === 'ne';
  switch (filter.op) {
    case 'eq':
      return current === wanted;
    case 'ne':
      return current !== wanted;
  }
  const [a, b] = [current as number | string, wanted as number | string];
  if (filter.op === 'lt') return a < b;
  if (filter.op === 'le') return a <= b;
  if (filter.op === 'gt') return a > b;
  return a >= b;
}

/** Keeps the items every filter holds for; a field outside `allowed` is Aodh's 400. */
export function applySimpleFilters<T extends JsonObject>(items: T[], filters: SimpleFilter[], allowed: readonly string[]): T[] {
  for (const filter of filters) {
    if (!allowed.includes(filter.field)) {
      throw new BadRequest(`Unknown argument: "q": unrecognized field in query: ${filter.field}, valid keys: ${allowed.join(', ')}`);
    }
  }
  return items.filter((item) => filters.every((filter) => holds(filter, item)));
}

export interface Pagination {
  sort: Array<{ field: string; direction: 'asc' | 'desc' }>;
  limit: number | null;
  marker: string | null;
}

export function parsePagination(query: Record<string, unknown>, sortKeys: readonly string[]): Pagination {
  const rawLimit = query.limit;
  let limit: number | null = null;
  if (rawLimit !== undefined) {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit <= 0) throw invalidInput('limit', rawLimit, 'it should be a positive integer.');
  }
  const sort = values(query, 'sort').map((entry) => {
    const [field, direction] = entry.split(':') as [string, string | undefined];
    const dir = direction || 'asc';
    if (!sortKeys.includes(field) || (dir !== 'asc' && dir !== 'desc')) {
      throw invalidInput(
        'sort',
        entry,
        `the sort parameter should be a pair of sort key and sort dir combined with ':', or only sort key specified and sort dir will be default 'asc', the supported sort keys are: ${sortKeys.join(', ')}`,
      );
    }
    return { field, direction: dir as 'asc' | 'desc' };
  });
  const marker = query.marker === undefined ? null : String(query.marker);
  return { sort, limit, marker };
}

/** The page after `marker` (the `idField` of an item of the sorted list); 400 when the marker is not in it. */
export function pageAfter<T extends JsonObject>(items: T[], pagination: Pagination, idField: string): T[] {
  let start = 0;
  if (pagination.marker !== null) {
    const index = items.findIndex((item) => item[idField] === pagination.marker);
    if (index < 0) throw new BadRequest(`Invalid marker: ${pagination.marker} not found.`);
    start = index + 1;
  }
  const page = items.slice(start);
  return pagination.limit === null ? page : page.slice(0, pagination.limit);
}

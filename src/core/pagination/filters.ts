/**
 * Listing filters from the query string, in the forms OpenStack APIs share:
 * - plain equality, `status=ACTIVE`; a repeated parameter is a set, as in Nova
 *   and Neutron (`status=ACTIVE&status=ERROR` lists either);
 * - Glance's operators (the API-WG filtering guideline) on the fields that
 *   declare them: `eq:`, `neq:`, `gt:`, `gte:`, `lt:`, `lte:` and
 *   `in:a,"b,c"` (double quotes keep commas; `\"` is a quote). Repeated
 *   operator terms all apply, so `size=gte:10&size=lt:20` is a range.
 *
 * Parsing (api/) and applying (store/) are apart: the parsed `Filter`s are
 * plain data the service passes down, so the api never builds SQL and the
 * store never sees a query string. Filters peculiar to one service (Nova's
 * `changes-since`, Glance's `size_min`) stay in that service.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { BadRequest } from '../errors.js';
import { queryValues, type QueryInput } from './query.js';

export type FilterOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in';
export type FilterKind = 'string' | 'integer' | 'datetime' | 'boolean';
export type FilterValue = string | number | boolean;

export interface FilterField {
  /**
   * How values are read: integers as numbers, booleans as oslo's
   * `bool_from_string` does, datetimes (ISO 8601, UTC when no offset is
   * given, as oslo's `parse_isotime`) in the stored form of `core/time.ts`.
   */
  kind: FilterKind;
  /**
   * Operators the field takes as an `op:` prefix (`eq` always). A field
   * without any takes its value literally, colons included; on one with
   * operators, `eq:a:b` matches the literal `a:b`.
   */
  ops?: readonly FilterOp[];
  /** The column, when it differs from the parameter name. */
  column?: string;
}

/** The filterable parameters of one resource listing, by parameter name. */
export type FilterSpec = Readonly<Record<string, FilterField>>;

export interface Filter {
  field: string;
  op: FilterOp;
  /** One value; any number for `in`. */
  values: FilterValue[];
}

const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in'] as const satisfies readonly FilterOp[];
const SQL_OPERATORS = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** The filters a request asks for, among the parameters `spec` names; other parameters are not looked at. */
export function parseFilters(query: QueryInput, spec: FilterSpec): Filter[] {
  const filters: Filter[] = [];
  for (const [field, definition] of Object.entries(spec)) {
    const parsed = queryValues(query, field).map((value) => parseOne(field, definition, value));
    const equal = parsed.filter((f) => f.op === 'eq');
    // Two plain values of one field can only mean "either" (equal to both matches nothing).
    if (equal.length > 1) filters.push({ field, op: 'in', values: equal.flatMap((f) => f.values) });
    filters.push(...parsed.filter((f) => f.op !== 'eq' || equal.length === 1));
  }
  return filters;
}

/** Adds `filters` to `query` as WHERE conditions, joined by AND. */
export function applyFilters<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filters: readonly Filter[],
  spec: FilterSpec,
): SelectQueryBuilder<DB, TB, O> {
  return filters.reduce((qb, { field, op, values }) => {
    // A run-time column name: Kysely types references only when known at compile time.
    const column = sql.ref(spec[field]?.column ?? field);
    return op === 'in' ? qb.where(column, 'in', values) : qb.where(column, SQL_OPERATORS[op], values[0]);
  }, query);
}

function parseOne(field: string, definition: FilterField, raw: string): Filter {
  const allowed: readonly FilterOp[] = ['eq', ...(definition.ops ?? []).filter((op) => op !== 'eq')];
  const colon = raw.indexOf(':');
  // As Glance's split_filter_op: a bare ISO 8601 time has colons but no operator.
  if (allowed.length === 1 || colon < 0 || ISO_8601.test(raw)) {
    return { field, op: 'eq', values: [convert(field, definition.kind, raw)] };
  }
  const name = raw.slice(0, colon);
  const op = OPERATORS.find((o) => o === name && allowed.includes(o));
  if (op === undefined) {
    throw new BadRequest(`Invalid operator ${JSON.stringify(name)} for ${field}: expected one of ${allowed.join(', ')}.`);
  }
  const operand = raw.slice(colon + 1);
  const texts = op === 'in' ? splitList(field, operand) : [operand];
  return { field, op, values: texts.map((text) => convert(field, definition.kind, text)) };
}

function convert(field: string, kind: FilterKind, text: string): FilterValue {
  switch (kind) {
    case 'string':
      return text;
    case 'integer':
      if (/^-?\d+$/.test(text)) return Number(text);
      throw new BadRequest(`Invalid value ${JSON.stringify(text)} for ${field}: expected an integer.`);
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE_STRINGS.includes(lower)) return true;
      if (FALSE_STRINGS.includes(lower)) return false;
      throw new BadRequest(`Invalid value ${JSON.stringify(text)} for ${field}: expected true or false.`);
    }
    case 'datetime': {
      const match = ISO_8601.exec(text);
      const time = match ? new Date(match[1] === undefined && text.length > 10 ? `${text}Z` : text) : undefined;
      if (time && !Number.isNaN(time.getTime()) && isCalendarDate(text.slice(0, 10))) return time.toISOString();
      throw new BadRequest(`Invalid value ${JSON.stringify(text)} for ${field}: expected an ISO 8601 time such as 2024-05-01T12:00:00Z.`);
    }
  }
}

/** `Date` rolls 2024-02-30 over to March 1st; oslo's parse_isotime rejects it, and so do we. */
function isCalendarDate(date: string): boolean {
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

/** The operand of `in:`: comma-separated, a value in double quotes may hold commas. */
function splitList(field: string, text: string): string[] {
  const bad = (why: string) => new BadRequest(`Invalid value ${JSON.stringify(text)} for ${field}: ${why}.`);
  const items: string[] = [];
  let at = 0;
  for (;;) {
    if (text[at] === '"') {
      let item = '';
      for (at += 1; at < text.length && text[at] !== '"'; at += 1) {
        if (text[at] === '\\' && at + 1 < text.length) at += 1;
        item += text[at];
      }
      if (at >= text.length) throw bad('a quote is not closed');
      at += 1;
      if (at < text.length && text[at] !== ',') throw bad('a closing quote must be followed by a comma');
      items.push(item);
    } else {
      const comma = text.indexOf(',', at);
      const end = comma < 0 ? text.length : comma;
      const item = text.slice(at, end);
      if (item.includes('"')) throw bad('a quote may only open a value, right after a comma');
      items.push(item);
      at = end;
    }
    if (at >= text.length) return items;
    at += 1;
  }
}

/**
 * Aodh's complex query (`POST /v2/query/alarms` and `/v2/query/alarms/history`):
 * a JSON filter of `=`, `!=`, `<`, `<=`/`=<`, `>`, `>=`/`=>`, `=~` (regular
 * expression), `in`, `and`, `or`, `not`; an `orderby` list of `{field: asc|desc}`;
 * a positive `limit`. A caller limited to a project is held to it, and naming
 * another project is a 401, as Aodh does.
 */
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { aodhErrors } from '../errors.js';
import { parseAodhTime } from './representation.js';

const SIMPLE_OPS = ['=', '!=', '<', '>', '<=', '=<', '>=', '=>', '=~'];
const NAME_MAPPING: Record<string, string> = { user: 'user_id', project: 'project_id' };
const TIMESTAMP_FIELDS = ['timestamp', 'state_timestamp'];

export interface ComplexQueryBody {
  filter?: string;
  orderby?: string;
  limit?: number;
}

export interface ComplexQuery {
  matches(item: JsonObject): boolean;
  order: Array<{ field: string; direction: 'asc' | 'desc' }>;
  limit: number | null;
}

type Predicate = (item: JsonObject) => boolean;

function invalidFilter(why: string): BadRequest {
  return new BadRequest(`Filter expression not valid: ${why}`);
}

function field(name: string): string {
  return NAME_MAPPING[name] ?? name;
}

/** Timestamps compare as instants whatever their written form; the rest as JSON scalars. */
function comparable(name: string, value: Json | undefined): Json | undefined {
  if (TIMESTAMP_FIELDS.includes(name) && typeof value === 'string') {
    const ms = parseAodhTime(value);
    if (Number.isNaN(ms)) throw invalidFilter(`${value} is not a valid timestamp`);
    return ms;
  }
  return value;
}

function compare(op: string, actual: Json | undefined, wanted: Json | undefined): boolean {
  if (actual === undefined || actual === null) return op === '!=' && wanted !== null;
  switch (op) {
    case '=':
      return actual === wanted;
    case '!=':
      return actual !== wanted;
    case '=~':
      return typeof actual === 'string' && new RegExp(String(wanted)).test(actual);
  }
  if (typeof actual !== typeof wanted || (typeof actual !== 'number' && typeof actual !== 'string')) return false;
  const a = actual as number | string;
  const b = wanted as number | string;
  if (op === '<') return a < b;
  if (op === '>') return a > b;
  if (op === '<=' || op === '=<') return a <= b;
  return a >= b;
}

function single(node: JsonObject, where: string): [string, Json] {
  const entries = Object.entries(node);
  if (entries.length !== 1) throw invalidFilter(`${JSON.stringify(node)} must have exactly one property (${where})`);
  return entries[0] as [string, Json];
}

function compile(node: Json, fields: readonly string[], project: string | null, visibility: string): Predicate {
  if (!isJsonObject(node)) throw invalidFilter(`${JSON.stringify(node)} is not of type 'object'`);
  const [rawOp, operand] = single(node, 'operator');
  const op = rawOp.toLowerCase();
  if (op === 'and' || op === 'or') {
    if (!Array.isArray(operand) || operand.length < 2) throw invalidFilter(`${JSON.stringify(operand)} is too short`);
    const parts = operand.map((child) => compile(child, fields, project, visibility));
    return op === 'and' ? (item) => parts.every((p) => p(item)) : (item) => parts.some((p) => p(item));
  }
  if (op === 'not') {
    const inner = compile(operand, fields, project, visibility);
    return (item) => !inner(item);
  }
  if (op !== 'in' && !SIMPLE_OPS.includes(op)) throw invalidFilter(`${JSON.stringify(node)} is not valid under any of the given schemas`);
  if (!isJsonObject(operand)) throw invalidFilter(`${JSON.stringify(operand)} is not of type 'object'`);
  const [rawField, value] = single(operand, 'field');
  const name = field(rawField);
  if (!fields.includes(name)) throw invalidFilter(`${JSON.stringify(operand)} is not valid under any of the given schemas`);
  if (project !== null && name === visibility && (op !== 'in' ? value !== project : !Array.isArray(value) || value.some((v) => v !== project))) {
    throw aodhErrors.notAuthorized('project', String(value));
  }
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0) throw invalidFilter(`${JSON.stringify(value)} is not a non-empty list`);
    const wanted = value.map((v) => comparable(name, v));
    return (item) => wanted.some((w) => compare('=', comparable(name, item[name]), w));
  }
  if (isJsonObject(value) || Array.isArray(value)) throw invalidFilter(`${JSON.stringify(value)} is not valid under any of the given schemas`);
  const wanted = comparable(name, value);
  return (item) => compare(op, comparable(name, item[name]), wanted);
}

function parseOrder(text: string, fields: readonly string[]): ComplexQuery['order'] {
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (err) {
    throw new BadRequest(`Order-by expression not valid: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new BadRequest(`Order-by expression not valid: ${text} is not of type 'array'`);
  return parsed.map((entry) => {
    const pair = isJsonObject(entry) ? Object.entries(entry) : [];
    const [rawField, direction] = (pair[0] ?? ['', null]) as [string, Json];
    const name = field(rawField);
    const dir = typeof direction === 'string' ? direction.toLowerCase() : '';
    if (pair.length !== 1 || !fields.includes(name) || (dir !== 'asc' && dir !== 'desc')) {
      throw new BadRequest(`Order-by expression not valid: ${JSON.stringify(entry)} is not valid under any of the given schemas`);
    }
    return { field: name, direction: dir };
  });
}

/** Parses and checks the body; `project` is the caller's when it is limited to one (null for an admin). */
/** `visibility` is the field that names an item's project (`project_id`, or `on_behalf_of` for history). */
export function parseComplexQuery(body: ComplexQueryBody, fields: readonly string[], project: string | null, visibility: string): ComplexQuery {
  let filter: Predicate = () => true;
  if (body.filter !== undefined) {
    let parsed: Json;
    try {
      parsed = JSON.parse(body.filter) as Json;
    } catch (err) {
      throw invalidFilter((err as Error).message);
    }
    filter = compile(parsed, fields, project, visibility);
  }
  if (body.limit !== undefined && body.limit <= 0) throw new BadRequest('Limit should be positive');
  const visible: Predicate = project === null ? () => true : (item) => item[visibility] === project;
  return {
    matches: (item) => visible(item) && filter(item),
    order: body.orderby === undefined ? [] : parseOrder(body.orderby, fields),
    limit: body.limit ?? null,
  };
}

/** Sorts by each key in turn (nulls first, as PostgreSQL's descending order puts them last). */
export function sortItems<T extends JsonObject>(items: T[], order: ComplexQuery['order']): T[] {
  return [...items].sort((a, b) => {
    for (const { field: name, direction } of order) {
      const x = a[name] ?? null;
      const y = b[name] ?? null;
      if (x === y) continue;
      const less = x === null || (y !== null && x < y);
      return (less ? -1 : 1) * (direction === 'asc' ? 1 : -1);
    }
    return 0;
  });
}

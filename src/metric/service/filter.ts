/**
 * Gnocchi's resource filter language: the JSON form
 * (`{"and": [{"=": {"project_id": "x"}}, {"like": {"name": "vm%"}}]}`) a
 * search body carries, checked as Gnocchi's ResourceSearchSchema checks it,
 * into a tree the store compiles to SQL. The string form of the `filter`
 * query parameter is read by filter-string.ts into the same JSON first.
 */
import { isJsonObject, type Json } from '../../core/json.js';
import { invalidInput } from '../errors.js';

export type Comparison = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'like';
export type Scalar = string | number | boolean | null;

export type Filter =
  | { kind: 'and' | 'or'; items: Filter[] }
  | { kind: 'not'; item: Filter }
  | { kind: 'compare'; op: Comparison; field: string; value: Scalar }
  | { kind: 'in'; field: string; values: Scalar[] };

const COMPARISONS: Record<string, Comparison> = {
  '=': '=',
  '==': '=',
  eq: '=',
  '<': '<',
  lt: '<',
  '>': '>',
  gt: '>',
  '<=': '<=',
  '≤': '<=',
  le: '<=',
  '>=': '>=',
  '≥': '>=',
  ge: '>=',
  '!=': '!=',
  '≠': '!=',
  ne: '!=',
  like: 'like',
};
const JUNCTIONS: Record<string, 'and' | 'or'> = { and: 'and', '∧': 'and', or: 'or', '∨': 'or' };

/** Every operator the JSON form knows (the string form's too). */
export const FILTER_OPERATORS = [...Object.keys(COMPARISONS), 'in', ...Object.keys(JUNCTIONS), 'not'];

function isScalar(value: Json): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** The single `{field: value}` pair under a comparison. */
function fieldAndValue(raw: Json, path: (string | number)[]): [string, Json] {
  if (!isJsonObject(raw)) throw invalidInput('expected a dictionary', path);
  const entries = Object.entries(raw);
  if (entries.length !== 1) throw invalidInput(`length of value must be ${entries.length < 1 ? 'at least' : 'at most'} 1`, path);
  return entries[0] as [string, Json];
}

/** The JSON form as a tree; null for `{}` (no filter). 400 as Gnocchi's schema answers. */
export function parseFilter(raw: Json, path: (string | number)[] = []): Filter | null {
  if (!isJsonObject(raw)) throw invalidInput('expected a dictionary', path);
  const entries = Object.entries(raw);
  if (entries.length === 0) return null;
  if (entries.length > 1) throw invalidInput('length of value must be at most 1', path);
  const [operator, operand] = entries[0] as [string, Json];
  const here = [...path, operator];
  const comparison = COMPARISONS[operator];
  if (comparison) {
    const [field, value] = fieldAndValue(operand, here);
    if (!isScalar(value)) throw invalidInput('expected a scalar value', [...here, field]);
    if (comparison === 'like' && field === 'id') throw invalidInput('extra keys not allowed', [...here, field]);
    return { kind: 'compare', op: comparison, field, value };
  }
  if (operator === 'in') {
    const [field, values] = fieldAndValue(operand, here);
    if (!Array.isArray(values)) throw invalidInput('expected a list', [...here, field]);
    if (values.length < 1) throw invalidInput('length of value must be at least 1', [...here, field]);
    if (!values.every(isScalar)) throw invalidInput('expected a scalar value', [...here, field]);
    return { kind: 'in', field, values: values as Scalar[] };
  }
  const junction = JUNCTIONS[operator];
  if (junction) {
    if (!Array.isArray(operand)) throw invalidInput('expected a list', here);
    if (operand.length < 1) throw invalidInput('length of value must be at least 1', here);
    const items = operand.map((item, index) => parseFilter(item, [...here, index])).filter((item): item is Filter => item !== null);
    return { kind: junction, items };
  }
  if (operator === 'not') {
    const item = parseFilter(operand, here);
    return item === null ? null : { kind: 'not', item };
  }
  throw invalidInput('extra keys not allowed', here);
}

/** Both filters must hold (the policy's restriction and the caller's filter). */
export function allOf(...filters: (Filter | null)[]): Filter | null {
  const items = filters.filter((f): f is Filter => f !== null);
  if (items.length === 0) return null;
  return items.length === 1 ? (items[0] as Filter) : { kind: 'and', items };
}

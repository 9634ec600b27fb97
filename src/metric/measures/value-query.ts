/**
 * The value predicate of `POST /v1/search/metric`: a one-key object whose key
 * is a comparison or arithmetic operator (`{">=": 10}`, `{"=": [{"%": 5}, 0]}`)
 * or `and`/`or` over a list of such objects. A bare number operand stands
 * for the measure's value on the left; a pair gives both operands, each a
 * number or a nested operation. Refusals carry Gnocchi's 400 bodies.
 */
import { isJsonObject, type Json } from '../../core/json.js';
import { GnocchiBadRequest, invalidInput } from './errors.js';

type Binary = (left: number, right: number) => number | boolean;
type Evaluate = (value: number) => number | boolean;

const BINARY: Record<string, Binary> = {};
const define = (names: string[], op: Binary) => names.forEach((name) => (BINARY[name] = op));
define(['=', '==', 'eq'], (a, b) => a === b);
define(['<', 'lt'], (a, b) => a < b);
define(['>', 'gt'], (a, b) => a > b);
define(['<=', '≤', 'le'], (a, b) => a <= b);
define(['>=', '≥', 'ge'], (a, b) => a >= b);
define(['!=', '≠', 'ne'], (a, b) => a !== b);
// Python's % takes the divisor's sign.
define(['%', 'mod'], (a, b) => ((a % b) + b) % b);
define(['+', 'add'], (a, b) => a + b);
define(['-', 'sub'], (a, b) => a - b);
define(['*', '×', 'mul'], (a, b) => a * b);
define(['/', '÷', 'div'], (a, b) => a / b);
define(['**', '^', 'pow'], (a, b) => a ** b);

/** `∨` and `∧` as Gnocchi's evaluator maps them (`∨` any, `∧` all). */
const MULTIPLE: Record<string, 'any' | 'all'> = { or: 'any', '∨': 'any', and: 'all', '∧': 'all' };
/** Keys the schema lets through; `not` passes it but no evaluator knows it. */
const LOGICAL = [...Object.keys(MULTIPLE), 'not'];

const asNumber = (result: number | boolean) => Number(result);

function single(node: Json, path: Json[]): [string, Json] {
  if (!isJsonObject(node)) throw invalidInput('expected a dictionary', path);
  const entries = Object.entries(node);
  if (entries.length !== 1) throw invalidInput(`length of value must be at most 1`, path);
  return entries[0]!;
}

function operand(node: Json, path: Json[]): Evaluate {
  if (typeof node === 'number') return () => node;
  return binary(node, path);
}

function binary(node: Json, path: Json[]): Evaluate {
  const [name, argument] = single(node, path);
  const op = BINARY[name];
  if (!op) throw invalidInput('extra keys not allowed', [...path, name]);
  if (typeof argument === 'number') return (value) => op(value, argument);
  if (!Array.isArray(argument) || argument.length !== 2) throw invalidInput('expected a list of two operands', [...path, name]);
  const left = operand(argument[0]!, [...path, name, 0]);
  const right = operand(argument[1]!, [...path, name, 1]);
  return (value) => op(asNumber(left(value)), asNumber(right(value)));
}

function predicateTree(node: Json, path: Json[]): Evaluate {
  const [name, argument] = single(node, path);
  if (!LOGICAL.includes(name)) return binary(node, path);
  if (!Array.isArray(argument)) throw invalidInput('expected a list', [...path, name]);
  const mode = MULTIPLE[name];
  if (!mode) throw new GnocchiBadRequest(`Unknown operator ${name}`);
  const parts = argument.map((child, i) => predicateTree(child, [...path, name, i]));
  return mode === 'any' ? (value) => parts.some((part) => Boolean(part(value))) : (value) => parts.every((part) => Boolean(part(value)));
}

/** The predicate a search body asks for: true for a value the answer keeps. */
export function parseValueQuery(body: Json): (value: number) => boolean {
  const evaluate = predicateTree(body, []);
  return (value) => Boolean(evaluate(value));
}

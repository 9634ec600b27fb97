/**
 * A safe evaluator for the subset of yaql that HOT templates use; no
 * expression is ever handed to a JavaScript engine.
 *
 * What it takes:
 * - `$` (the input, `{data: ...}` at the top, the current item inside a
 *   lambda argument), `$.data.key`, `$.data.list[0]`, `$.data['key']`;
 * - literals: numbers, 'strings' or "strings", true, false, null, lists
 *   `[1, 2]`, dicts `{a => 1}`;
 * - operators: `+ - * / mod`, `= != < > <= >=`, `in`, `and or not`
 *   (`+` also concatenates strings and lists and merges dicts);
 * - functions, callable as `f(x, ...)` or `x.f(...)`: len, count, sum, max,
 *   min, first, last, distinct, flatten, keys, values, items, dict, list,
 *   toList, join, split, toUpper, toLower, trim, replace, startsWith,
 *   endsWith, contains, indexOf, skip, take, limit, concat, str, int, float,
 *   bool, range, isEmpty, select, where, filter, any, all, orderBy,
 *   orderByDescending (the last seven take an expression over `$`).
 * Anything else is a "Bad expression" or a failed evaluation, never a guess.
 * Collections are capped at 200 items as Heat's `limit_iterators` default.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { YaqlNode } from './yaql-parser.js';

export { parseYaql, YaqlSyntaxError, type YaqlNode } from './yaql-parser.js';

/** Heat's `[yaql] limit_iterators` default. */
const YAQL_LIMIT_ITERATORS = 200;

export class YaqlEvaluationError extends Error {}

function fail(message: string): never {
  throw new YaqlEvaluationError(message);
}

function capped(list: Json[]): Json[] {
  if (list.length > YAQL_LIMIT_ITERATORS) fail(`Collection length exceeds ${YAQL_LIMIT_ITERATORS} elements`);
  return list;
}

function asList(value: Json, fn: string): Json[] {
  if (Array.isArray(value)) return value;
  if (isJsonObject(value)) return Object.keys(value);
  return fail(`${fn}() expects a collection`);
}

function compare(a: Json, b: Json): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return fail('values of different types cannot be compared');
}

function same(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function truthy(value: Json): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

function text(value: Json): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function binary(op: string, a: Json, b: Json): Json {
  switch (op) {
    case '+':
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return capped([...a, ...b]);
      if (isJsonObject(a) && isJsonObject(b)) return { ...a, ...b };
      return fail(`operator + cannot combine ${text(a)} and ${text(b)}`);
    case '-':
    case '*':
    case '/':
    case 'mod': {
      if (typeof a !== 'number' || typeof b !== 'number') return fail(`operator ${op} needs numbers`);
      if ((op === '/' || op === 'mod') && b === 0) return fail('division by zero');
      if (op === '-') return a - b;
      if (op === '*') return a * b;
      if (op === 'mod') return ((a % b) + b) % b;
      return Number.isInteger(a) && Number.isInteger(b) ? Math.floor(a / b) : a / b;
    }
    case '=':
      return same(a, b);
    case '!=':
      return !same(a, b);
    case '<':
      return compare(a, b) < 0;
    case '>':
      return compare(a, b) > 0;
    case '<=':
      return compare(a, b) <= 0;
    case '>=':
      return compare(a, b) >= 0;
    case 'in':
      if (typeof b === 'string') return typeof a === 'string' && b.includes(a);
      return asList(b, 'in').some((item) => same(item, a));
    default:
      return fail(`unknown operator ${op}`);
  }
}

/** Functions whose arguments after the receiver are expressions over each item (`$` bound to the item). */
const LAMBDA_FUNCTIONS = new Set(['select', 'where', 'filter', 'any', 'all', 'orderBy', 'orderByDescending']);

function lambdaCall(name: string, items: Json[], apply: (item: Json) => Json): Json {
  switch (name) {
    case 'select':
      return capped(items.map(apply));
    case 'where':
    case 'filter':
      return items.filter((item) => truthy(apply(item)));
    case 'any':
      return items.some((item) => truthy(apply(item)));
    case 'all':
      return items.every((item) => truthy(apply(item)));
    default: {
      const sorted = [...items].sort((x, y) => compare(apply(x), apply(y)));
      return name === 'orderBy' ? sorted : sorted.reverse();
    }
  }
}

function numbers(list: Json[], fn: string): number[] {
  return list.map((v) => (typeof v === 'number' ? v : fail(`${fn}() expects numbers`)));
}

function plainCall(name: string, args: Json[]): Json {
  const [first = null, second = null, third = null] = args;
  switch (name) {
    case 'len':
    case 'count':
      return typeof first === 'string' ? [...first].length : asList(first, name).length;
    case 'sum':
      return numbers(asList(first, name), name).reduce((a, b) => a + b, 0);
    case 'max':
    case 'min': {
      const list = args.length > 1 ? args : asList(first, name);
      if (list.length === 0) return fail(`${name}() of an empty collection`);
      return list.reduce((a, b) => (compare(a, b) >= 0 === (name === 'max') ? a : b));
    }
    case 'first':
    case 'last': {
      const list = asList(first, name);
      if (list.length === 0) return args.length > 1 ? second : fail(`${name}() of an empty collection`);
      return (name === 'first' ? list[0] : list[list.length - 1]) ?? null;
    }
    case 'distinct':
      return asList(first, name).filter((item, i, all) => all.findIndex((o) => same(o, item)) === i);
    case 'flatten':
      return capped(asList(first, name).flatMap((item) => (Array.isArray(item) ? item : [item])));
    case 'keys':
      return isJsonObject(first) ? Object.keys(first) : fail('keys() expects a dict');
    case 'values':
      return isJsonObject(first) ? Object.values(first) : fail('values() expects a dict');
    case 'items':
      return isJsonObject(first) ? Object.entries(first).map(([k, v]) => [k, v]) : fail('items() expects a dict');
    case 'dict':
      return Object.fromEntries(
        asList(first, name).map((pair) => (Array.isArray(pair) && pair.length === 2 ? [text(pair[0] ?? null), pair[1] ?? null] : fail('dict() expects pairs'))),
      );
    case 'list':
      return args.length === 1 && Array.isArray(first) ? first : args;
    case 'toList':
      return asList(first, name);
    case 'concat':
      return capped(args.flatMap((a) => asList(a, name)));
    case 'join':
      // Both `sequence.join(separator)` and `separator.join(sequence)` are yaql.
      return typeof first === 'string' && Array.isArray(second) ? second.map(text).join(first) : asList(first, name).map(text).join(text(second));
    case 'split':
      return typeof first === 'string' ? capped(first.split(second === null ? /\s+/ : text(second))) : fail('split() expects a string');
    case 'toUpper':
      return text(first).toUpperCase();
    case 'toLower':
      return text(first).toLowerCase();
    case 'trim':
      return text(first).trim();
    case 'replace':
      return text(first).split(text(second)).join(text(third));
    case 'startsWith':
      return text(first).startsWith(text(second));
    case 'endsWith':
      return text(first).endsWith(text(second));
    case 'contains':
      return typeof first === 'string' ? first.includes(text(second)) : asList(first, name).some((item) => same(item, second));
    case 'indexOf':
      return typeof first === 'string' ? first.indexOf(text(second)) : asList(first, name).findIndex((item) => same(item, second));
    case 'skip':
      return asList(first, name).slice(Number(second));
    case 'take':
    case 'limit':
      return asList(first, name).slice(0, Number(second));
    case 'isEmpty':
      return !truthy(first);
    case 'str':
      return text(first);
    case 'int':
      return Number.isNaN(Number.parseInt(text(first), 10)) ? fail(`int() cannot convert ${text(first)}`) : Math.trunc(Number(first));
    case 'float':
      return Number.isNaN(Number(first)) ? fail(`float() cannot convert ${text(first)}`) : Number(first);
    case 'bool':
      return truthy(first);
    case 'range': {
      const [start, stop] = args.length > 1 ? [Number(first), Number(second)] : [0, Number(first)];
      return capped(Array.from({ length: Math.max(0, stop - start) }, (_, k) => start + k));
    }
    default:
      return fail(`Unknown function "#${name}"`);
  }
}

function evaluateNode(node: YaqlNode, context: Json, variables: JsonObject): Json {
  const recurse = (n: YaqlNode, ctx: Json = context): Json => evaluateNode(n, ctx, variables);
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'context':
      return context;
    case 'variable':
      return variables[node.name] ?? fail(`Unknown variable $${node.name}`);
    case 'list':
      return node.items.map((item) => recurse(item));
    case 'dict':
      return Object.fromEntries(node.entries.map(([k, v]) => [text(recurse(k)), recurse(v)]));
    case 'member': {
      const target = recurse(node.target);
      return isJsonObject(target) ? (target[node.name] ?? null) : fail(`"${node.name}" cannot be read from ${text(target)}`);
    }
    case 'index': {
      const target = recurse(node.target);
      const index = recurse(node.index);
      if (Array.isArray(target) && typeof index === 'number') return target.at(index) ?? fail(`index ${index} out of range`);
      if (isJsonObject(target) && typeof index === 'string') return target[index] ?? null;
      return fail(`cannot index ${text(target)} with ${text(index)}`);
    }
    case 'unary': {
      const value = recurse(node.operand);
      if (node.op === 'not') return !truthy(value);
      return typeof value === 'number' ? -value : fail('unary - needs a number');
    }
    case 'binary':
      if (node.op === 'and') return truthy(recurse(node.left)) ? recurse(node.right) : recurse(node.left);
      if (node.op === 'or') return truthy(recurse(node.left)) ? recurse(node.left) : recurse(node.right);
      return binary(node.op, recurse(node.left), recurse(node.right));
    case 'call': {
      const [receiverNode, ...rest] = node.receiver === null ? node.args : [node.receiver, ...node.args];
      if (LAMBDA_FUNCTIONS.has(node.name)) {
        const items = asList(receiverNode === undefined ? context : recurse(receiverNode), node.name);
        const lambda = rest[0];
        return lambdaCall(node.name, items, (item) => (lambda === undefined ? item : recurse(lambda, item)));
      }
      const args = [receiverNode, ...rest].filter((n): n is YaqlNode => n !== undefined).map((n) => recurse(n));
      return plainCall(node.name, args);
    }
  }
}

/** Evaluates a parsed expression with `$` bound to `{data: data}`. */
export function evaluateYaql(tree: YaqlNode, data: Json): Json {
  return evaluateNode(tree, { data }, { data });
}

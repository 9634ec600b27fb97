/**
 * Gnocchi's operations language, read into a checked tree. It comes as a
 * string of nested parentheses, `(aggregate mean (metric <id> mean))`, or as
 * the same tree in JSON lists, `["aggregate", "mean", ["metric", "<id>", "mean"]]`.
 * The node kinds and operator names are those of gnocchi/rest/aggregates.
 */
import type { Sampling } from './calendar.js';
import type { Json } from '../../core/json.js';
import { GnocchiBadRequest, invalidInput } from './errors.js';
import { ACROSS_METHODS, RESAMPLE_METHODS } from './reducers.js';
import { parseTimespan } from './time.js';

const BINARY_OPERATORS = [
  ...['=', '==', 'eq', '<', 'lt', '>', 'gt', '<=', '≤', 'le', '>=', '≥', 'ge', '!=', '≠', 'ne'],
  ...['%', 'mod', '+', 'add', '-', 'sub', '*', '×', 'mul', '/', '÷', 'div', '**', '^', 'pow', 'clip_min', 'clip_max', 'max'],
] as const;
const UNARY_OPERATORS = ['abs', 'absolute', 'neg', 'negative', 'cos', 'sin', 'tan', 'floor', 'ceil'] as const;
const TIMED_UNARY_OPERATORS = ['rateofchange', 'rateofchangesec'] as const;

/** A metric reference: a metric id (or, with a search, a metric name pattern) and an aggregation method. */
export type Reference = [name: string, aggregation: string];

export type OperationNode =
  | { kind: 'number'; value: number }
  | { kind: 'metric'; references: Reference[] }
  | { kind: 'binary'; op: string; left: OperationNode; right: OperationNode }
  | { kind: 'clip'; operand: OperationNode; min: OperationNode; max: OperationNode | null }
  | { kind: 'unary'; op: string; operand: OperationNode }
  | { kind: 'aggregate'; method: string; operand: OperationNode }
  /** The operations language takes seconds only (Gnocchi's to_timespan); the legacy aggregation resamples by calendar groups too. */
  | { kind: 'resample'; method: string; sampling: Sampling; operand: OperationNode }
  | { kind: 'rolling'; method: string; window: number; operand: OperationNode };

/** The string form as nested lists of words (pyparsing's nestedExpr: whitespace splits, quotes keep words whole). */
export function readNestedLists(text: string): Json {
  const tokens = text.match(/\(|\)|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s()]+/g) ?? [];
  const stack: Json[][] = [];
  let result: Json[] | null = null;
  for (const token of tokens) {
    if (token === '(') stack.push([]);
    else if (token === ')') {
      const done = stack.pop();
      if (!done) throw parseFailure('unbalanced )');
      if (stack.length === 0) {
        result ??= done;
      } else stack[stack.length - 1]!.push(done);
    } else if (stack.length === 0) {
      if (result === null) throw parseFailure(`Expected "(", found '${token}'`);
    } else stack[stack.length - 1]!.push(/^["']/.test(token) ? token.slice(1, -1) : token);
  }
  if (stack.length > 0 || result === null) throw parseFailure('Expected ")", found end of text');
  return result;
}

function parseFailure(detail: string): GnocchiBadRequest {
  return new GnocchiBadRequest({ cause: 'Invalid operations', reason: 'Fail to parse the operations string', detail });
}

/** A word or a number of the string form: Gnocchi coerces numbers with float(). */
function asNumber(node: Json): number | null {
  if (typeof node === 'number') return node;
  if (typeof node === 'string' && /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i.test(node)) return Number(node);
  return null;
}

/** Python's name of a JSON value's type, as voluptuous prints it. */
function pythonType(node: Json): string {
  if (node === null) return "<class 'NoneType'>";
  if (Array.isArray(node)) return "<class 'list'>";
  const names: Record<string, string> = { string: 'str', boolean: 'bool', object: 'dict' };
  return `<class '${typeof node === 'number' ? (Number.isInteger(node) ? 'int' : 'float') : names[typeof node]}'>`;
}

/** Gnocchi's refusal of a node, worded by the last schema voluptuous tried (the `metric` one). */
function invalid(node: Json): GnocchiBadRequest {
  let reason: string;
  if (!Array.isArray(node)) reason = `Expected a tuple/list, got a ${pythonType(node)}`;
  else if (node.length === 0) reason = 'Operation must not be empty';
  else if (node.length < 2) reason = 'Operation need at least one argument';
  else reason = `'${typeof node[0] === 'string' ? node[0] : JSON.stringify(node[0])}' operation invalid`;
  return invalidInput(`${reason} for dictionary value @ data['operations']`, ['operations']);
}

function isPair(node: Json): node is [string, string] {
  return Array.isArray(node) && node.length === 2 && typeof node[0] === 'string' && typeof node[1] === 'string';
}

function metricNode(node: Json[]): OperationNode {
  const args = node.slice(1);
  if (isPair(args)) return { kind: 'metric', references: [[args[0], args[1]]] };
  if (args.length >= 1 && args.every(isPair)) return { kind: 'metric', references: args.map((pair) => [pair[0], pair[1]]) };
  throw invalid(['metric', ...args]);
}

function includes(list: readonly string[], word: Json | undefined): word is string {
  return typeof word === 'string' && list.includes(word);
}

/** One node of the tree; `top` refuses a bare number, as Gnocchi's top-level schema does. */
function checkOperations(node: Json, top = true): OperationNode {
  const value = asNumber(node);
  if (value !== null && !top) return { kind: 'number', value };
  if (!Array.isArray(node) || node.length === 0) throw invalid(node);
  const [head, ...rest] = node;
  const sub = (child: Json | undefined) => checkOperations(child ?? null, false);
  if (head === 'metric' && node.length >= 2) return metricNode(node);
  if (head === 'clip' && (rest.length === 2 || rest.length === 3))
    return { kind: 'clip', operand: sub(rest[0]), min: sub(rest[1]), max: rest.length === 3 ? sub(rest[2]) : null };
  if (includes(BINARY_OPERATORS, head) && rest.length === 2) return { kind: 'binary', op: head, left: sub(rest[0]), right: sub(rest[1]) };
  if ((includes(UNARY_OPERATORS, head) || includes(TIMED_UNARY_OPERATORS, head)) && rest.length === 1)
    return { kind: 'unary', op: head, operand: sub(rest[0]) };
  if (head === 'aggregate' && rest.length === 2 && includes(ACROSS_METHODS, rest[0])) return { kind: 'aggregate', method: rest[0], operand: sub(rest[1]) };
  if (head === 'resample' && rest.length === 3 && includes(RESAMPLE_METHODS, rest[0])) {
    let sampling: number;
    try {
      sampling = parseTimespan(rest[1]);
    } catch {
      throw invalid(node);
    }
    return { kind: 'resample', method: rest[0], sampling, operand: sub(rest[2]) };
  }
  if (head === 'rolling' && rest.length === 3 && includes(ACROSS_METHODS, rest[0])) {
    const window = asNumber(rest[1] ?? null);
    if (window !== null && window >= 1) return { kind: 'rolling', method: rest[0], window: Math.trunc(window), operand: sub(rest[2]) };
  }
  throw invalid(node);
}

/** The tree of a request's `operations` (either form). */
export function parseOperations(operations: Json): OperationNode {
  return checkOperations(typeof operations === 'string' ? readNestedLists(operations) : operations);
}

/** The metric references of a tree, each once, in the order they appear. */
export function referencesOf(node: OperationNode): Reference[] {
  const found: Reference[] = [];
  const visit = (n: OperationNode): void => {
    switch (n.kind) {
      case 'number':
        return;
      case 'metric':
        for (const ref of n.references) if (!found.some(([name, agg]) => name === ref[0] && agg === ref[1])) found.push(ref);
        return;
      case 'binary':
        visit(n.left);
        visit(n.right);
        return;
      case 'clip':
        visit(n.operand);
        visit(n.min);
        if (n.max) visit(n.max);
        return;
      default:
        visit(n.operand);
    }
  };
  visit(node);
  return found;
}

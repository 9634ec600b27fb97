/** yaql: evaluates an expression of the safe subset described in ../yaql.ts over `data`. */
import { isJsonObject } from '../../json.js';
import { evaluateYaql, parseYaql, YaqlEvaluationError, YaqlSyntaxError, type YaqlNode } from '../yaql.js';
import { argumentError, keyError, type TemplateFunction } from './types.js';

function syntaxExample(name: string): string {
  return `"${name}" syntax should be ${name}:\n              expression: $.data.var1.sum()\n              data:\n                var1: [3, 2, 1]`;
}

function compile(expression: unknown, name: string): YaqlNode {
  if (typeof expression !== 'string') throw argumentError(`The "expression" argument to ${name} must contain a string.`);
  try {
    return parseYaql(expression);
  } catch (error) {
    if (error instanceof YaqlSyntaxError) throw argumentError(`Bad expression ${error.message}.`);
    throw error;
  }
}

export const yaql: TemplateFunction = {
  check(args, name, isCall) {
    if (!isJsonObject(args)) throw argumentError(`Arguments to "${name}" must be a map.`);
    if (!('expression' in args) || Object.keys(args).some((k) => k !== 'expression' && k !== 'data')) throw keyError(syntaxExample(name));
    if (!isCall(args.expression ?? null)) compile(args.expression, name);
  },
  apply(args, _env, name) {
    const { expression, data = {} } = isJsonObject(args) ? args : {};
    const tree = compile(expression, name);
    try {
      return evaluateYaql(tree, data);
    } catch (error) {
      if (error instanceof YaqlEvaluationError) throw argumentError(error.message);
      throw error;
    }
  },
};

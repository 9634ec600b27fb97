/** equals, not, and, or (condition functions) and if. */
import type { Json } from '../../json.js';
import { argumentError, ABSENT, type TemplateFunction } from './types.js';

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const equals: TemplateFunction = {
  check(args, name) {
    if (!Array.isArray(args) || args.length !== 2) throw argumentError(`Arguments to "${name}" must be of the form: [value_1, value_2]`);
  },
  apply(args) {
    const [a, b] = args as [Json, Json];
    return sameJson(a, b);
  },
};

export const not: TemplateFunction = {
  check(args, name) {
    if (args === null) throw argumentError(`Argument to "${name}" must be a condition`);
  },
  apply(arg, env) {
    return !env.condition(arg);
  },
};

function conditionList(combine: 'every' | 'some'): TemplateFunction {
  return {
    check(args, name) {
      if (!Array.isArray(args)) throw argumentError(`Arguments to "${name}" must be a list of conditions`);
      if (args.length < 2) throw argumentError(`The minimum number of condition arguments to "${name}" is 2.`);
    },
    apply(args, env) {
      return (args as Json[])[combine]((item) => env.condition(item));
    },
  };
}

export const and = conditionList('every');
export const or = conditionList('some');

/**
 * if: [condition, value_if_true, value_if_false]; only the chosen branch is
 * evaluated. From 2021-04-16 the false branch may be left out, and then the
 * value counts as not given at all.
 */
export function ifFunction(nullable: boolean): TemplateFunction {
  return {
    check(args, name) {
      const count = Array.isArray(args) ? args.length : 0;
      if (!(count === 3 || (nullable && count === 2))) {
        throw argumentError(`Arguments to "${name}" must be of the form: [condition_name, value_if_true, value_if_false]`);
      }
    },
    async evaluate(rawArgs, ctx, name) {
      this.check?.(rawArgs, name, () => false);
      const [condition, whenTrue, whenFalse] = rawArgs as Json[];
      if (ctx.condition(condition ?? null)) return ctx.resolve(whenTrue ?? null);
      return whenFalse === undefined ? ABSENT : ctx.resolve(whenFalse);
    },
  };
}

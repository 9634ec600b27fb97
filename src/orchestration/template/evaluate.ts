/**
 * resolveSnippet: evaluates a snippet (properties, metadata, an output)
 * against the engine's ResolveScope. Arguments are evaluated before the
 * function applies, except for `if` (one branch only) and `get_attr`
 * (which awaits the engine); `if` without a false branch drops the value.
 */
import type { Json } from '../json.js';
import { invalidTemplateVersion, stackValidationFailed } from '../errors/template.js';
import { conditionEnabled, evaluateConditionSnippet } from './conditions.js';
import { functionTable, removedFunction } from './functions/registry.js';
import { ABSENT, FunctionArgumentError, type ApplyEnv, type EvalContext, type Resolved } from './functions/types.js';
import { callDetector, functionCall } from './snippet.js';
import type { ParsedTemplate, ResolveScope } from './types.js';

function applyEnv(t: ParsedTemplate, scope: ResolveScope): ApplyEnv {
  return {
    version: t.version,
    parameters: scope.parameters,
    files: scope.files,
    getResource: (name) => scope.getResource(name),
    ...(scope.resourceFacade === undefined ? {} : { resourceFacade: (section) => scope.resourceFacade?.(section) ?? null }),
    condition: (reference) => conditionEnabled(reference, scope.conditions),
  };
}

export async function resolveSnippet(t: ParsedTemplate, snippet: Json, scope: ResolveScope): Promise<Json> {
  const table = functionTable(t.version);
  const isCall = callDetector(table);
  const env = applyEnv(t, scope);
  const ctx: EvalContext = {
    env,
    scope,
    resolve: (node) => resolveNode(node),
    condition(reference) {
      if (typeof reference === 'object' && reference !== null && !Array.isArray(reference)) {
        const value = evaluateConditionSnippet(reference, env, []);
        return env.condition(value);
      }
      return env.condition(reference);
    },
  };

  async function resolveNode(node: Json): Promise<Resolved> {
    const call = functionCall(node, table);
    if (call !== null) {
      if (call.fn === removedFunction) throw invalidTemplateVersion(`The function ${call.name} is not supported in this version of HOT.`);
      call.fn.check?.(call.args, call.name, isCall);
      if (call.fn.evaluate !== undefined) return call.fn.evaluate(call.args, ctx, call.name);
      const args = await resolveNode(call.args);
      return call.fn.apply?.(args === ABSENT ? null : args, env, call.name) ?? null;
    }
    if (Array.isArray(node)) {
      const items: Json[] = [];
      for (const item of node) {
        const value = await resolveNode(item);
        if (value !== ABSENT) items.push(value);
      }
      return items;
    }
    if (node !== null && typeof node === 'object') {
      const entries: Array<[string, Json]> = [];
      for (const [key, item] of Object.entries(node)) {
        const value = await resolveNode(item);
        if (value !== ABSENT) entries.push([key, value]);
      }
      return Object.fromEntries(entries);
    }
    return node;
  }

  try {
    const result = await resolveNode(snippet);
    return result === ABSENT ? null : result;
  } catch (error) {
    if (error instanceof FunctionArgumentError) throw stackValidationFailed(error.message);
    throw error;
  }
}

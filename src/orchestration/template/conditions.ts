/**
 * Conditions (HOT 2016-10-14 on): named conditions over parameters, their
 * evaluation with Heat's circularity and type checks, and which resources
 * and outputs they leave in the stack.
 */
import type { Json } from '../json.js';
import { stackValidationFailed, type TemplatePathItem } from '../errors/template.js';
import { conditionFunctionTable } from './functions/registry.js';
import { argumentError, FunctionArgumentError, type ApplyEnv } from './functions/types.js';
import { pythonStr } from './python-names.js';
import { functionCall } from './snippet.js';
import type { HotVersion, ParsedTemplate, ResourceDefinition } from './types.js';

const CONDITION_ERROR = 'Condition validation error';

/** Evaluates a condition snippet synchronously: only condition functions are allowed in it. */
export function evaluateConditionSnippet(snippet: Json, env: ApplyEnv, path: TemplatePathItem[]): Json {
  const table = conditionFunctionTable(env.version);
  const walk = (node: Json, at: TemplatePathItem[]): Json => {
    const call = functionCall(node, table);
    if (call !== null) {
      const fnPath = [...at, call.name];
      try {
        call.fn.check?.(call.args, call.name, (v) => functionCall(v, table) !== null);
        const args = walk(call.args, fnPath);
        if (call.fn.apply === undefined) throw argumentError(`The function "${call.name}" is invalid in this context`);
        return call.fn.apply(args, env, call.name);
      } catch (error) {
        if (error instanceof FunctionArgumentError) throw stackValidationFailed(error.message, fnPath);
        throw error;
      }
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...at, i]));
    if (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      const only = keys.length === 1 ? (keys[0] as string) : undefined;
      if (only !== undefined && table.refused(only)) throw stackValidationFailed(`The function "${only}" is invalid in this context`, [...at, only]);
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...at, k])]));
    }
    return node;
  };
  return walk(snippet, path);
}

/**
 * A resource's or output's inline condition (`condition: {equals: [...]}`)
 * is evaluated with the named ones and kept in the same record under a key
 * no template can write (it starts with a NUL), so the record stays plain
 * data the engine can store.
 */
function inlineKey(section: 'resources' | 'outputs', name: string): string {
  return `\u0000${section}.${name}`;
}

/** A condition reference (`condition:` of a resource or output, or the first argument of `if`) against evaluated conditions. */
export function conditionEnabled(reference: Json | undefined, conditions: Record<string, boolean>, inline?: string): boolean {
  if (reference === undefined || reference === null) return true;
  if (typeof reference === 'boolean') return reference;
  if (typeof reference === 'object' && inline !== undefined && conditions[inline] !== undefined) return conditions[inline];
  const value = typeof reference === 'string' ? conditions[reference] : undefined;
  if (value === undefined) throw argumentError(`Invalid condition "${pythonStr(reference)}"`);
  return value;
}

/** Evaluates every named condition of the template over validated parameter values. */
export function evaluateConditions(t: ParsedTemplate, parameters: Record<string, Json>): Record<string, boolean> {
  const results: Record<string, boolean> = {};
  const inProgress = new Set<string>();
  const env: ApplyEnv = {
    version: t.version as HotVersion,
    parameters,
    files: {},
    getResource: () => null,
    condition: (reference) => isEnabled(reference),
  };
  const isEnabled = (reference: Json): boolean => {
    if (typeof reference === 'boolean') return reference;
    if (typeof reference !== 'string' || !(reference in t.conditions)) throw argumentError(`Invalid condition "${pythonStr(reference)}"`);
    const known = results[reference];
    if (known !== undefined) return known;
    if (inProgress.has(reference)) throw stackValidationFailed(`Circular definition for condition "${reference}"`, [], CONDITION_ERROR);
    inProgress.add(reference);
    const definition = t.conditions[reference] ?? null;
    const value = evaluateConditionSnippet(definition, env, ['conditions', reference]);
    if (typeof value !== 'boolean') {
      throw stackValidationFailed(`The definition of condition "${reference}" is invalid: ${pythonStr(definition)}`, [], CONDITION_ERROR);
    }
    inProgress.delete(reference);
    results[reference] = value;
    return value;
  };
  for (const name of Object.keys(t.conditions)) {
    try {
      isEnabled(name);
    } catch (error) {
      if (error instanceof FunctionArgumentError) throw stackValidationFailed(error.message, ['conditions', name]);
      throw error;
    }
  }
  const inline = (section: 'resources' | 'outputs', name: string, reference: Json | undefined): void => {
    if (reference === null || typeof reference !== 'object') return;
    const value = evaluateConditionSnippet(reference, env, [section, name, 'condition']);
    if (typeof value !== 'boolean') throw stackValidationFailed(`Resource ${name} condition type must be string_or_boolean`);
    results[inlineKey(section, name)] = value;
  };
  for (const def of Object.values(t.resources)) inline('resources', def.name, def.condition);
  for (const out of Object.values(t.outputs)) inline('outputs', out.name, out.condition);
  return results;
}

function referenceOrError(reference: Json | undefined, conditions: Record<string, boolean>, path: TemplatePathItem[]): boolean {
  try {
    return conditionEnabled(reference, conditions, inlineKey(path[0] as 'resources' | 'outputs', String(path[1])));
  } catch (error) {
    if (error instanceof FunctionArgumentError) throw stackValidationFailed(error.message, path);
    throw error;
  }
}

/** The resources in the stack: those whose condition holds (a condition false leaves the resource out entirely). */
export function activeResources(t: ParsedTemplate, conditions: Record<string, boolean>): ResourceDefinition[] {
  return Object.values(t.resources).filter((def) => referenceOrError(def.condition, conditions, ['resources', def.name, 'condition']));
}

/** Whether an output is shown with a value (false: Heat lists it with a null value). */
export function outputEnabled(t: ParsedTemplate, name: string, conditions: Record<string, boolean>): boolean {
  return referenceOrError(t.outputs[name]?.condition, conditions, ['outputs', name, 'condition']);
}

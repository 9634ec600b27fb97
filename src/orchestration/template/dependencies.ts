/**
 * What a resource waits for: its `depends_on` and the resources its
 * properties and metadata name through get_resource and get_attr, limited
 * to resources in the stack (a reference to a resource whose condition is
 * false adds no dependency). An `if` whose condition is known counts only
 * the branch it takes, as Heat decides the branch when it reads the template.
 */
import type { Json } from '../json.js';
import { activeResources, conditionEnabled } from './conditions.js';
import { functionTable } from './functions/registry.js';
import type { ParsedTemplate, ResourceDefinition } from './types.js';
import { referencedResource, walkCalls } from './walk.js';

/** The branch an `if` takes, or both when its condition cannot be decided from the evaluated conditions. */
export function ifBranches(args: Json, conditions: Record<string, boolean>): Json[] {
  if (!Array.isArray(args) || args.length < 2) return [args];
  const [condition, whenTrue = null, whenFalse = null] = args;
  try {
    if (typeof condition === 'string' || typeof condition === 'boolean') return [conditionEnabled(condition, conditions) ? whenTrue : whenFalse];
  } catch {
    // an unknown condition is reported by validateTemplate; here both branches count
  }
  return [whenTrue, whenFalse];
}

/** Every resource name the snippets reference, whatever the conditions say. */
export function referencedNames(def: ResourceDefinition, t: ParsedTemplate, conditions: Record<string, boolean> | null): string[] {
  const table = functionTable(t.version);
  const names: string[] = [];
  for (const snippet of [def.properties, def.metadata]) {
    walkCalls(snippet, table, [], (call) => {
      const target = referencedResource(call, (name) => name in t.resources);
      if (target !== null) names.push(target);
      if (call.name === 'if' && conditions !== null) return ifBranches(call.args, conditions);
      return 'descend';
    });
  }
  return names;
}

export function resourceDependencies(t: ParsedTemplate, def: ResourceDefinition, conditions: Record<string, boolean>): string[] {
  const active = new Set(activeResources(t, conditions).map((r) => r.name));
  const all = [...def.dependsOn, ...referencedNames(def, t, conditions)];
  return [...new Set(all)].filter((name) => name !== def.name && active.has(name));
}

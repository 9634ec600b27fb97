/**
 * resolveResourceProperties: a resource's properties evaluated one
 * top-level property at a time, so that an evaluation failure names the
 * property as Heat does (`Property error: : resources.two.properties.value:
 * : The Parameter (missing) was not provided.`, which tempest's preview test
 * reads). An addition to the agreed door; resolveSnippet stays as agreed.
 */
import { NimbusError } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { propertyError } from '../errors/template.js';
import { resolveSnippet } from './evaluate.js';
import { functionTable } from './functions/registry.js';
import { functionCall } from './snippet.js';
import type { ParsedTemplate, ResolveScope, ResourceDefinition } from './types.js';

/** Heat reports every 400 met while evaluating a property under that property's path; anything else (a 5xx, an engine signal) passes unchanged. */
function underProperty(resource: string, key: string, error: unknown): unknown {
  if (!(error instanceof NimbusError) || error.status !== 400) return error;
  return propertyError([`resources.${resource}.properties.${key}`], error.message);
}

export async function resolveResourceProperties(t: ParsedTemplate, def: ResourceDefinition, scope: ResolveScope): Promise<Json> {
  // A section that is itself a function call (`properties: {get_param: p}`), or not a map, is evaluated whole.
  if (!isJsonObject(def.properties) || functionCall(def.properties, functionTable(t.version)) !== null) return resolveSnippet(t, def.properties, scope);
  const resolved: JsonObject = {};
  for (const [key, value] of Object.entries(def.properties)) {
    try {
      // In a list, a value that counts as not given (`if` without its false branch) drops out, leaving the property unset.
      const [one] = (await resolveSnippet(t, [value], scope)) as Json[];
      if (one !== undefined) resolved[key] = one;
    } catch (error) {
      throw underProperty(def.name, key, error);
    }
  }
  return resolved;
}

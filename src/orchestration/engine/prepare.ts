/**
 * A stack definition checked before anything is stored: the template parsed
 * and validated, the parameters resolved, and each resource's properties
 * checked against its type's schema where they do not depend on other
 * resources' attributes (those are checked when the resource is made).
 */
import type { CallerContext } from '../../core/context.js';
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { Environment, ParsedTemplate, ResolveScope, ResourceDefinition } from '../template/types.js';
import { customChecker, type EngineDeps } from './deps.js';
import { checkedProperties } from './properties.js';

export interface StackInput {
  id: string;
  name: string;
  projectId: string;
  template: JsonObject;
  environment: Environment;
  files: Record<string, string>;
  parameters: Record<string, Json>;
  nestedDepth: number;
  timeoutMins: number | null;
  /** An update: the values the stack had, for immutable parameters. */
  previousParameters?: Record<string, Json>;
}

export interface PreparedStack {
  parsed: ParsedTemplate;
  parameters: Record<string, Json>;
  conditions: Record<string, boolean>;
}

/** Thrown by the validation scope where a value is known only once another resource exists. */
class Unresolved extends Error {}

/** `checkProperties: false` for a nested stack's preview, which Heat shows without checking its resources (their values may be placeholders). */
export async function prepareStack(
  deps: EngineDeps,
  caller: CallerContext,
  input: StackInput,
  options: { checkProperties?: boolean } = {},
): Promise<PreparedStack> {
  const { template } = deps;
  const parsed = template.parseTemplate(input.template);
  template.validateTemplate(parsed, deps.registry.lookup(input.environment, input.files));
  const checkCustom = customChecker(deps, caller);
  const parameters = await template.resolveParameters(parsed, input.environment, input.parameters, {
    stackName: input.name,
    stackId: input.id,
    projectId: input.projectId,
    ...(input.previousParameters && { previous: input.previousParameters }),
    checkCustom,
  });
  const conditions = template.evaluateConditions(parsed, parameters);
  const scope: ResolveScope = {
    parameters,
    conditions,
    files: input.files,
    // What another resource gives is known only once it exists (a custom constraint would look the name up).
    getResource: () => {
      throw new Unresolved();
    },
    getAttr: () => Promise.reject(new Unresolved()),
    getAllAttrs: () => Promise.reject(new Unresolved()),
  };
  if (options.checkProperties === false) return { parsed, parameters, conditions };
  for (const def of template.activeResources(parsed, conditions)) {
    const plugin = deps.registry.resolve(def.type, input.environment, input.files, def.name);
    let resolved: Json;
    try {
      resolved = await resolveProperties(deps, parsed, def, scope);
    } catch (error) {
      if (error instanceof Unresolved) continue;
      throw error;
    }
    await checkedProperties(deps, caller, plugin, def.name, resolved, input);
  }
  return { parsed, parameters, conditions };
}

/**
 * A definition's properties resolved one by one, so that a failing function
 * is reported with its property's path as Heat words it
 * (`Property error: : resources.two.properties.value: : The Parameter (missing) was not provided.`).
 */
export async function resolveProperties(deps: EngineDeps, parsed: ParsedTemplate, def: ResourceDefinition, scope: ResolveScope): Promise<Json> {
  if (!isJsonObject(def.properties)) return deps.template.resolveSnippet(parsed, def.properties ?? {}, scope);
  const resolved: JsonObject = {};
  for (const [key, value] of Object.entries(def.properties)) {
    try {
      resolved[key] = await deps.template.resolveSnippet(parsed, value, scope);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      throw new BadRequest(`Property error: : resources.${def.name}.properties.${key}: : ${error.message}`, { type: 'StackValidationFailed' });
    }
  }
  return resolved;
}

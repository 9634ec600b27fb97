/**
 * A stack definition checked before anything is stored: the template parsed
 * and validated, the parameters resolved, and each resource's properties
 * checked against its type's schema where they do not depend on other
 * resources' attributes (those are checked when the resource is made).
 */
import type { CallerContext } from '../../core/context.js';
import type { Json, JsonObject } from '../json.js';
import type { Environment, ParsedTemplate, ResolveScope } from '../template/types.js';
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

export async function prepareStack(deps: EngineDeps, caller: CallerContext, input: StackInput): Promise<PreparedStack> {
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
    getResource: (name) => name,
    getAttr: () => Promise.reject(new Unresolved()),
    getAllAttrs: () => Promise.reject(new Unresolved()),
  };
  for (const def of template.activeResources(parsed, conditions)) {
    const plugin = deps.registry.resolve(def.type, input.environment, input.files, def.name);
    let resolved: Json;
    try {
      resolved = await template.resolveSnippet(parsed, def.properties ?? {}, scope);
    } catch (error) {
      if (error instanceof Unresolved) continue;
      throw error;
    }
    await checkedProperties(deps, caller, plugin, def.name, resolved, input);
  }
  return { parsed, parameters, conditions };
}

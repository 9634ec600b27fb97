/**
 * Template validation as heat-api answers it: the parameters as validate
 * shows them (with given values), parameter groups, the environment as Heat
 * echoes it (template-file types registered to themselves) and, with
 * `show_nested`, the same for each template resource's template.
 */
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { EngineDeps } from '../engine/deps.js';
import type { Environment, ParsedTemplate } from '../template/types.js';
import { authorizeProject } from './access.js';
import type { StackServiceParts } from './deps.js';
import type { StackRequest, ValidateResult } from './types.js';

type ValidateRequest = Omit<StackRequest, 'name'> & { showNested?: boolean; ignoreErrors?: string[] };

export async function validateStackTemplate(parts: StackServiceParts, caller: CallerContext, request: ValidateRequest): Promise<ValidateResult> {
  const { deps } = parts;
  authorizeProject(deps, caller, 'stacks:validate_template');
  const parsed = deps.template.parseTemplate(request.template);
  const environment = deps.template.parseEnvironment(request.environment);
  const files = request.files ?? {};
  deps.template.validateTemplate(parsed, deps.registry.lookup(environment, files));
  const given = { ...environment.parameters, ...request.parameters };
  const view = await templateView(deps, parsed, environment, files, given, request.showNested === true);
  return {
    description: parsed.description ?? 'No description',
    parameters: view.parameters,
    ...(view.groups.length > 0 && { parameterGroups: view.groups }),
    environment: environmentView(deps, parsed, environment, files),
    ...(view.nested && { nestedParameters: view.nested }),
  };
}

interface TemplateView {
  parameters: Record<string, JsonObject>;
  groups: JsonObject[];
  nested: JsonObject | null;
}

async function templateView(
  deps: EngineDeps,
  parsed: ParsedTemplate,
  env: Environment,
  files: Record<string, string>,
  given: Record<string, Json>,
  showNested: boolean,
): Promise<TemplateView> {
  const parameters: Record<string, JsonObject> = {};
  const values: Record<string, Json> = {};
  for (const def of Object.values(parsed.parameters)) {
    parameters[def.name] = deps.template.parameterView(def, given[def.name]);
    const value = given[def.name] ?? env.parameter_defaults[def.name] ?? def.default;
    if (value !== undefined) values[def.name] = value;
  }
  const groups = parsed.parameterGroups.map((g) => ({
    ...(g.description !== undefined && { description: g.description }),
    ...(g.label !== undefined && { label: g.label }),
    parameters: g.parameters,
  }));
  return { parameters, groups, nested: showNested ? await nestedViews(deps, parsed, env, files, values) : null };
}

/** Each template resource's template, validated with the values its properties give. */
async function nestedViews(
  deps: EngineDeps,
  parsed: ParsedTemplate,
  env: Environment,
  files: Record<string, string>,
  values: Record<string, Json>,
): Promise<JsonObject | null> {
  const nested: JsonObject = {};
  const scope = { parameters: values, conditions: {}, files, getResource: (name: string) => name, getAttr: async () => null, getAllAttrs: async () => null };
  for (const def of Object.values(parsed.resources)) {
    const file = deps.registry.templateFile(def.type, env, files, def.name);
    if (file === null) continue;
    const child = deps.template.parseTemplate(files[file]!);
    const properties = await deps.template.resolveSnippet(parsed, def.properties ?? {}, scope).catch((): Json => ({}));
    const given = isJsonObject(properties) ? properties : {};
    const view = await templateView(deps, child, env, files, given, true);
    nested[def.name] = {
      Description: child.description ?? 'No description',
      Parameters: view.parameters,
      ...(view.groups.length > 0 && { ParameterGroups: view.groups }),
      ...(view.nested && { NestedParameters: view.nested }),
      Type: def.type,
    };
  }
  return Object.keys(nested).length > 0 ? nested : null;
}

/** The environment as Heat's validate echoes it: template-file types used by the template are registered to themselves. */
function environmentView(deps: EngineDeps, parsed: ParsedTemplate, env: Environment, files: Record<string, string>): JsonObject {
  const registry: JsonObject = { ...env.resource_registry };
  for (const def of Object.values(parsed.resources)) {
    if (def.type in files && !(def.type in registry) && deps.registry.templateFile(def.type, env, files, def.name) === def.type) registry[def.type] = def.type;
  }
  return { event_sinks: env.event_sinks, parameter_defaults: env.parameter_defaults, parameters: env.parameters, resource_registry: registry };
}

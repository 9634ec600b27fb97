/**
 * A small stand-in for the template room, enough HOT for the engine's tests
 * (resources, depends_on, get_param, get_resource, get_attr, outputs,
 * parameter defaults, property defaults/required/integer coercion), so the
 * engine is tested apart from the real template room.
 */
import { BadRequest } from '../../../src/core/errors.js';
import type { TemplateRoom } from '../../../src/orchestration/engine/template-room.js';
import { isJsonObject, type Json, type JsonObject } from '../../../src/orchestration/json.js';
import type { Environment, ParameterDefinition, ParsedTemplate, ResolveScope, ResourceDefinition } from '../../../src/orchestration/template/types.js';

function parseTemplate(input: string | JsonObject): ParsedTemplate {
  const raw = typeof input === 'string' ? (JSON.parse(input) as JsonObject) : input;
  const resources: Record<string, ResourceDefinition> = {};
  for (const [name, section] of Object.entries(isJsonObject(raw.resources) ? raw.resources : {})) {
    if (!isJsonObject(section)) throw new BadRequest(`bad resource ${name}`);
    const dependsOn = section.depends_on;
    resources[name] = {
      name,
      type: String(section.type),
      properties: section.properties ?? {},
      metadata: section.metadata ?? {},
      dependsOn: typeof dependsOn === 'string' ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn.map(String) : [],
      deletionPolicy: section.deletion_policy === 'Retain' ? 'Retain' : 'Delete',
      updatePolicy: section.update_policy ?? {},
    };
  }
  const parameters: Record<string, ParameterDefinition> = {};
  for (const [name, section] of Object.entries(isJsonObject(raw.parameters) ? raw.parameters : {})) {
    const p = isJsonObject(section) ? section : {};
    parameters[name] = {
      name,
      type: 'string',
      hidden: p.hidden === true,
      immutable: false,
      constraints: [],
      ...(p.default !== undefined && { default: p.default }),
    };
  }
  const outputs: ParsedTemplate['outputs'] = {};
  for (const [name, section] of Object.entries(isJsonObject(raw.outputs) ? raw.outputs : {})) {
    const o = isJsonObject(section) ? section : {};
    outputs[name] = { name, value: o.value ?? null, ...(typeof o.description === 'string' && { description: o.description }) };
  }
  return {
    version: '2016-10-14',
    ...(typeof raw.description === 'string' && { description: raw.description }),
    parameterGroups: [],
    parameters,
    resources,
    outputs,
    conditions: {},
    raw,
  };
}

function parseEnvironment(input: string | JsonObject | undefined): Environment {
  const env = typeof input === 'string' ? (JSON.parse(input) as JsonObject) : (input ?? {});
  return {
    parameters: isJsonObject(env.parameters) ? env.parameters : {},
    parameter_defaults: isJsonObject(env.parameter_defaults) ? env.parameter_defaults : {},
    resource_registry: isJsonObject(env.resource_registry) ? env.resource_registry : {},
    event_sinks: [],
    encrypted_param_names: [],
  };
}

function mergeEnvironments(base: Environment, ...more: Array<Partial<Environment>>): Environment {
  return more.reduce<Environment>(
    (env, next) => ({
      ...env,
      parameters: { ...env.parameters, ...next.parameters },
      parameter_defaults: { ...env.parameter_defaults, ...next.parameter_defaults },
      resource_registry: { ...env.resource_registry, ...next.resource_registry },
    }),
    base,
  );
}

/** Names a snippet reaches through get_resource and get_attr. */
function references(snippet: Json): string[] {
  if (Array.isArray(snippet)) return snippet.flatMap(references);
  if (!isJsonObject(snippet)) return [];
  if (typeof snippet.get_resource === 'string') return [snippet.get_resource];
  if (Array.isArray(snippet.get_attr) && typeof snippet.get_attr[0] === 'string') return [snippet.get_attr[0]];
  return Object.values(snippet).flatMap(references);
}

async function resolveSnippet(_t: ParsedTemplate, snippet: Json, scope: ResolveScope): Promise<Json> {
  if (Array.isArray(snippet)) return Promise.all(snippet.map((s) => resolveSnippet(_t, s, scope)));
  if (!isJsonObject(snippet)) return snippet;
  if (typeof snippet.get_param === 'string') return scope.parameters[snippet.get_param] ?? null;
  if (typeof snippet.get_resource === 'string') return scope.getResource(snippet.get_resource);
  if (Array.isArray(snippet.get_attr)) {
    const [name, attribute, ...path] = snippet.get_attr;
    return attribute === undefined ? scope.getAllAttrs(String(name)) : scope.getAttr(String(name), String(attribute), path);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(snippet)) out[key] = await resolveSnippet(_t, value, scope);
  return out;
}

export const standInTemplate: TemplateRoom = {
  parseTemplate,
  parseEnvironment,
  mergeEnvironments,
  validateTemplate(t, types) {
    for (const def of Object.values(t.resources)) {
      if (!types.has(def.type)) throw new BadRequest(`The Resource Type (${def.type}) could not be found.`, { type: 'StackValidationFailed' });
    }
  },
  async resolveParameters(t, env, given, options) {
    const values: Record<string, Json> = {};
    for (const def of Object.values(t.parameters)) {
      const value = given[def.name] ?? env.parameters[def.name] ?? env.parameter_defaults[def.name] ?? def.default;
      if (value === undefined) throw new BadRequest(`The Parameter (${def.name}) was not provided.`, { type: 'UserParameterMissing' });
      values[def.name] = value;
    }
    return { ...values, 'OS::stack_name': options.stackName, 'OS::stack_id': options.stackId, 'OS::project_id': options.projectId };
  },
  evaluateConditions: () => ({}),
  activeResources: (t) => Object.values(t.resources),
  resourceDependencies: (_t, def) => [...new Set([...def.dependsOn, ...references(def.properties)])],
  resolveSnippet,
  async validateProperties(schema, values, path) {
    const given = isJsonObject(values) ? values : {};
    const out: JsonObject = {};
    for (const key of Object.keys(given)) {
      if (!(key in schema)) throw new BadRequest(`Property error: : ${path}: Unknown Property ${key}`, { type: 'StackValidationFailed' });
    }
    for (const [key, prop] of Object.entries(schema)) {
      let value = given[key] ?? prop.default;
      if (value === undefined || value === null) {
        if (prop.required) throw new BadRequest(`Property error: : ${path}.${key}: Property ${key} not assigned`, { type: 'StackValidationFailed' });
        continue;
      }
      if (prop.type === 'integer') value = Number(value);
      out[key] = value;
    }
    return out;
  },
  parameterView: (def) => ({ Type: 'String', NoEcho: String(def.hidden), Description: def.description ?? '', Label: def.name }),
};

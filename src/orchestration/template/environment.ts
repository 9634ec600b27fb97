/**
 * Environments (`-e env.yaml`): parsing with Heat's section checks, hook and
 * restricted-action checks in `resource_registry.resources`, and merging
 * (later environments win; registries merge deeply, as heatclient merges).
 */
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { malformedInput } from '../errors/template.js';
import { pythonRepr } from './python-names.js';
import type { Environment } from './types.js';
import { loadJsonOrYaml, YamlError } from './yaml-loader.js';

/** `parameter_merge_strategies` applies while the API merges `environment_files` (api/environment-merge.ts); a stored environment keeps it as given. */
const SECTIONS = ['parameters', 'resource_registry', 'parameter_defaults', 'encrypted_param_names', 'event_sinks', 'parameter_merge_strategies'];
const HOOK_TYPES = ['pre-create', 'pre-update', 'pre-delete', 'post-create', 'post-update', 'post-delete'];
const RESTRICTED_ACTIONS = ['update', 'replace'];

/** Heat always shows a registry's per-resource section, empty or not (`resource_registry: {resources: {}}`). */
export function emptyEnvironment(): Environment {
  return { parameters: {}, parameter_defaults: {}, resource_registry: { resources: {} }, event_sinks: [], encrypted_param_names: [] };
}

function pythonTuple(items: string[]): string {
  return `(${items.map((i) => `'${i}'`).join(', ')})`;
}

function checkListOrOne(value: Json, allowed: string[]): boolean {
  if (typeof value === 'string') return allowed.includes(value);
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && allowed.includes(v));
}

/** Walks `resources:` entries (nested per resource name, possibly nested for nested stacks) checking hooks and restricted actions. */
function checkResourceEntries(level: JsonObject): void {
  for (const [key, value] of Object.entries(level)) {
    if (key === 'hooks' && !checkListOrOne(value, HOOK_TYPES)) {
      throw new BadRequest(
        `Invalid hook type "${pythonRepr(value).replace(/^'|'$/g, '')}" for resource breakpoint, acceptable hook types are: ${pythonTuple(HOOK_TYPES)}`,
        {
          type: 'InvalidBreakPointHook',
        },
      );
    }
    if (key === 'restricted_actions' && !checkListOrOne(value, RESTRICTED_ACTIONS)) {
      throw new BadRequest(
        `Invalid restricted_action type "${pythonRepr(value).replace(/^'|'$/g, '')}" for resource, acceptable restricted_action types are: ${pythonTuple(RESTRICTED_ACTIONS)}`,
        { type: 'InvalidRestrictedAction' },
      );
    }
    if (isJsonObject(value)) checkResourceEntries(value);
  }
}

function section<T extends Json>(env: JsonObject, name: string, fallback: T, ok: (v: Json) => v is T): T {
  const value = env[name];
  if (value === undefined) return fallback;
  if (!ok(value)) throw malformedInput(`environment has wrong section "${name}"`);
  return value;
}

const isObject = (v: Json): v is JsonObject => isJsonObject(v);
const isList = (v: Json): v is Json[] => Array.isArray(v);

export function parseEnvironment(input: string | JsonObject | undefined): Environment {
  if (input === undefined) return emptyEnvironment();
  let env: Json;
  if (typeof input === 'string') {
    try {
      env = loadJsonOrYaml(input, 'environment');
    } catch (error) {
      if (error instanceof YamlError) throw malformedInput(error.message.replace(/^Error parsing template environment /, ''));
      throw error;
    }
    env ??= {};
  } else {
    env = input;
  }
  if (!isJsonObject(env)) throw malformedInput('The environment is not a valid YAML mapping data type.');
  for (const [name, value] of Object.entries(env)) {
    if (!SECTIONS.includes(name)) throw malformedInput(`environment has wrong section "${name}"`);
    if (value === null) throw malformedInput(`environment has empty section "${name}"`);
  }
  const registry = { resources: {}, ...section(env, 'resource_registry', {}, isObject) };
  if (isJsonObject(registry.resources ?? null)) checkResourceEntries(registry.resources as JsonObject);
  return {
    parameters: section(env, 'parameters', {}, isObject),
    parameter_defaults: section(env, 'parameter_defaults', {}, isObject),
    resource_registry: registry,
    event_sinks: section(env, 'event_sinks', [], isList),
    encrypted_param_names: section(env, 'encrypted_param_names', [], isList).map(String),
  };
}

function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = merged[key];
    merged[key] = isJsonObject(value) && isJsonObject(existing ?? null) ? deepMerge(existing as JsonObject, value) : value;
  }
  return merged;
}

export function mergeEnvironments(base: Environment, ...more: Array<Partial<Environment>>): Environment {
  return more.reduce<Environment>(
    (acc, next) => ({
      parameters: { ...acc.parameters, ...next.parameters },
      parameter_defaults: { ...acc.parameter_defaults, ...next.parameter_defaults },
      resource_registry: deepMerge(acc.resource_registry, next.resource_registry ?? {}),
      event_sinks: [...acc.event_sinks, ...(next.event_sinks ?? [])],
      encrypted_param_names: [...new Set([...acc.encrypted_param_names, ...(next.encrypted_param_names ?? [])])],
    }),
    { ...base },
  );
}

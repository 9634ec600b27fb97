/**
 * parseTemplate: text or object to a ParsedTemplate, with Heat's checks of
 * the version, the top-level sections and the shape of resources, outputs
 * and parameter groups. Snippets stay unevaluated.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import {
  invalidTemplateSection,
  invalidTemplateVersion,
  malformedInput,
  notSupported,
  requestLimitExceeded,
  stackValidationFailed,
} from '../errors/template.js';
import { MAX_TEMPLATE_BYTES } from './limits.js';
import { parameterDefinition } from './parameter-schema.js';
import { pythonClass } from './python-names.js';
import type { DeletionPolicy, HotVersion, OutputDefinition, ParameterGroup, ParsedTemplate, ResourceDefinition } from './types.js';
import { hasConditions, resolveHotVersion, TEMPLATE_VERSIONS } from './versions.js';
import { loadJsonOrYaml, YamlError } from './yaml-loader.js';

const VERSION_KEY = 'heat_template_version';
const CFN_VERSION_KEYS = ['AWSTemplateFormatVersion', 'HeatTemplateFormatVersion'];
const BASE_SECTIONS = [VERSION_KEY, 'description', 'parameter_groups', 'parameters', 'resources', 'outputs'];
const BASE_RESOURCE_KEYS = ['type', 'properties', 'metadata', 'depends_on', 'deletion_policy', 'update_policy', 'description'];

function load(input: string | JsonObject, maxBytes: number): JsonObject {
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) throw requestLimitExceeded(`Template size (${bytes} bytes) exceeds maximum allowed size (${maxBytes} bytes).`);
  if (typeof input !== 'string') return input;
  let loaded: Json;
  try {
    loaded = loadJsonOrYaml(input);
  } catch (error) {
    if (error instanceof YamlError) throw malformedInput(error.message);
    throw error;
  }
  if (!isJsonObject(loaded)) throw malformedInput('The template is not a JSON object or YAML mapping.');
  return loaded;
}

function versionOf(raw: JsonObject): HotVersion {
  const cfnKey = CFN_VERSION_KEYS.find((k) => typeof raw[k] === 'string');
  if (cfnKey !== undefined && typeof raw[VERSION_KEY] === 'string') throw invalidTemplateVersion(`Ambiguous versions (${VERSION_KEY}, ${cfnKey})`);
  if (cfnKey !== undefined) throw notSupported(`The CFN template format (${cfnKey}: ${String(raw[cfnKey])})`);
  const value = raw[VERSION_KEY];
  if (typeof value !== 'string') throw invalidTemplateVersion('Template version was not provided');
  const version = resolveHotVersion(value);
  if (version === undefined) {
    const available = TEMPLATE_VERSIONS.flatMap((v) => [v.version, ...v.aliases]).sort();
    throw invalidTemplateVersion(`"${VERSION_KEY}: ${value}". "${VERSION_KEY}" should be one of: ${available.join(', ')}`);
  }
  return version;
}

function mapOfMaps(section: string, value: Json | undefined): JsonObject {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value))
    throw stackValidationFailed(`"${section}" must contain a map of ${section.slice(0, -1)} maps. Found a [${pythonClass(value)}] instead`);
  return value;
}

/** Heat's validate_section: every entry a non-empty map, known keys only, the required key present. */
function checkEntries(section: string, required: string, entries: JsonObject, allowed: string[]): void {
  const objectName = section.slice(0, -1);
  const missing = `Each ${objectName} must contain a ${required} key.`;
  for (const name of Object.keys(entries).sort()) {
    const attrs = entries[name];
    if (attrs === null || attrs === undefined || (isJsonObject(attrs) && Object.keys(attrs).length === 0) || attrs === '' || attrs === false || attrs === 0) {
      throw stackValidationFailed(missing);
    }
    if (!isJsonObject(attrs)) {
      throw stackValidationFailed(`"${section}" must contain a map of ${objectName} maps. Found a [${pythonClass(attrs)}] instead`);
    }
    for (const key of Object.keys(attrs))
      if (!allowed.includes(key)) throw stackValidationFailed(`"${key}" is not a valid keyword inside a ${objectName} definition`);
    if (!(required in attrs)) throw stackValidationFailed(missing);
  }
}

function dependsOnList(name: string, value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw stackValidationFailed(`Resource ${name} depends_on type must be list or string`);
  if (value.some((d) => typeof d !== 'string')) throw stackValidationFailed(`Resource ${name} depends_on must be a list of strings`);
  return value as string[];
}

function deletionPolicy(value: Json | undefined, version: HotVersion): DeletionPolicy {
  if (value === undefined || value === null) return 'Delete';
  const known = ['Delete', 'Retain', 'Snapshot'];
  const text = typeof value === 'string' ? value : '';
  const match = known.find((k) => k === text || (hasConditions(version) && k.toLowerCase() === text));
  if (match === undefined) throw stackValidationFailed(`Invalid deletion policy "${typeof value === 'string' ? value : JSON.stringify(value)}"`);
  return match as DeletionPolicy;
}

/** A field that may hold a function call (a one-key map) or a value of the named kind. */
function checkField(name: string, key: string, value: Json | undefined, ok: (v: Json) => boolean, typename: string): void {
  if (value === undefined) return;
  if (!ok(value)) throw stackValidationFailed(`Resource ${name} ${key} type must be ${typename}`);
}

function resourceDefinition(name: string, raw: JsonObject, version: HotVersion): ResourceDefinition {
  if (typeof raw.type !== 'string') throw stackValidationFailed(`Resource ${name} type type must be string`);
  if (raw.type === '') throw stackValidationFailed('Each Resource must contain a Type key.');
  checkField(name, 'properties', raw.properties, (v) => v === null || isJsonObject(v), 'object');
  checkField(name, 'metadata', raw.metadata, (v) => v === null || isJsonObject(v), 'object');
  checkField(name, 'update_policy', raw.update_policy, (v) => v === null || isJsonObject(v), 'object');
  checkField(name, 'description', raw.description, (v) => typeof v === 'string', 'string');
  checkField(name, 'condition', raw.condition, (v) => typeof v === 'string' || typeof v === 'boolean' || isJsonObject(v), 'string_or_boolean');
  return {
    name,
    type: raw.type,
    properties: raw.properties ?? {},
    metadata: raw.metadata ?? {},
    dependsOn: dependsOnList(name, raw.depends_on),
    deletionPolicy: deletionPolicy(raw.deletion_policy, version),
    updatePolicy: raw.update_policy ?? {},
    ...(raw.condition === undefined ? {} : { condition: raw.condition }),
    ...(raw.external_id === undefined ? {} : { externalId: raw.external_id }),
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
  };
}

function outputDefinition(name: string, raw: JsonObject): OutputDefinition {
  return {
    name,
    value: raw.value ?? null,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    ...(raw.condition === undefined ? {} : { condition: raw.condition }),
  };
}

const GROUPS_ERROR = 'Parameter Groups error';

/** Heat's parameter group checks: a list of groups, each with a list of parameters, each parameter defined and in one group only. */
function parameterGroups(value: Json | undefined, parameters: JsonObject): ParameterGroup[] {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return [];
  if (!Array.isArray(value)) throw stackValidationFailed('The parameter_groups should be a list.', ['parameter_groups'], GROUPS_ERROR);
  const grouped = new Set<string>();
  return value.map((group) => {
    if (!isJsonObject(group)) throw stackValidationFailed('The parameter_groups should be a list.', ['parameter_groups'], GROUPS_ERROR);
    const at = ['parameter_groups', typeof group.label === 'string' ? group.label : ''];
    const names = group.parameters;
    if (names === undefined || names === null) throw stackValidationFailed('The parameters must be provided for each parameter group.', at, GROUPS_ERROR);
    if (!Array.isArray(names)) throw stackValidationFailed('The parameters of parameter group should be a list.', at, GROUPS_ERROR);
    for (const name of names.map(String)) {
      if (grouped.has(name)) throw stackValidationFailed(`The ${name} parameter must be assigned to one parameter group only.`, at, GROUPS_ERROR);
      grouped.add(name);
      if (!(name in parameters)) throw stackValidationFailed(`The grouped parameter ${name} does not reference a valid parameter.`, at, GROUPS_ERROR);
    }
    return {
      parameters: names.map(String),
      ...(typeof group.label === 'string' ? { label: group.label } : {}),
      ...(typeof group.description === 'string' ? { description: group.description } : {}),
    };
  });
}

export function parseTemplate(input: string | JsonObject, options: { maxBytes?: number } = {}): ParsedTemplate {
  const raw = load(input, options.maxBytes ?? MAX_TEMPLATE_BYTES);
  const version = versionOf(raw);
  const withConditions = hasConditions(version);
  const sections = withConditions ? [...BASE_SECTIONS, 'conditions'] : BASE_SECTIONS;
  for (const key of Object.keys(raw)) if (!sections.includes(key)) throw invalidTemplateSection(key);

  const resourceKeys = withConditions ? [...BASE_RESOURCE_KEYS, 'external_id', 'condition'] : BASE_RESOURCE_KEYS;
  const resourcesRaw = mapOfMaps('resources', raw.resources);
  checkEntries('resources', 'type', resourcesRaw, resourceKeys);
  const outputsRaw = mapOfMaps('outputs', raw.outputs);
  checkEntries('outputs', 'value', outputsRaw, withConditions ? ['description', 'value', 'condition'] : ['description', 'value']);
  const parametersRaw = raw.parameters ?? {};
  if (!isJsonObject(parametersRaw))
    throw stackValidationFailed(`"parameters" must contain a map of parameter maps. Found a [${pythonClass(parametersRaw)}] instead`);
  const conditions = raw.conditions ?? {};
  if (!isJsonObject(conditions)) {
    throw stackValidationFailed(
      `Condition definitions must be a map. Found a ${pythonClass(conditions).slice(8, -2)} instead`,
      [],
      'Conditions validation error',
    );
  }

  const entries = <T>(section: JsonObject, make: (name: string, value: JsonObject) => T): Record<string, T> =>
    Object.fromEntries(Object.entries(section).map(([name, value]) => [name, make(name, value as JsonObject)]));
  return {
    version,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    parameterGroups: parameterGroups(raw.parameter_groups, parametersRaw),
    parameters: Object.fromEntries(Object.entries(parametersRaw).map(([name, def]) => [name, parameterDefinition(name, def, version)])),
    resources: entries(resourcesRaw, (name, def) => resourceDefinition(name, def, version)),
    outputs: entries(outputsRaw, outputDefinition),
    conditions,
    raw,
  };
}

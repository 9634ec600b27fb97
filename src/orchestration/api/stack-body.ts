/**
 * A create, update, preview or validate body as heat-api reads it
 * (InstantiationData in heat/api/openstack/v1/stacks.py): the template
 * inline (object, or JSON/YAML text), from `template_url`, or from adopt
 * data; the environment as an object or YAML text; the other arguments
 * (`timeout_mins`, `tags`, `disable_rollback`, ...) checked as Heat does.
 */
import { mergeEnvironmentFiles } from './environment-merge.js';
import { parse as parseYaml } from 'yaml';
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { StackRequest } from '../service/types.js';
import { apiErrors } from '../errors/api.js';
import { parseBool, parseInt10, parseTags } from './params.js';

/** Heat's max_template_size default, in bytes. */
export const MAX_TEMPLATE_BYTES = 524_288;

const ENVIRONMENT_SECTIONS = ['parameters', 'resource_registry', 'parameter_defaults', 'encrypted_param_names', 'event_sinks', 'parameter_merge_strategies'];
const VERSION_KEYS = ['heat_template_version', 'HeatTemplateFormatVersion', 'AWSTemplateFormatVersion'];

export interface BodyOptions {
  /** PATCH: a request without a template keeps the stack's. */
  patch?: boolean;
  /** PUT or PATCH of an existing stack (`converge` is accepted only there). */
  update?: boolean;
  fetchTemplate(url: string): Promise<string>;
}

/** The body as an object; anything else is Heat's "not in valid format" for the whole request. */
export function bodyObject(body: unknown): JsonObject {
  if (body === undefined || body === null || body === '') return {};
  if (!isJsonObject(body as Json)) throw new BadRequest('The request body must be a JSON object.');
  return body as JsonObject;
}

export function stackName(body: JsonObject): string {
  const name = body['stack_name'];
  if (name === undefined) throw apiErrors.noStackName();
  return typeof name === 'string' ? name : JSON.stringify(name);
}

/** The template the request names, or null for a PATCH that names none. */
export async function requestTemplate(body: JsonObject, options: BodyOptions): Promise<JsonObject | null> {
  const adopt = body['adopt_stack_data'];
  if (adopt !== undefined) return adoptTemplate(adopt);
  const inline = body['template'];
  let text: string | null = null;
  if (isJsonObject(inline)) {
    checkTemplateSize(JSON.stringify(inline).length);
    return inline;
  }
  if (inline !== undefined && inline !== null) text = typeof inline === 'string' ? inline : JSON.stringify(inline);
  else if (typeof body['template_url'] === 'string') text = await options.fetchTemplate(body['template_url']);
  if (text === null) {
    if (options.patch) return null;
    throw apiErrors.noTemplate();
  }
  checkTemplateSize(Buffer.byteLength(text));
  const template = parseTemplateText(text);
  if (!VERSION_KEYS.some((key) => key in template)) throw apiErrors.notValidFormat('Template', 'Template format version not found.');
  return template;
}

function adoptTemplate(adopt: Json): JsonObject {
  let data: Json = adopt;
  if (typeof adopt === 'string') {
    try {
      data = parseTemplateText(adopt);
    } catch (error) {
      throw apiErrors.invalidAdoptData(error instanceof Error ? error.message : String(error));
    }
  }
  if (!isJsonObject(data)) throw apiErrors.invalidAdoptData('The template is not a JSON object or YAML mapping.');
  const template = data['template'];
  if (!isJsonObject(template)) throw apiErrors.invalidAdoptData("'template'");
  return template;
}

/** The adopt data as an object (the engine reads the resources' ids from it). */
export function adoptData(body: JsonObject): JsonObject | undefined {
  const adopt = body['adopt_stack_data'];
  if (adopt === undefined) return undefined;
  return typeof adopt === 'string' ? parseTemplateText(adopt) : isJsonObject(adopt) ? adopt : undefined;
}

function checkTemplateSize(length: number): void {
  if (length > MAX_TEMPLATE_BYTES) {
    throw new BadRequest(`Request limit exceeded: Template size (${length} bytes) exceeds maximum allowed size (${MAX_TEMPLATE_BYTES} bytes).`, {
      type: 'RequestLimitExceeded',
    });
  }
}

/** JSON first, then YAML (1.2 core schema: `2016-04-08` stays a string, as Heat's loader keeps dates). */
function parseTemplateText(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = parseYaml(text) ?? {};
    } catch (error) {
      throw apiErrors.notValidFormat('Template', `Error parsing template [root stack] ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!isJsonObject(parsed as Json)) throw apiErrors.notValidFormat('Template', 'The template is not a JSON object or YAML mapping.');
  return parsed as JsonObject;
}

/**
 * The environment: an object, or YAML text; its sections checked as Heat's
 * environment_format; then the `environment_files` merged in, in order, as
 * Heat merges them (with their `parameter_merge_strategies`, over the
 * parameters `template` declares).
 */
export function requestEnvironment(body: JsonObject, template: JsonObject): JsonObject | undefined {
  const given = parsedEnvironment(body['environment']);
  const files = environmentFiles(body);
  if (files.length === 0) return given;
  return mergeEnvironmentFiles(given ?? {}, files, template);
}

function parsedEnvironment(given: Json | undefined): JsonObject | undefined {
  if (given === undefined || given === null) return undefined;
  let environment: Json = given;
  if (typeof given === 'string') {
    try {
      environment = (parseYaml(given) as Json) ?? {};
    } catch (error) {
      throw apiErrors.notValidFormat('Environment', error instanceof Error ? error.message : String(error));
    }
    if (!isJsonObject(environment)) throw apiErrors.notValidFormat('Environment', 'The environment is not a valid YAML mapping data type.');
  }
  if (!isJsonObject(environment)) throw apiErrors.notValidFormat('Environment', 'The environment is not a valid YAML mapping data type.');
  for (const [section, value] of Object.entries(environment)) {
    if (!ENVIRONMENT_SECTIONS.includes(section)) throw apiErrors.notValidFormat('Environment', `environment has wrong section "${section}"`);
    if (value === null) throw apiErrors.notValidFormat('Environment', `environment has empty section "${section}"`);
  }
  return environment;
}

/** The `environment_files` the request names, parsed, in order (names without content in `files` are skipped). */
function environmentFiles(body: JsonObject): Array<{ name: string; environment: JsonObject }> {
  const names = body['environment_files'];
  if (!Array.isArray(names)) return [];
  const files = requestFiles(body);
  return names.flatMap((name) => {
    const text = typeof name === 'string' ? files[name] : undefined;
    return text === undefined ? [] : [{ name: name as string, environment: parsedEnvironment(text) ?? {} }];
  });
}

export function requestFiles(body: JsonObject): Record<string, string> {
  const files = body['files'];
  if (!isJsonObject(files)) return {};
  return Object.fromEntries(Object.entries(files).map(([name, content]) => [name, typeof content === 'string' ? content : JSON.stringify(content)]));
}

/** The arguments besides template, environment and files, as prepare_args checks them. */
export function requestArguments(body: JsonObject, options: { update: boolean }): Omit<StackRequest, 'name' | 'template'> {
  const args: Omit<StackRequest, 'name' | 'template'> = {};
  if (!options.update && 'converge' in body) throw apiErrors.convergeOnCreate();
  const parameters = body['parameters'];
  if (isJsonObject(parameters)) args.parameters = parameters;
  const timeout = body['timeout_mins'];
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout !== 'string' && typeof timeout !== 'number') throw apiErrors.invalidInt('timeout_mins');
    args.timeoutMins = parseInt10('timeout_mins', timeout);
  }
  const tags = body['tags'];
  if (typeof tags === 'string') args.tags = parseTags(tags);
  else if (Array.isArray(tags)) args.tags = tags.map(String);
  const rollback = body['disable_rollback'];
  if (typeof rollback === 'boolean') args.disableRollback = rollback;
  else if (typeof rollback === 'string') args.disableRollback = parseBool('disable_rollback', rollback);
  const clear = body['clear_parameters'];
  if (Array.isArray(clear)) args.clearParameters = clear.map(String);
  return args;
}

/** The whole request for create, preview, update (PUT) and PATCH. */
export async function stackRequest(body: JsonObject, name: string, options: BodyOptions & { existingTemplate?: JsonObject }): Promise<StackRequest> {
  const template = (await requestTemplate(body, options)) ?? options.existingTemplate ?? {};
  const request: StackRequest = { name, template, ...requestArguments(body, { update: options.update ?? false }) };
  const environment = requestEnvironment(body, template);
  if (environment !== undefined) request.environment = environment;
  request.files = requestFiles(body);
  const adopt = adoptData(body);
  if (adopt !== undefined) request.adoptStackData = adopt;
  if (options.patch) request.existing = true;
  return request;
}

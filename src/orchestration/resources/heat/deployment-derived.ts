/**
 * The derived config a deployment hands its server for one action: the
 * source config's script, its inputs with the deployment's values, then
 * the `deploy_*` inputs Heat adds (server, action, stack, resource, and how
 * to signal back). Structured deployments also substitute `get_input`
 * (or their `input_key`) inside the config map.
 */
import type { Json, JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { ResourceContext, SoftwareConfigInput } from '../types.js';
import { heatResourceErrors } from './errors.js';
import { storedCfnSignalUrl } from './signal-url.js';
import { UNGROUPED } from './software-config.js';
import { ioList, normalInput, normalOutput } from './software-io.js';

/** The config a deployment names, or Heat's empty stand-in when it names none. */
export interface SourceConfig {
  name: string | null;
  group: string | null;
  config: Json;
  inputs: JsonObject[];
  outputs: JsonObject[];
  options: JsonObject | null;
}

export const NO_CONFIG: SourceConfig = { name: null, group: null, config: null, inputs: [], outputs: [], options: null };

function deployInput(name: string, value: Json, description: string): JsonObject {
  return normalInput({ name, description }, value);
}

/** How the server signals back, as inputs; the CFN URL is kept in resource data so every derived config carries the same one. */
async function signalInputs(ctx: ResourceContext, transport: string): Promise<JsonObject[]> {
  if (transport !== 'CFN_SIGNAL') return [];
  const url = await storedCfnSignalUrl(ctx);
  return [
    deployInput('deploy_signal_id', url, 'ID of signal to use for signaling output values'),
    deployInput('deploy_signal_verb', 'POST', 'HTTP verb to use for signaling output values'),
  ];
}

export async function derivedInputs(ctx: ResourceContext, props: JsonObject, action: string, source: SourceConfig): Promise<JsonObject[]> {
  const values: JsonObject = isJsonObject(props.input_values ?? null) ? { ...(props.input_values as JsonObject) } : {};
  const inputs: JsonObject[] = [];
  for (const input of source.inputs) {
    const name = String(input.name);
    inputs.push(normalInput(input, name in values ? (values[name] ?? null) : (input.default ?? null)));
    delete values[name];
  }
  for (const [name, value] of Object.entries(values)) inputs.push(normalInput({ name }, value));
  const transport = String(props.signal_transport ?? 'CFN_SIGNAL');
  inputs.push(
    deployInput('deploy_server_id', props.server ?? null, 'ID of the server being deployed to'),
    deployInput('deploy_action', action, 'Name of the current action being deployed'),
    deployInput('deploy_stack_id', `${ctx.stack.name}/${ctx.stack.id}`, 'ID of the stack this deployment belongs to'),
    deployInput('deploy_resource_name', ctx.resource.name, 'Name of this deployment resource in the stack'),
    deployInput('deploy_signal_transport', transport, 'How the server should signal to heat with the deployment output values.'),
    ...(await signalInputs(ctx, transport)),
  );
  return inputs;
}

/** Replaces every `{<inputKey>: name}` in a structured config with the input's value. */
export function substituteInputs(snippet: Json, inputKey: string, inputs: JsonObject, strict: boolean): Json {
  if (Array.isArray(snippet)) return snippet.map((item) => substituteInputs(item, inputKey, inputs, strict));
  if (!isJsonObject(snippet)) return snippet;
  const keys = Object.keys(snippet);
  const argument = keys.length === 1 && keys[0] === inputKey ? snippet[inputKey] : undefined;
  if (typeof argument === 'string') {
    if (strict && !(argument in inputs)) throw heatResourceErrors.userParameterMissing(argument);
    return inputs[argument] ?? null;
  }
  return Object.fromEntries(Object.entries(snippet).map(([key, value]) => [key, substituteInputs(value, inputKey, inputs, strict)]));
}

export interface DerivedOptions {
  /** Structured deployments substitute inputs into the config map. */
  structured: boolean;
}

export async function derivedConfig(
  ctx: ResourceContext,
  props: JsonObject,
  action: string,
  source: SourceConfig,
  options: DerivedOptions,
): Promise<SoftwareConfigInput> {
  const inputs = await derivedInputs(ctx, props, action, source);
  let config: Json = source.config;
  if (options.structured) {
    const values = Object.fromEntries(inputs.map((input) => [String(input.name), input.value ?? null]));
    config = substituteInputs(source.config, String(props.input_key ?? 'get_input'), values, props.input_values_validate === 'STRICT');
  }
  const empty: Json = options.structured ? {} : '';
  const name = typeof props.name === 'string' && props.name !== '' ? props.name : source.name;
  return {
    name: name ?? ctx.resource.physicalName,
    group: source.group ?? UNGROUPED,
    config: config === null || config === '' ? empty : config,
    options: source.options ?? {},
    inputs,
    outputs: ioList(source.outputs).map(normalOutput),
  };
}

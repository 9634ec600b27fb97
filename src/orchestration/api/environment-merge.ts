/**
 * Heat's server-side merge of `environment_files` (heat/common/
 * environment_util.py's behaviour): the files, in order, merge into the
 * request's environment. Sections other than `parameters` and
 * `parameter_defaults` take each file's keys over. Parameters follow each
 * file's `parameter_merge_strategies` (a strategy per parameter name, else
 * the file's `default`, else `overwrite`): `overwrite` replaces the value,
 * `merge` appends by the parameter's type (strings and lists concatenate,
 * numbers add, json maps merge key by key), `deep_merge` merges maps at every
 * level. A parameter keeps the first strategy any file gave it; another one
 * later is an error. Only parameters the template declares merge; the
 * others are left out, as Heat. (Heat answers the two strategy errors with a
 * 500; Nimbus with a 400, the request being at fault.)
 */
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';

const STRATEGIES = ['overwrite', 'merge', 'deep_merge'] as const;
type Strategy = (typeof STRATEGIES)[number];
type ParamType = 'string' | 'number' | 'list' | 'map' | 'boolean';

/** The declared type of each template parameter (HOT `parameters.<name>.type`, CFN `Parameters.<name>.Type`). */
function parameterTypes(template: JsonObject): Record<string, ParamType> {
  const section = isJsonObject(template.parameters) ? template.parameters : isJsonObject(template.Parameters) ? template.Parameters : {};
  const types: Record<string, ParamType> = {};
  for (const [name, schema] of Object.entries(section)) {
    if (!isJsonObject(schema)) continue;
    const declared = String(schema.type ?? schema.Type ?? 'string').toLowerCase();
    types[name] = declared === 'json' ? 'map' : declared === 'comma_delimited_list' || declared === 'commadelimitedlist' ? 'list' : (declared as ParamType);
  }
  return types;
}

/** A file without strategies keeps what earlier files chose (Heat reads an absent section as empty). */
function strategyFor(strategies: JsonObject, name: string, chosen: Record<string, Strategy>): Strategy {
  const fallback = STRATEGIES.includes(strategies.default as Strategy) ? (strategies.default as Strategy) : 'overwrite';
  const wanted = strategies[name] ?? chosen[name] ?? fallback;
  return STRATEGIES.includes(wanted as Strategy) ? (wanted as Strategy) : fallback;
}

function mergeMap(old: JsonObject, next: JsonObject, deep: boolean): JsonObject {
  const merged: JsonObject = { ...old };
  for (const [key, value] of Object.entries(next)) {
    if (value === null) continue;
    const before = merged[key];
    if (!deep || before === undefined || before === null) merged[key] = value;
    else if (isJsonObject(value)) merged[key] = isJsonObject(before) ? mergeMap(before, value, true) : value;
    else if (Array.isArray(value)) merged[key] = mergeList(before, value);
    else if (typeof value === 'string') merged[key] = `${typeof before === 'string' ? before : ''}${value}`;
    else merged[key] = value;
  }
  return merged;
}

/** Lists append; comma-delimited strings join with a comma. */
function mergeList(old: Json | undefined, next: Json): Json {
  if (old === undefined || old === null || old === '' || (Array.isArray(old) && old.length === 0)) return next;
  if (Array.isArray(next)) return [...(Array.isArray(old) ? old : [old]), ...next];
  return `${Array.isArray(old) ? old.join(',') : String(old)},${String(next)}`;
}

function mergeValue(name: string, type: ParamType, old: Json | undefined, next: Json, deep: boolean, strategy: Strategy): Json {
  switch (type) {
    case 'map': {
      const value = typeof next === 'string' ? (JSON.parse(next) as Json) : next;
      return mergeMap(isJsonObject(old ?? null) ? (old as JsonObject) : {}, isJsonObject(value) ? value : {}, deep);
    }
    case 'list':
      return mergeList(old, next);
    case 'string':
      return `${typeof old === 'string' ? old : ''}${String(next)}`;
    case 'number':
      return Number(old ?? 0) + Number(next);
    default:
      throw new BadRequest(`Invalid merge strategy '${strategy}' for parameter '${name}'.`, { type: 'InvalidMergeStrategyForParam' });
  }
}

function mergeParameters(
  old: JsonObject,
  next: JsonObject,
  types: Record<string, ParamType>,
  strategies: JsonObject,
  chosen: Record<string, Strategy>,
  file: string,
): JsonObject {
  const declared = Object.entries(next).filter(([name, value]) => name in types && value !== null);
  for (const [name] of declared) {
    const strategy = strategyFor(strategies, name, chosen);
    if (chosen[name] === undefined) chosen[name] = strategy;
    else if (chosen[name] !== strategy) {
      throw new BadRequest(`Conflicting merge strategy '${strategy}' for parameter '${name}' in file '${file}'.`, { type: 'ConflictingMergeStrategyForParam' });
    }
  }
  if (Object.keys(old).length === 0) return next;
  const merged: JsonObject = { ...old };
  for (const [name, value] of declared) {
    const strategy = chosen[name]!;
    merged[name] = strategy === 'overwrite' ? value : mergeValue(name, types[name]!, merged[name], value, strategy === 'deep_merge', strategy);
  }
  return merged;
}

/** `base` (the request's environment) with each named environment file merged in, in order. */
export function mergeEnvironmentFiles(base: JsonObject, files: Array<{ name: string; environment: JsonObject }>, template: JsonObject): JsonObject {
  const types = parameterTypes(template);
  const chosen: Record<string, Strategy> = {};
  const merged: JsonObject = { ...base };
  for (const { name, environment } of files) {
    const { parameter_merge_strategies: strategies, ...sections } = environment;
    for (const [section, value] of Object.entries(sections)) {
      if (!isJsonObject(value) || Object.keys(value).length === 0) continue;
      const current = isJsonObject(merged[section] ?? null) ? (merged[section] as JsonObject) : {};
      merged[section] =
        section === 'parameters' || section === 'parameter_defaults'
          ? mergeParameters(current, value, types, isJsonObject(strategies ?? null) ? (strategies as JsonObject) : {}, chosen, name)
          : mergeMap(current, value, false);
    }
  }
  return merged;
}

/** map_merge, map_replace, list_concat(_unique), filter, contains, repeat and the early Fn::Select. */
import { isJsonObject, type Json, type JsonObject } from '../../json.js';
import { pythonClass, pythonJsonDumps, pythonRepr, pythonTypeName } from '../python-names.js';
import { argumentError, keyError, type TemplateFunction } from './types.js';

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function includesJson(list: Json[], value: Json): boolean {
  return list.some((item) => sameJson(item, value));
}

export const mapMerge: TemplateFunction = {
  apply(args, _env, name) {
    if (!Array.isArray(args)) {
      throw argumentError(`Incorrect arguments to "${name}" should be: "${name}" : [ { "key1": "val1" }, { "key2": "val2" } ]`);
    }
    const merged: JsonObject = {};
    for (const item of args) {
      if (item === null) continue;
      if (!isJsonObject(item)) {
        throw argumentError(
          `Incorrect arguments: Items to merge must be maps. ${pythonRepr(item).slice(0, 200)} is type ${pythonClass(item)} instead of a dict`,
        );
      }
      Object.assign(merged, item);
    }
    return merged;
  },
};

export const mapReplace: TemplateFunction = {
  apply(args, _env, name) {
    const example = `"${name}" : [ { "key1": "val1" }, {"keys": {"key1": "key2"}, "values": {"val1": "val2"}}]`;
    const wrong = (): Error => argumentError(`Incorrect arguments to "${name}" should be: ${example}`);
    const asMap = (m: Json | undefined): JsonObject => {
      if (m === null || m === undefined) return {};
      if (!isJsonObject(m)) throw argumentError(`Incorrect arguments: to "${name}", arguments must be a list of maps. Example:  ${example}`);
      return m;
    };
    if (!Array.isArray(args) || args.length !== 2) throw wrong();
    const input = asMap(args[0]);
    const replacements = asMap(args[1]);
    if (Object.keys(replacements).some((k) => k !== 'keys' && k !== 'values')) throw wrong();
    const keys = asMap(replacements.keys);
    const values = asMap(replacements.values);
    const output: JsonObject = {};
    for (const [key, value] of Object.entries(input)) {
      const replacedKey = keys[key];
      let newKey = key;
      if (replacedKey !== undefined && replacedKey !== null) {
        newKey = String(replacedKey);
        if (newKey in input && newKey !== key) throw argumentError(`key replacement ${newKey} collides with a key in the input map`);
        if (newKey in output) throw argumentError(`key replacement ${newKey} collides with a key in the output map`);
      }
      // Only scalar values can be looked up in `values` (Python cannot hash a list or a map).
      const replacedValue = typeof value === 'object' && value !== null ? undefined : values[String(value)];
      output[newKey] = replacedValue === undefined ? value : replacedValue;
    }
    return output;
  },
};

export function listConcat(unique: boolean): TemplateFunction {
  return {
    apply(args, _env, name) {
      if (!Array.isArray(args)) {
        throw argumentError(`Incorrect arguments to "${name}" should be: "${name}" : [ [ <value 1>, <value 2> ], [ <value 3>, <value 4> ] ]`);
      }
      const joined: Json[] = [];
      for (const item of args) {
        if (item === null) continue;
        if (!Array.isArray(item)) {
          throw argumentError(
            `Incorrect arguments: Items to concat must be lists. ${pythonJsonDumps(args)} contains an item that is not a list: ${pythonJsonDumps(item)}`,
          );
        }
        joined.push(...item);
      }
      return unique ? joined.filter((item, i) => joined.findIndex((other) => sameJson(other, item)) === i) : joined;
    },
  };
}

export const filter: TemplateFunction = {
  check(args, name) {
    if (!Array.isArray(args)) throw argumentError(`Argument to "${name}" must be a list`);
    if (args.length !== 2) throw argumentError(`"${name}" expected 2 arguments of the form [values, sequence] but got ${args.length} arguments instead`);
  },
  apply(args, _env, name) {
    const [values, sequence] = args as [Json, Json];
    if (!sequence || (Array.isArray(sequence) && sequence.length === 0)) return sequence;
    if (!Array.isArray(sequence)) throw argumentError(`"${name}" only works with lists`);
    if (!values || (Array.isArray(values) && values.length === 0)) return sequence;
    if (!Array.isArray(values)) throw argumentError(`"${name}" filters a list of values`);
    return sequence.filter((item) => !includesJson(values, item));
  },
};

export const contains: TemplateFunction = {
  check(args, name) {
    if (!Array.isArray(args) || args.length === 0) {
      throw argumentError(`Incorrect arguments to "${name}" should be: "${name}" : [ "value1", [ "value1", "value2"]]`);
    }
    if (args.length !== 2) throw argumentError(`Arguments to "${name}" must be of the form: [value1, [value1, value2]]`);
  },
  apply(args, _env, name) {
    const [value, sequence] = args as Json[];
    if (typeof sequence === 'string') return typeof value === 'string' && sequence.includes(value);
    if (!Array.isArray(sequence)) throw argumentError(`Second argument to "${name}" should be a sequence.`);
    return includesJson(sequence, value ?? null);
  },
};

/** How a repeat version treats `for_each` values: lists only (2015-04-30), lists or maps (2016-10-14), and `permutations` (2017-09-01). */
export interface RepeatRules {
  maps: boolean;
  permutations: boolean;
}

/** Python's str.replace needs text: a number in `for_each` fails where a string template uses it, as in Heat. */
function replaceAll(template: Json, keys: string[], values: Json[]): Json {
  if (typeof template === 'string') {
    return keys.reduce((text, key, i) => {
      const value = values[i] ?? null;
      if (typeof value !== 'string') throw argumentError(`replace() argument 2 must be str, not ${pythonTypeName(value)}`);
      return text.split(key).join(value);
    }, template);
  }
  if (Array.isArray(template)) return template.map((item) => replaceAll(item, keys, values));
  if (isJsonObject(template))
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [replaceAll(k, keys, values) as string, replaceAll(v, keys, values)]));
  return template;
}

function product(lists: Json[][]): Json[][] {
  return lists.reduce<Json[][]>((combos, list) => combos.flatMap((combo) => list.map((item) => [...combo, item])), [[]]);
}

export function repeat(rules: RepeatRules): TemplateFunction {
  return {
    check(args, name, isCall) {
      if (!isJsonObject(args)) throw argumentError(`Arguments to "${name}" must be a map`);
      if (!('for_each' in args) || !('template' in args)) {
        throw keyError(
          `"repeat" syntax should be repeat:\n              template: This is %var%\n              for_each:\n                %var%: ['a', 'b', 'c']`,
        );
      }
      if (rules.permutations && 'permutations' in args && typeof args.permutations !== 'boolean') {
        throw argumentError(`"permutations" should be boolean type for ${name} function.`);
      }
      const forEach = args.for_each ?? null;
      if (!isCall(forEach) && !isJsonObject(forEach)) throw argumentError(`The "for_each" argument to "${name}" must contain a map`);
    },
    apply(rawArgs, _env, name) {
      const args = rawArgs as JsonObject;
      const nested = !rules.permutations || args.permutations !== false;
      const forEach = args.for_each ?? null;
      if (!isJsonObject(forEach)) throw argumentError(`The "for_each" argument to "${name}" must contain a map`);
      const keys = Object.keys(forEach);
      const allowMaps = rules.maps && nested;
      const lists = Object.values(forEach).map((value) => {
        if (value === null) return [];
        if (Array.isArray(value)) return value;
        if (allowMaps && isJsonObject(value)) return Object.keys(value);
        throw argumentError(`The values of the "for_each" argument to "${name}" must be ${allowMaps ? 'lists or maps' : 'lists'}`);
      });
      if (!nested && new Set(lists.map((l) => l.length)).size > 1) {
        throw argumentError(`For ${name}, the length of for_each values should be equal if no nested loop.`);
      }
      const template = args.template ?? null;
      const combos = nested ? product(lists) : (lists[0] ?? []).map((_, i) => lists.map((l) => l[i] as Json));
      return combos.map((combo) => replaceAll(template, keys, combo));
    },
  };
}

/** Fn::Select (HOT up to 2015-04-30): an item of a list by index or of a map by key; '' when there is none. */
export const select: TemplateFunction = {
  check(args, name) {
    if (!Array.isArray(args) || args.length !== 2) throw argumentError(`Arguments to "${name}" must be of the form [index, collection]`);
  },
  apply(args, _env, name) {
    const [index, rawCollection] = args as Json[];
    let collection = rawCollection ?? null;
    if (collection === '' || collection === null) return '';
    if (typeof collection === 'string') {
      try {
        collection = JSON.parse(collection) as Json;
      } catch (error) {
        throw argumentError(`"${name}": ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (isJsonObject(collection)) {
      if (typeof index !== 'string') throw argumentError(`Index to "${name}" must be a string`);
      return collection[index] ?? '';
    }
    if (Array.isArray(collection)) {
      const position = typeof index === 'string' && /^\s*-?\d+\s*$/.test(index) ? Number(index) : index;
      if (typeof position !== 'number' || !Number.isInteger(position)) throw argumentError(`Index to "${name}" must be an integer`);
      return collection.at(position) ?? '';
    }
    throw argumentError(`Arguments to ${name} not fully resolved`);
  },
};

/** str_replace (and its strict variants), list_join, str_split, digest. */
import { createHash, getHashes } from 'node:crypto';
import { isJsonObject, type Json } from '../../json.js';
import { pythonJsonDumps, pythonRepr, pythonStr } from '../python-names.js';
import { argumentError, keyError, type TemplateFunction } from './types.js';

interface ReplaceRules {
  /** 2015-10-15 on: lists and maps are substituted as JSON text. */
  json: boolean;
  /** str_replace_strict: every placeholder must occur in the template. */
  strict: boolean;
  /** str_replace_vstrict: no null or empty value either. */
  allowEmpty: boolean;
}

function replacementText(value: Json, param: string, name: string, rules: ReplaceRules): string {
  const empty = (): Error => argumentError(`${name} has an undefined or empty value for param ${param}, must be a defined non-empty value`);
  if (value === null) {
    if (!rules.allowEmpty) throw empty();
    return '';
  }
  if (typeof value === 'object') {
    if (!rules.json) throw argumentError(`"${name}" params must be strings or numbers, param ${param} is not valid`);
    if (!rules.allowEmpty && (Array.isArray(value) ? value.length : Object.keys(value).length) === 0) throw empty();
    return pythonJsonDumps(value, true);
  }
  const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  if (!rules.allowEmpty && text === '') throw empty();
  return text;
}

/** Longest placeholders first (ties alphabetical), so `$var1` is replaced before `$var`; each split keeps replaced text out of later rounds. */
function substitute(template: string, mapping: Record<string, Json>, name: string, rules: ReplaceRules): string {
  const keys = Object.keys(mapping)
    .sort()
    .sort((a, b) => b.length - a.length);
  const unused = new Set(rules.strict ? keys : []);
  const replace = (text: string, remaining: string[]): string => {
    const [placeholder, ...rest] = remaining;
    if (placeholder === undefined) return text;
    const value = replacementText(mapping[placeholder] ?? null, placeholder, name, rules);
    const pieces = text.split(placeholder);
    if (pieces.length > 1) unused.delete(placeholder);
    return pieces.map((piece) => replace(piece, rest)).join(value);
  };
  const result = replace(template, keys);
  if (unused.size > 0) {
    const missing = [...unused].sort().sort((a, b) => b.length - a.length);
    throw argumentError(`The following params were not found in the template: ${missing.join(',')}`);
  }
  return result;
}

export function strReplace(rules: ReplaceRules): TemplateFunction {
  return {
    check(args, name, isCall) {
      if (!isJsonObject(args)) throw argumentError(`Arguments to "${name}" must be a map`);
      if (!('params' in args) || !('template' in args)) {
        const example = `${name}:\n              template: This is var1 template var2\n              params:\n                var1: a\n                var2: string`;
        throw keyError(`"${name}" syntax should be ${example}`);
      }
      if (!isJsonObject(args.params ?? null) && !isCall(args.params ?? null)) throw argumentError(`"${name}" parameters must be a mapping`);
    },
    apply(args, _env, name) {
      const { template, params: mapping } = args as Record<string, Json>;
      if (typeof template !== 'string') throw argumentError(`"${name}" template must be a string`);
      if (!isJsonObject(mapping)) throw argumentError(`"${name}" params must be a map`);
      return substitute(template, mapping, name, rules);
    },
  };
}

function joinExample(name: string, multiple: boolean): string {
  return `Incorrect arguments to "${name}" should be: "${name}" : [ " ", [ "str1", "str2"]${multiple ? ' ...' : ''}]`;
}

/** list_join: one list up to 2015-04-30; several lists, with maps and lists joined as JSON, after. */
export function listJoin(multiple: boolean): TemplateFunction {
  return {
    check(args, name) {
      if (!Array.isArray(args)) throw argumentError(joinExample(name, multiple));
      if (multiple ? args.length < 2 : args.length !== 2) throw argumentError(joinExample(name, multiple));
    },
    apply(args, _env, name) {
      const [delimiter, ...lists] = args as Json[];
      const strings: Json[] = [];
      for (const list of lists) {
        if (list === null || (!multiple && Array.isArray(list) && list.length === 0) || (multiple && !list)) continue;
        if (!Array.isArray(list)) throw argumentError(`"${name}" must operate on a list`);
        strings.push(...list);
      }
      if (typeof delimiter !== 'string') throw argumentError(`"${name}" delimiter must be a string`);
      return strings
        .map((item) => {
          if (item === null) return '';
          if (typeof item === 'string') return item;
          if (multiple && typeof item === 'object') return pythonJsonDumps(item, true);
          const shown = pythonRepr(item).slice(0, 200);
          throw argumentError(multiple ? `Items to join must be string, map or list not ${shown}` : `Items to join must be strings not ${shown}`);
        })
        .join(delimiter);
    },
  };
}

export const strSplit: TemplateFunction = {
  check(args, name) {
    if (typeof args === 'string' || isJsonObject(args))
      throw argumentError(`Incorrect arguments to "${name}" should be: "${name}" : [ ",", "apples,pears", <index>]`);
  },
  apply(args, _env, name) {
    const example = `"${name}" : [ ",", "apples,pears", <index>]`;
    if (!Array.isArray(args) || args.length < 2) throw argumentError(`Incorrect arguments to "${name}" should be: ${example}`);
    const [delimiter, text, index] = args;
    if (text === null) return null;
    const parts = pythonStr(text).split(pythonStr(delimiter));
    if (index === undefined) return parts;
    const position = Number(index);
    if (!Number.isInteger(position)) throw argumentError(`Incorrect index to "${name}" should be: ${example}`);
    const part = parts.at(position);
    if (part === undefined) throw argumentError(`Incorrect index to "${name}" should be between 0 and ${parts.length - 1}`);
    return part;
  },
};

export const digest: TemplateFunction = {
  apply(args, _env, name) {
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw argumentError(`Argument to function "${name}" must be a list of strings`);
    if (args.length !== 2) throw argumentError(`Function "${name}" usage: ["<algorithm>", "<value>"]`);
    const [algorithm, value] = args as [string, string];
    const available = getHashes();
    if (!available.includes(algorithm.toLowerCase())) throw argumentError(`Algorithm must be one of {${available.map((a) => `'${a}'`).join(', ')}}`);
    return createHash(algorithm.toLowerCase()).update(Buffer.from(value, 'latin1')).digest('hex');
  },
};

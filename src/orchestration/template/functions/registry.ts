/** Which implementation each function name has in each HOT version (the variants differ in arguments and behaviour). */
import { REMOVED_FUNCTIONS, conditionFunctionNames, functionNames } from '../versions.js';
import type { HotVersion } from '../types.js';
import { contains, filter, listConcat, mapMerge, mapReplace, repeat, select } from './collections.js';
import { base64, cfnReplace, cfnResourceFacade, join, ref, split } from './cfn.js';
import { and, equals, ifFunction, not, or } from './logic.js';
import { makeUrl } from './make-url.js';
import { getAttr, getFile, getParam, getResource, resourceFacade } from './references.js';
import { digest, listJoin, strReplace, strSplit } from './strings.js';
import { argumentError, type TemplateFunction } from './types.js';
import { yaql } from './yaql.js';

/** Each name's implementation; some differ by version in their arguments or behaviour. */
const IMPLEMENTATIONS: Record<string, (version: HotVersion) => TemplateFunction> = {
  get_param: () => getParam,
  get_resource: () => getResource,
  get_attr: (v) => getAttr(v >= '2015-10-15'),
  get_file: () => getFile,
  resource_facade: () => resourceFacade,
  str_replace: (v) => strReplace({ json: v >= '2015-10-15', strict: false, allowEmpty: true }),
  str_replace_strict: () => strReplace({ json: true, strict: true, allowEmpty: true }),
  str_replace_vstrict: () => strReplace({ json: true, strict: true, allowEmpty: false }),
  list_join: (v) => listJoin(v >= '2015-10-15'),
  str_split: () => strSplit,
  digest: () => digest,
  repeat: (v) => repeat({ maps: v >= '2016-10-14', permutations: v >= '2017-09-01' }),
  map_merge: () => mapMerge,
  map_replace: () => mapReplace,
  list_concat: () => listConcat(false),
  list_concat_unique: () => listConcat(true),
  filter: () => filter,
  contains: () => contains,
  make_url: () => makeUrl,
  yaql: () => yaql,
  if: (v) => ifFunction(v >= '2021-04-16'),
  equals: () => equals,
  not: () => not,
  and: () => and,
  or: () => or,
  'Fn::Select': () => select,
  Ref: () => ref,
  'Fn::Join': () => join,
  'Fn::Split': () => split,
  'Fn::Replace': () => cfnReplace,
  'Fn::Base64': () => base64,
  'Fn::ResourceFacade': () => cfnResourceFacade,
};

function implementation(name: string, version: HotVersion): TemplateFunction | undefined {
  return Object.hasOwn(IMPLEMENTATIONS, name) ? IMPLEMENTATIONS[name]?.(version) : undefined;
}

/** Fn::GetAZs and Fn::MemberListToMap (HOT 2013-05-23) are recognised but not offered; using one is answered plainly. */
const unsupportedLegacy: TemplateFunction = {
  check(_args, name) {
    throw argumentError(`The function ${name} is not supported by this cloud; use the HOT equivalent`);
  },
};

/** Functions removed from HOT: Heat reports them as an invalid template version. */
export const removedFunction: TemplateFunction = {};

export interface FunctionTable {
  get(name: string): TemplateFunction | undefined;
}

/** The functions of resources, outputs and properties in `version` (removed ones included, so they are reported). */
export function functionTable(version: HotVersion): FunctionTable {
  const names = functionNames(version);
  return {
    get(name) {
      if (names.has(name)) return implementation(name, version) ?? unsupportedLegacy;
      return REMOVED_FUNCTIONS.has(name) ? removedFunction : undefined;
    },
  };
}

/** The functions of `conditions:` (and of an `if`'s condition): the others are recognised and refused there. */
export function conditionFunctionTable(version: HotVersion): FunctionTable & { refused(name: string): boolean } {
  const names = conditionFunctionNames(version);
  const all = functionNames(version);
  return {
    get(name) {
      return names.has(name) ? implementation(name, version) : undefined;
    },
    refused(name) {
      return !names.has(name) && (all.has(name) || REMOVED_FUNCTIONS.has(name));
    },
  };
}

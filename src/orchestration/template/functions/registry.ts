/** Which implementation each function name has in each HOT version (the variants differ in arguments and behaviour). */
import { REMOVED_FUNCTIONS, conditionFunctionNames, functionNames } from '../versions.js';
import type { HotVersion } from '../types.js';
import { contains, filter, listConcat, mapMerge, mapReplace, repeat, select } from './collections.js';
import { and, equals, ifFunction, not, or } from './logic.js';
import { makeUrl } from './make-url.js';
import { getAttr, getFile, getParam, getResource, resourceFacade } from './references.js';
import { digest, listJoin, strReplace, strSplit } from './strings.js';
import { argumentError, type TemplateFunction } from './types.js';
import { yaql } from './yaql.js';

function implementation(name: string, version: HotVersion): TemplateFunction | undefined {
  switch (name) {
    case 'get_param':
      return getParam;
    case 'get_resource':
      return getResource;
    case 'get_attr':
      return getAttr(version >= '2015-10-15');
    case 'get_file':
      return getFile;
    case 'resource_facade':
      return resourceFacade;
    case 'str_replace':
      return strReplace({ json: version >= '2015-10-15', strict: false, allowEmpty: true });
    case 'str_replace_strict':
      return strReplace({ json: true, strict: true, allowEmpty: true });
    case 'str_replace_vstrict':
      return strReplace({ json: true, strict: true, allowEmpty: false });
    case 'list_join':
      return listJoin(version >= '2015-10-15');
    case 'str_split':
      return strSplit;
    case 'digest':
      return digest;
    case 'repeat':
      return repeat({ maps: version >= '2016-10-14', permutations: version >= '2017-09-01' });
    case 'map_merge':
      return mapMerge;
    case 'map_replace':
      return mapReplace;
    case 'list_concat':
      return listConcat(false);
    case 'list_concat_unique':
      return listConcat(true);
    case 'filter':
      return filter;
    case 'contains':
      return contains;
    case 'make_url':
      return makeUrl;
    case 'yaql':
      return yaql;
    case 'if':
      return ifFunction(version >= '2021-04-16');
    case 'equals':
      return equals;
    case 'not':
      return not;
    case 'and':
      return and;
    case 'or':
      return or;
    case 'Fn::Select':
      return select;
    default:
      return undefined;
  }
}

/**
 * The CFN functions HOT 2013-05-23 still parsed (Ref, Fn::Join, ...) are
 * recognised but not evaluated by Nimbus; using one is answered plainly.
 */
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

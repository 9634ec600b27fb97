/**
 * The HOT versions Heat knows and which intrinsic functions each one has.
 *
 * Only HOT is served: the CFN formats (`AWSTemplateFormatVersion`,
 * `HeatTemplateFormatVersion`) are answered "not supported" at parse time, so
 * TEMPLATE_VERSIONS lists HOT only and `/template_versions` shows HOT only.
 */
import type { HotVersion } from './types.js';

export const TEMPLATE_VERSIONS: Array<{ version: string; type: 'hot' | 'cfn'; aliases: string[] }> = [
  { version: '2013-05-23', type: 'hot', aliases: [] },
  { version: '2014-10-16', type: 'hot', aliases: [] },
  { version: '2015-04-30', type: 'hot', aliases: [] },
  { version: '2015-10-15', type: 'hot', aliases: [] },
  { version: '2016-04-08', type: 'hot', aliases: [] },
  { version: '2016-10-14', type: 'hot', aliases: ['newton'] },
  { version: '2017-02-24', type: 'hot', aliases: ['ocata'] },
  { version: '2017-09-01', type: 'hot', aliases: ['pike'] },
  { version: '2018-03-02', type: 'hot', aliases: ['queens'] },
  { version: '2018-08-31', type: 'hot', aliases: ['rocky'] },
  { version: '2021-04-16', type: 'hot', aliases: ['wallaby'] },
];

/** The dated version for a `heat_template_version` value (a date or an alias), or undefined. */
export function resolveHotVersion(value: string): HotVersion | undefined {
  const entry = TEMPLATE_VERSIONS.find((v) => v.version === value || v.aliases.includes(value));
  return entry?.version as HotVersion | undefined;
}

/** Dated versions compare as strings. */
export function versionAtLeast(version: HotVersion, since: HotVersion): boolean {
  return version >= since;
}

/**
 * The functions every version offers, named by what they do so the
 * evaluator can dispatch on the variant (e.g. `list_join` with one list up
 * to 2015-04-30, several lists after).
 */
interface FunctionSpan {
  name: string;
  since: HotVersion;
  until?: HotVersion;
  description: string;
}

const RESOLVE_ATTRIBUTES = 'A function for resolving resource attributes.';
const SUBSTITUTE = 'A function for performing string substitutions.';

const FUNCTIONS: FunctionSpan[] = [
  { name: 'get_param', since: '2013-05-23', description: 'A function for resolving parameter references.' },
  { name: 'get_resource', since: '2013-05-23', description: 'A function for resolving resource references.' },
  { name: 'get_attr', since: '2013-05-23', description: RESOLVE_ATTRIBUTES },
  { name: 'get_file', since: '2013-05-23', description: 'A function for including a file inline.' },
  { name: 'list_join', since: '2013-05-23', until: '2015-04-30', description: 'A function for joining strings.' },
  { name: 'list_join', since: '2015-10-15', description: 'A function for joining one or more lists of strings.' },
  { name: 'str_replace', since: '2013-05-23', description: SUBSTITUTE },
  { name: 'resource_facade', since: '2013-05-23', description: 'A function for retrieving data in a parent provider template.' },
  { name: 'Fn::Select', since: '2013-05-23', until: '2015-04-30', description: 'A function for selecting an item from a list or map.' },
  { name: 'repeat', since: '2015-04-30', until: '2016-04-08', description: 'A function for iterating over a list of items.' },
  { name: 'repeat', since: '2016-10-14', description: 'A function for iterating over a list of items or a dict of keys.' },
  { name: 'digest', since: '2015-04-30', description: 'A function for performing digest operations.' },
  { name: 'str_split', since: '2015-10-15', description: 'A function for splitting delimited strings into a list.' },
  { name: 'map_merge', since: '2016-04-08', description: 'A function for merging maps.' },
  { name: 'yaql', since: '2016-10-14', description: 'A function for executing a yaql expression.' },
  { name: 'map_replace', since: '2016-10-14', description: 'A function for performing substitutions on maps.' },
  { name: 'if', since: '2016-10-14', description: 'A function to return corresponding value based on condition evaluation.' },
  { name: 'filter', since: '2017-02-24', description: 'A function for filtering out values from lists.' },
  { name: 'str_replace_strict', since: '2017-02-24', description: SUBSTITUTE },
  // Heat's MakeURL carries MapReplace's description; clients see exactly this text.
  { name: 'make_url', since: '2017-09-01', description: 'A function for performing substitutions on maps.' },
  { name: 'list_concat', since: '2017-09-01', description: 'A function for extending lists.' },
  { name: 'str_replace_vstrict', since: '2017-09-01', description: SUBSTITUTE },
  { name: 'list_concat_unique', since: '2017-09-01', description: 'A function for extending lists with unique items.' },
  { name: 'contains', since: '2017-09-01', description: 'A function for checking whether specific value is in sequence.' },
];

/**
 * CFN functions the first HOT version still accepted. Nimbus does not
 * evaluate them (see README): they are listed so `/functions` answers as
 * Heat's does, and using one is reported as unsupported.
 */
const LEGACY_CFN_FUNCTIONS: FunctionSpan[] = [
  { name: 'Fn::GetAZs', since: '2013-05-23', until: '2013-05-23', description: 'A function for retrieving the availability zones.' },
  { name: 'Ref', since: '2013-05-23', until: '2013-05-23', description: 'A function for resolving parameters or resource references.' },
  { name: 'Fn::Join', since: '2013-05-23', until: '2013-05-23', description: 'A function for joining strings.' },
  { name: 'Fn::Split', since: '2013-05-23', until: '2013-05-23', description: 'A function for splitting strings.' },
  { name: 'Fn::Replace', since: '2013-05-23', until: '2013-05-23', description: SUBSTITUTE },
  { name: 'Fn::Base64', since: '2013-05-23', until: '2013-05-23', description: 'A placeholder function for converting to base64.' },
  {
    name: 'Fn::MemberListToMap',
    since: '2013-05-23',
    until: '2013-05-23',
    description: 'A function to convert lists with enumerated keys and values to mapping.',
  },
  { name: 'Fn::ResourceFacade', since: '2013-05-23', until: '2013-05-23', description: 'A function for retrieving data in a parent provider template.' },
];

/** Functions removed from HOT after 2013-05-23: naming one is an error, not a plain map key. */
export const REMOVED_FUNCTIONS = new Set([...LEGACY_CFN_FUNCTIONS.map((f) => f.name), 'Fn::Select']);

const CONDITION_FUNCTIONS: FunctionSpan[] = [
  { name: 'get_param', since: '2016-10-14', description: 'A function for resolving parameter references.' },
  { name: 'equals', since: '2016-10-14', description: 'A function for comparing whether two values are equal.' },
  { name: 'not', since: '2016-10-14', description: 'A function that acts as a NOT operator on a condition.' },
  { name: 'and', since: '2016-10-14', description: 'A function that acts as an AND operator on conditions.' },
  { name: 'or', since: '2016-10-14', description: 'A function that acts as an OR operator on conditions.' },
  { name: 'yaql', since: '2017-09-01', description: 'A function for executing a yaql expression.' },
  { name: 'contains', since: '2017-09-01', description: 'A function for checking whether specific value is in sequence.' },
];

function inSpan(span: FunctionSpan, version: HotVersion): boolean {
  return version >= span.since && (span.until === undefined || version <= span.until);
}

/** Names of the functions usable in resources, outputs and properties of `version`. */
export function functionNames(version: HotVersion): Set<string> {
  return new Set([...FUNCTIONS, ...LEGACY_CFN_FUNCTIONS].filter((f) => inSpan(f, version)).map((f) => f.name));
}

/** Names of the functions usable inside `conditions:` (empty before 2016-10-14, which has no conditions). */
export function conditionFunctionNames(version: HotVersion): Set<string> {
  return new Set(CONDITION_FUNCTIONS.filter((f) => inSpan(f, version)).map((f) => f.name));
}

export function hasConditions(version: HotVersion): boolean {
  return versionAtLeast(version, '2016-10-14');
}

/** `/template_versions/{v}/functions`: name and description, condition functions added (and overriding) on request. */
export function templateFunctions(version: string, withConditionFunctions: boolean): Array<{ functions: string; description: string }> {
  // The API names versions as `heat_template_version.2016-10-14`; the bare date or alias is accepted too.
  const dated = resolveHotVersion(version.replace(/^heat_template_version\./, ''));
  if (dated === undefined) return [];
  const listed = new Map<string, string>();
  for (const f of [...FUNCTIONS, ...LEGACY_CFN_FUNCTIONS]) if (inSpan(f, dated)) listed.set(f.name, f.description);
  if (withConditionFunctions) for (const f of CONDITION_FUNCTIONS) if (inSpan(f, dated)) listed.set(f.name, f.description);
  return [...listed].map(([functions, description]) => ({ functions, description }));
}

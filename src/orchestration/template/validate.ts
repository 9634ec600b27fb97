/**
 * validateTemplate: Heat's static checks of a parsed template, before any
 * parameter value is known: limits, parameter defaults, conditions, every
 * function call's arguments (with the path Heat reports), references to
 * resources, resource types, duplicate names, circular dependencies, outputs.
 */
import type { Json } from '../json.js';
import {
  circularDependency,
  invalidTemplateReference,
  requestLimitExceeded,
  resourceTypeNotFound,
  stackValidationFailed,
  type TemplatePathItem,
} from '../errors/template.js';
import { conditionFunctionTable, functionTable, removedFunction } from './functions/registry.js';
import { FunctionArgumentError } from './functions/types.js';
import { MAX_RESOURCES_PER_STACK } from './limits.js';
import { checkParameterDefault, PSEUDO_PARAMETERS } from './parameters.js';
import { pythonStr } from './python-names.js';
import { callDetector, functionCall } from './snippet.js';
import type { ParsedTemplate } from './types.js';
import { hasConditions } from './versions.js';
import { referencedNames } from './dependencies.js';
import { referencedResource, walkCalls } from './walk.js';

export interface TypeLookup {
  has(type: string): boolean;
  /**
   * The attribute names a type offers (`show` is always accepted), for
   * Heat's check of `get_attr` names; undefined when the type's attributes
   * are only known later (a template resource), which skips the check.
   */
  attributes?(type: string): readonly string[] | undefined;
}

/** Runs a function's argument check, reporting a bad argument at its path as Heat does. */
function checkCall(path: TemplatePathItem[], check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof FunctionArgumentError) throw stackValidationFailed(error.message, path);
    throw error;
  }
}

/** Heat's reference key: `<resource>.Properties.<path>` (CFN section names, list indexes as `[i]`). */
function referenceKey(path: TemplatePathItem[]): string {
  return path.reduce<string>((key, item) => (typeof item === 'number' ? `${key}[${item}]` : key ? `${key}.${item}` : item), '');
}

function checkConditionNames(t: ParsedTemplate, reference: Json, path: TemplatePathItem[]): void {
  if (typeof reference === 'string' && !(reference in t.conditions)) throw stackValidationFailed(`Invalid condition "${reference}"`, path);
}

function checkConditions(t: ParsedTemplate): void {
  const table = conditionFunctionTable(t.version);
  const isCall = callDetector(table);
  for (const [name, definition] of Object.entries(t.conditions)) {
    if (typeof definition !== 'boolean' && functionCall(definition, table) === null) {
      throw stackValidationFailed(`The definition of condition "${name}" is invalid: ${pythonStr(definition)}`, [], 'Condition validation error');
    }
    walkCalls(definition, table, ['conditions', name], (call, path) => {
      checkCall(path, () => call.fn.check?.(call.args, call.name, isCall));
      if (['not', 'and', 'or'].includes(call.name)) {
        const operands = Array.isArray(call.args) ? call.args : [call.args];
        for (const operand of operands) checkConditionNames(t, operand, path);
      }
      return 'descend';
    });
  }
}

/** Where a get_resource/get_attr/Ref target is named: the snippet path up to the call, and the call's own path. */
type ReferenceCheck = (target: string, call: string, at: TemplatePathItem[], fnPath: TemplatePathItem[]) => void;

/**
 * Checks every call in a snippet: removed functions and bad arguments
 * (Heat reports both at the call's path), unknown conditions in `if`,
 * get_attr attribute names, and each written-out reference through `onReference`.
 */
function checkSnippet(t: ParsedTemplate, types: TypeLookup, snippet: Json, path: TemplatePathItem[], onReference: ReferenceCheck): void {
  const table = functionTable(t.version);
  const isCall = callDetector(table);
  walkCalls(snippet, table, path, (call, fnPath) => {
    if (call.fn === removedFunction) {
      throw stackValidationFailed(`The template version is invalid: The function ${call.name} is not supported in this version of HOT.`, fnPath);
    }
    checkCall(fnPath, () => call.fn.check?.(call.args, call.name, isCall));
    if (call.name === 'if' && Array.isArray(call.args)) checkConditionNames(t, call.args[0] ?? null, fnPath);
    const target = referencedResource(call, (name) => name in t.resources);
    if (target !== null) {
      onReference(target, call.name, fnPath.slice(0, -1), fnPath);
      if (call.name === 'get_attr') checkAttributeName(t, types, target, call.args, fnPath);
    }
    return 'descend';
  });
}

function checkAttributeName(t: ParsedTemplate, types: TypeLookup, target: string, args: Json, fnPath: TemplatePathItem[]): void {
  const attribute = Array.isArray(args) ? args[1] : undefined;
  const type = t.resources[target]?.type;
  if (typeof attribute !== 'string' || type === undefined || attribute === 'show') return;
  const known = types.attributes?.(type);
  if (known !== undefined && !known.includes(attribute)) throw stackValidationFailed(`The Referenced Attribute (${target} ${attribute}) is incorrect.`, fnPath);
}

function checkResources(t: ParsedTemplate, types: TypeLookup): void {
  for (const def of Object.values(t.resources)) {
    if (def.condition !== undefined) checkConditionNames(t, def.condition, ['resources', def.name, 'condition']);
    if (!types.has(def.type)) throw resourceTypeNotFound(def.type);
    const onReference =
      (section: string): ReferenceCheck =>
      (target, _call, at) => {
        if (!(target in t.resources)) throw invalidTemplateReference(target, referenceKey([def.name, section, ...at.slice(3)]));
      };
    checkSnippet(t, types, def.properties, ['resources', def.name, 'properties'], onReference('Properties'));
    checkSnippet(t, types, def.metadata, ['resources', def.name, 'metadata'], onReference('Metadata'));
    checkSnippet(t, types, def.updatePolicy, ['resources', def.name, 'update_policy'], () => undefined);
    for (const dependency of def.dependsOn) if (!(dependency in t.resources)) throw invalidTemplateReference(dependency, def.name);
  }
}

/** Heat's toposort message lists what is left when no resource is free of requirements: `{a: {b}, b: {a}}`. */
function checkCycles(t: ParsedTemplate): void {
  const graph = new Map<string, Set<string>>();
  for (const def of Object.values(t.resources)) {
    graph.set(def.name, new Set([...def.dependsOn, ...referencedNames(def, t, null)].filter((n) => n in t.resources)));
  }
  let progress = true;
  while (progress && graph.size > 0) {
    progress = false;
    for (const [name, requires] of graph) {
      if ([...requires].every((r) => !graph.has(r))) {
        graph.delete(name);
        progress = true;
      }
    }
  }
  if (graph.size > 0) {
    const remaining = [...graph].map(([name, requires]) => `${name}: {${[...requires].filter((r) => graph.has(r)).join(', ')}}`);
    throw circularDependency(`{${remaining.join(', ')}}`);
  }
}

function checkOutputs(t: ParsedTemplate, types: TypeLookup): void {
  for (const output of Object.values(t.outputs)) {
    if (output.condition !== undefined) checkConditionNames(t, output.condition, ['outputs', output.name, 'condition']);
    // Heat checks get_attr targets of outputs when it validates (reported at the call); get_resource only fails when the output is shown.
    checkSnippet(t, types, output.value, ['outputs', output.name, 'value'], (target, call, _at, fnPath) => {
      if (call === 'get_attr' && !(target in t.resources)) throw stackValidationFailed(invalidTemplateReference(target, 'unknown').message, fnPath);
    });
  }
}

export function validateTemplate(t: ParsedTemplate, types: TypeLookup): void {
  if (Object.keys(t.resources).length > MAX_RESOURCES_PER_STACK) throw requestLimitExceeded('Maximum resources per stack exceeded.');
  for (const def of Object.values(t.parameters)) checkParameterDefault(def);
  if (hasConditions(t.version)) checkConditions(t);
  checkResources(t, types);
  const duplicates = Object.keys(t.resources).filter((name) => name in t.parameters || PSEUDO_PARAMETERS.includes(name));
  if (duplicates.length > 0) throw stackValidationFailed(`Duplicate names {${duplicates.map((d) => `'${d}'`).join(', ')}}`);
  checkCycles(t);
  checkOutputs(t, types);
}

/**
 * The template room's public door: parse, validate and evaluate HOT
 * templates and environments. Other rooms import only from here.
 */
import { NotImplemented } from '../../core/errors.js';
import type { Json, JsonObject } from '../json.js';
import type { PropertySchema } from '../resources/types.js';
import type { ParsedTemplate, ResolveScope, ResourceDefinition, Environment } from './types.js';

export { parseTemplate } from './parse.js';
export { parseEnvironment, mergeEnvironments } from './environment.js';
export { TEMPLATE_VERSIONS, templateFunctions } from './versions.js';
export { parameterView } from './parameter-view.js';
export type * from './types.js';

export interface TypeLookup {
  has(type: string): boolean;
}

export interface ResolveParametersOptions {
  stackName: string;
  stackId: string;
  projectId: string;
  previous?: Record<string, Json>;
  checkCustom(name: string, value: Json): Promise<string | null>;
}

const pending = (what: string): never => {
  throw new NotImplemented(`${what} is not implemented yet`);
};

export function validateTemplate(_t: ParsedTemplate, _types: TypeLookup): void {
  pending('validateTemplate');
}
export async function resolveParameters(
  _t: ParsedTemplate,
  _env: Environment,
  _given: Record<string, Json>,
  _o: ResolveParametersOptions,
): Promise<Record<string, Json>> {
  return pending('resolveParameters');
}
export function evaluateConditions(_t: ParsedTemplate, _parameters: Record<string, Json>): Record<string, boolean> {
  return pending('evaluateConditions');
}
export function activeResources(_t: ParsedTemplate, _conditions: Record<string, boolean>): ResourceDefinition[] {
  return pending('activeResources');
}
export function resourceDependencies(_t: ParsedTemplate, _def: ResourceDefinition, _conditions: Record<string, boolean>): string[] {
  return pending('resourceDependencies');
}
export async function resolveSnippet(_t: ParsedTemplate, _snippet: Json, _scope: ResolveScope): Promise<Json> {
  return pending('resolveSnippet');
}
export async function validateProperties(
  _schema: Record<string, PropertySchema>,
  _values: Json,
  _path: string,
  _options: { checkCustom(name: string, value: Json): Promise<string | null> },
): Promise<JsonObject> {
  return pending('validateProperties');
}

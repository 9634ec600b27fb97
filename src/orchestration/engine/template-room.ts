/**
 * The template room's functions the engine calls, as their signatures are
 * agreed (template/index.ts implements them). The engine receives them as a
 * dependency: the module passes `import * as template from '../template/index.js'`,
 * tests may pass small stand-ins.
 */
import type { Json, JsonObject } from '../json.js';
import type { PropertySchema } from '../resources/types.js';
import type { Environment, ParameterDefinition, ParsedTemplate, ResolveScope, ResourceDefinition } from '../template/types.js';

export interface TypeLookup {
  has(type: string): boolean;
}

export interface ParameterOptions {
  stackName: string;
  stackId: string;
  projectId: string;
  previous?: Record<string, Json>;
  checkCustom(name: string, value: Json): Promise<string | null>;
}

export interface TemplateRoom {
  parseTemplate(input: string | JsonObject, options?: { maxBytes?: number }): ParsedTemplate;
  parseEnvironment(input: string | JsonObject | undefined): Environment;
  mergeEnvironments(base: Environment, ...more: Array<Partial<Environment>>): Environment;
  validateTemplate(t: ParsedTemplate, types: TypeLookup): void;
  resolveParameters(t: ParsedTemplate, env: Environment, given: Record<string, Json>, options: ParameterOptions): Promise<Record<string, Json>>;
  evaluateConditions(t: ParsedTemplate, parameters: Record<string, Json>): Record<string, boolean>;
  activeResources(t: ParsedTemplate, conditions: Record<string, boolean>): ResourceDefinition[];
  resourceDependencies(t: ParsedTemplate, def: ResourceDefinition, conditions: Record<string, boolean>): string[];
  resolveSnippet(t: ParsedTemplate, snippet: Json, scope: ResolveScope): Promise<Json>;
  validateProperties(
    schema: Record<string, PropertySchema>,
    values: Json,
    path: string,
    options: { checkCustom(name: string, value: Json): Promise<string | null> },
  ): Promise<JsonObject>;
  /** How validate shows a parameter; `value` is the given one, if any. */
  parameterView(def: ParameterDefinition, value?: Json): JsonObject;
}

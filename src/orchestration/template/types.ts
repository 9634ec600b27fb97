/**
 * The template language's model, shared by the template room (which parses,
 * validates and evaluates), the engine (which walks resources in dependency
 * order) and the resource plugins (whose property schemas it checks).
 *
 * A template is parsed once into a ParsedTemplate whose snippets (property
 * values, outputs, conditions) stay unevaluated JSON; they are evaluated
 * against a ResolveScope when the engine needs them, because `get_attr` can
 * only be answered once the resource it names exists.
 */
import type { Json } from '../json.js';

/** A HOT version as dated in `heat_template_version` (aliases such as `wallaby` resolve to their dates). */
export type HotVersion =
  | '2013-05-23'
  | '2014-10-16'
  | '2015-04-30'
  | '2015-10-15'
  | '2016-04-08'
  | '2016-10-14'
  | '2017-02-24'
  | '2017-09-01'
  | '2018-03-02'
  | '2018-08-31'
  | '2021-04-16';

/** One constraint of a parameter or property, as Heat spells it in templates and in `/resource_types` output. */
export type Constraint = (
  | { length: { min?: number; max?: number } }
  | { range: { min?: number; max?: number } }
  | { modulo: { step: number; offset: number } }
  | { allowed_values: Json[] }
  | { allowed_pattern: string }
  | { custom_constraint: string }
) & { description?: string };

export type ParameterType = 'string' | 'number' | 'json' | 'comma_delimited_list' | 'boolean';

export interface ParameterDefinition {
  name: string;
  type: ParameterType;
  label?: string;
  description?: string;
  default?: Json;
  hidden: boolean;
  immutable: boolean;
  constraints: Constraint[];
}

export interface ParameterGroup {
  label?: string;
  description?: string;
  parameters: string[];
}

export type DeletionPolicy = 'Delete' | 'Retain' | 'Snapshot';

/** A resource as written in the template; every snippet is unevaluated. */
export interface ResourceDefinition {
  name: string;
  type: string;
  properties: Json;
  metadata: Json;
  /** Explicit `depends_on` only; implicit ones come from `resourceDependencies`. */
  dependsOn: string[];
  deletionPolicy: DeletionPolicy;
  updatePolicy: Json;
  /** A condition name, a boolean, or an inline condition snippet (2016-10-14 on); absent = always. */
  condition?: Json;
  externalId?: Json;
  description?: string;
}

export interface OutputDefinition {
  name: string;
  description?: string;
  value: Json;
  condition?: Json;
}

export interface ParsedTemplate {
  /** The date version, after resolving aliases. */
  version: HotVersion;
  description?: string;
  parameterGroups: ParameterGroup[];
  parameters: Record<string, ParameterDefinition>;
  resources: Record<string, ResourceDefinition>;
  outputs: Record<string, OutputDefinition>;
  /** `conditions:` as written. */
  conditions: Record<string, Json>;
  /** The template as the user sent it (for GET .../template and export). */
  raw: Record<string, Json>;
}

/** An environment (`-e env.yaml`), merged in order: later ones win, as heatclient merges them. */
export interface Environment {
  parameters: Record<string, Json>;
  parameter_defaults: Record<string, Json>;
  /**
   * `resource_registry`: type name (or glob like `OS::Nova::*`) to another
   * type or a template file name; `resources:` holds per-resource overrides
   * and hooks (`hooks: pre-create | [pre-create, pre-update, pre-delete]`).
   */
  resource_registry: Record<string, Json>;
  event_sinks: Json[];
  encrypted_param_names: string[];
}

/** What a snippet is evaluated against; the engine provides it per stack. */
export interface ResolveScope {
  /** Validated parameter values, pseudo parameters included (`OS::stack_name`, `OS::stack_id`, `OS::project_id`). */
  parameters: Record<string, Json>;
  /** Evaluated conditions by name. */
  conditions: Record<string, boolean>;
  /** The request's `files` map, for `get_file`. */
  files: Record<string, string>;
  /** `get_resource`: the resource's reference id (its physical id, or its name before it has one). */
  getResource(name: string): string | null;
  /** `get_attr`: a resource's attribute, then `path` into it (list indexes and map keys). */
  getAttr(name: string, attribute: string, path: Json[]): Promise<Json>;
  /** `get_attr` with only a resource name (2014-10-16 on): every attribute. */
  getAllAttrs(name: string): Promise<Json>;
  /** `resource_facade` in a template resource's nested stack: the parent resource's section. */
  resourceFacade?(section: 'metadata' | 'deletion_policy' | 'update_policy'): Json;
}

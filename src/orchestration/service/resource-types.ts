/** `/resource_types`: the registered types, each type's schema and its generated template, as Heat shows them. */
import type { CallerContext } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import type { Json, JsonObject } from '../json.js';
import type { AttributeSchema, PropertySchema, ResourcePlugin } from '../resources/types.js';
import { authorizeProject } from './access.js';
import type { StackServiceParts } from './deps.js';
import { notSupported } from './stack-create.js';

/** The attribute every type has (added by the engine). */
const SHOW_ATTRIBUTE: AttributeSchema = { description: 'Detailed information about resource.', type: 'map' };

function attributesOf(plugin: ResourcePlugin): Record<string, AttributeSchema> {
  return { ...plugin.attributes, show: SHOW_ATTRIBUTE };
}

function supportStatus(plugin: ResourcePlugin): JsonObject {
  const status = plugin.supportStatus ?? { status: 'SUPPORTED' };
  return { status: status.status, version: status.version ?? null, message: status.message ?? null, previous_status: null };
}

export async function listResourceTypes(
  parts: StackServiceParts,
  caller: CallerContext,
  filter: { name?: string; version?: string; supportStatus?: string; withDescription?: boolean },
): Promise<Array<{ type: string; description: string }>> {
  authorizeProject(parts.deps, caller, 'stacks:list_resource_types');
  const name = filter.name === undefined ? null : new RegExp(filter.name);
  return parts.deps.registry
    .plugins()
    .filter((p) => (p.supportStatus?.status ?? 'SUPPORTED') !== 'HIDDEN')
    .filter((p) => name === null || name.test(p.type))
    .filter((p) => filter.version === undefined || p.supportStatus?.version === filter.version)
    .filter((p) => filter.supportStatus === undefined || (p.supportStatus?.status ?? 'SUPPORTED') === filter.supportStatus.toUpperCase())
    .map((p) => ({ type: p.type, description: p.description }))
    .sort((a, b) => a.type.localeCompare(b.type));
}

function pluginOf(parts: StackServiceParts, type: string): ResourcePlugin {
  const plugin = parts.deps.registry.plugin(type);
  if (!plugin) throw new NotFound(`The Resource Type (${type}) could not be found.`, { type: 'EntityNotFound' });
  // A hidden type still loads in templates, but Heat shows neither its schema nor its template.
  if (plugin.supportStatus?.status === 'HIDDEN') throw notSupported(type);
  return plugin;
}

function propertyView(schema: PropertySchema): JsonObject {
  const view: JsonObject = {
    type: schema.type,
    description: schema.description ?? '',
    required: schema.required ?? false,
    update_allowed: schema.updateAllowed ?? false,
    immutable: schema.immutable ?? false,
  };
  if (schema.default !== undefined) view.default = schema.default;
  if (schema.constraints && schema.constraints.length > 0) view.constraints = schema.constraints as unknown as Json[];
  if (schema.schema) view.schema = Object.fromEntries(Object.entries(schema.schema).map(([key, nested]) => [key, propertyView(nested)]));
  return view;
}

export async function resourceTypeSchema(parts: StackServiceParts, caller: CallerContext, type: string): Promise<JsonObject> {
  authorizeProject(parts.deps, caller, 'stacks:resource_schema');
  const plugin = pluginOf(parts, type);
  const attributes: JsonObject = {};
  for (const [name, schema] of Object.entries(attributesOf(plugin)))
    attributes[name] = { description: schema.description, ...(schema.type && { type: schema.type }) };
  return {
    resource_type: plugin.type,
    description: plugin.description,
    properties: Object.fromEntries(Object.entries(plugin.properties).map(([name, schema]) => [name, propertyView(schema)])),
    attributes,
    support_status: supportStatus(plugin),
  };
}

/** Property types as template parameter types. */
const PARAMETER_TYPES: Record<string, string> = {
  string: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
  map: 'json',
  list: 'comma_delimited_list',
  any: 'json',
};

export async function resourceTypeTemplate(parts: StackServiceParts, caller: CallerContext, type: string, templateType: 'hot' | 'cfn'): Promise<JsonObject> {
  authorizeProject(parts.deps, caller, 'stacks:generate_template');
  const plugin = pluginOf(parts, type);
  const resourceName = type.split('::').pop() ?? type;
  const hot = templateType === 'hot';
  const parameters: JsonObject = {};
  const properties: JsonObject = {};
  for (const [name, schema] of Object.entries(plugin.properties)) {
    const parameter: JsonObject = { [hot ? 'type' : 'Type']: (hot ? PARAMETER_TYPES[schema.type] : cfnType(schema.type)) ?? 'string' };
    if (schema.description) parameter[hot ? 'description' : 'Description'] = schema.description;
    if (schema.default !== undefined) parameter[hot ? 'default' : 'Default'] = schema.default;
    parameters[name] = parameter;
    properties[name] = hot ? { get_param: name } : { Ref: name };
  }
  const outputs: JsonObject = {};
  for (const [name, schema] of Object.entries(attributesOf(plugin))) {
    outputs[name] = hot
      ? { description: schema.description, value: { get_attr: [resourceName, name] } }
      : { Description: schema.description, Value: { 'Fn::GetAtt': [resourceName, name] } };
  }
  const description = `Initial template of ${type}`;
  if (hot) {
    return { heat_template_version: '2016-10-14', description, parameters, resources: { [resourceName]: { type, properties } }, outputs };
  }
  return {
    HeatTemplateFormatVersion: '2012-12-12',
    Description: description,
    Parameters: parameters,
    Resources: { [resourceName]: { Type: type, Properties: properties } },
    Outputs: outputs,
  };
}

function cfnType(type: string): string {
  return type === 'integer' || type === 'number' ? 'Number' : type === 'list' ? 'CommaDelimitedList' : type === 'map' ? 'Json' : 'String';
}

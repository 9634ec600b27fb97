/**
 * Template resources: a type backed by a template (an environment mapping
 * `My::Type: my.yaml`, or a type named `my.yaml`). Its properties are the
 * template's parameters (required where they have no default, all
 * updatable), its attributes the template's outputs, and each resource of
 * the type owns a nested stack of that template. `get_resource` gives the
 * template's `OS::stack_id` output when it has one, else the nested
 * stack's ARN.
 */
import type { Json, JsonObject } from '../../json.js';
import type { ParameterDefinition, ParameterType, ParsedTemplate } from '../../template/types.js';
import type { AttributeSchema, PropertySchema, PropertyType, ResourceContext, ResourcePlugin, ResourceState } from '../types.js';
import { heatResourceErrors } from './errors.js';
import { selectPath } from './group-members.js';
import { nestedOutput, nestedResourceAttribute, stackArn } from './nested-attributes.js';

const STACK_ID_OUTPUT = 'OS::stack_id';

const PROPERTY_TYPES: Record<ParameterType, PropertyType> = {
  string: 'string',
  number: 'number',
  comma_delimited_list: 'list',
  json: 'map',
  boolean: 'boolean',
};

/** A parameter as a property, as Heat derives it (Schema.from_parameter). */
export function parameterProperty(parameter: ParameterDefinition): PropertySchema {
  const property: PropertySchema = {
    type: PROPERTY_TYPES[parameter.type],
    required: parameter.default === undefined || parameter.default === null,
    updateAllowed: true,
    immutable: parameter.immutable,
    constraints: parameter.constraints,
  };
  if (parameter.description !== undefined) property.description = parameter.description;
  if (parameter.default !== undefined && parameter.default !== null) property.default = parameter.default;
  return property;
}

/** The nested stack's parameters: the properties that have a value. */
const childParameters = (props: JsonObject): JsonObject => Object.fromEntries(Object.entries(props).filter(([, value]) => value !== null));

async function applyTemplate(ctx: ResourceContext, template: ParsedTemplate, props: JsonObject): Promise<void> {
  const parameters = childParameters(props);
  let stackId: string;
  try {
    ({ stackId } = await ctx.nested.apply({ template: template.raw, parameters, files: ctx.stack.files, timeoutMins: ctx.stack.timeoutMins }));
  } catch (error) {
    if (ctx.resource.physicalId === null && ctx.nested.stackId !== null) await ctx.setPhysicalId(ctx.nested.stackId);
    throw error;
  }
  if (ctx.resource.physicalId === null) await ctx.setPhysicalId(stackId);
  // The reference is kept in data because `referenceId` is answered from the stored state alone.
  const reference = STACK_ID_OUTPUT in template.outputs ? (await ctx.nested.outputs())[STACK_ID_OUTPUT] : undefined;
  await ctx.setData('reference', typeof reference === 'string' ? reference : stackArn(ctx.stack.projectId, ctx.resource.physicalName, stackId));
}

export function templateResourceType(typeName: string, template: ParsedTemplate): ResourcePlugin {
  const properties = Object.fromEntries(Object.entries(template.parameters).map(([name, parameter]) => [name, parameterProperty(parameter)]));
  const attributes: Record<string, AttributeSchema> = Object.fromEntries(
    Object.entries(template.outputs).map(([name, output]) => [name, { description: output.description ?? 'No description given' }]),
  );
  const attribute = async (ctx: ResourceContext, key: string, path: Json[]): Promise<Json> => {
    if (ctx.resource.physicalId === null) return null;
    const nested = await nestedResourceAttribute(ctx, key, path);
    if (nested !== undefined) return nested;
    const output = template.outputs[key];
    if (output === undefined) throw heatResourceErrors.invalidAttribute(ctx.resource.name, key);
    // A conditional output is left to the nested stack, which knows its conditions.
    if (output.condition !== undefined) return nestedOutput(ctx, key, path);
    let value: Json;
    try {
      value = await ctx.nested.evaluate(output.value);
    } catch (error) {
      throw heatResourceErrors.templateOutputError(ctx.resource.name, key, error instanceof Error ? error.message : String(error));
    }
    return selectPath(value, path);
  };
  return {
    type: typeName,
    description: template.description ?? '',
    properties,
    attributes,
    dynamicAttributes: true,
    nestedTemplate: (props) => ({ template: template.raw, parameters: childParameters(props) }),
    create: (ctx, props) => applyTemplate(ctx, template, props),
    update: (ctx, change) => applyTemplate(ctx, template, change.properties),
    delete: (ctx) => ctx.nested.delete(),
    suspend: (ctx) => ctx.nested.suspend(),
    resume: (ctx) => ctx.nested.resume(),
    resolveAttribute: (ctx, name) => attribute(ctx, name, []),
    resolveAttributePath: attribute,
    referenceId: (resource: ResourceState) => (resource.physicalId === null ? resource.name : (resource.data.reference ?? resource.physicalId)),
  };
}

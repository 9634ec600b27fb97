/**
 * OS::Heat::SoftwareConfig, StructuredConfig and CloudConfig: immutable
 * records in the software_configs store. Any property change replaces the
 * resource (a new config, the old one deleted); the physical id, and so
 * `get_resource`, is the config's id.
 */
import { stringify } from 'yaml';
import { NotFound } from '../../../core/errors.js';
import type { Json, JsonObject } from '../../json.js';
import type { PropertySchema, ResourceContext, ResourcePlugin, SoftwareConfigInput } from '../types.js';
import { inputConfigSchema, ioList, normalInput, normalOutput, outputConfigSchema } from './software-io.js';

export const UNGROUPED = 'Heat::Ungrouped';

export const configGroupSchema: PropertySchema = {
  type: 'string',
  description:
    'Namespace to group this software config by when delivered to a server. This may imply what configuration tool is going to perform the configuration.',
  default: UNGROUPED,
};

const sharedProperties: Record<string, PropertySchema> = {
  group: configGroupSchema,
  options: { type: 'map', description: 'Map containing options specific to the configuration management tool used by this resource.' },
  inputs: {
    type: 'list',
    description: 'Schema representing the inputs that this software config is expecting.',
    schema: { '*': { type: 'map', schema: inputConfigSchema } },
  },
  outputs: {
    type: 'list',
    description: 'Schema representing the outputs that this software config will produce.',
    schema: { '*': { type: 'map', schema: outputConfigSchema } },
  },
};

const configAttribute = { config: { description: 'The config value of the software config.', type: 'string' as const } };

/** Deleting a config that is already gone is done. */
export async function deleteConfigIfPresent(ctx: ResourceContext, id: string | null): Promise<void> {
  if (id === null) return;
  try {
    await ctx.softwareConfigs.deleteConfig(ctx.caller, id);
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
  }
}

/** A config's stored `config`, null when it is gone. */
async function storedConfig(ctx: ResourceContext): Promise<Json> {
  if (ctx.resource.physicalId === null) return null;
  try {
    return (await ctx.softwareConfigs.getConfig(ctx.caller, ctx.resource.physicalId)).config;
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

type ConfigContent = Omit<SoftwareConfigInput, 'name'>;

/** A config type: `build` turns the properties into the record to store. */
export function configType(
  type: string,
  description: string,
  version: string,
  properties: Record<string, PropertySchema>,
  build: (props: JsonObject, ctx: ResourceContext) => Promise<ConfigContent> | ConfigContent,
): ResourcePlugin {
  return {
    type,
    description,
    properties,
    attributes: configAttribute,
    supportStatus: { status: 'SUPPORTED', version },
    async create(ctx, props) {
      if (ctx.resource.physicalId !== null) return;
      const record = await ctx.softwareConfigs.createConfig(ctx.caller, { ...(await build(props, ctx)), name: ctx.resource.physicalName });
      await ctx.setPhysicalId(record.id);
    },
    async delete(ctx) {
      await deleteConfigIfPresent(ctx, ctx.resource.physicalId);
    },
    async resolveAttribute(ctx, name) {
      return name === 'config' ? storedConfig(ctx) : null;
    },
  };
}

function fromProperties(props: JsonObject): ConfigContent {
  return {
    group: typeof props.group === 'string' ? props.group : UNGROUPED,
    config: props.config ?? null,
    options: typeof props.options === 'object' && props.options !== null && !Array.isArray(props.options) ? props.options : {},
    inputs: ioList(props.inputs).map((input) => normalInput(input)),
    outputs: ioList(props.outputs).map(normalOutput),
  };
}

export const softwareConfig = configType(
  'OS::Heat::SoftwareConfig',
  'A resource for describing and storing software configuration.',
  '2014.1',
  {
    ...sharedProperties,
    config: { type: 'string', description: 'Configuration script or manifest which specifies what actual configuration is performed.' },
  },
  fromProperties,
);

export const structuredConfig = configType(
  'OS::Heat::StructuredConfig',
  'A resource which has same logic with OS::Heat::SoftwareConfig.',
  '2014.1',
  {
    ...sharedProperties,
    config: { type: 'map', description: 'Map representing the configuration data structure which will be serialized to JSON format.' },
  },
  fromProperties,
);

export const cloudConfig = configType(
  'OS::Heat::CloudConfig',
  'A configuration resource for representing cloud-init cloud-config.',
  '2014.1',
  { cloud_config: { type: 'map', description: 'Map representing the cloud-config data structure which will be formatted as YAML.' } },
  (props) => ({
    group: UNGROUPED,
    config: `#cloud-config\n${stringify(props.cloud_config ?? {})}`,
    options: {},
    inputs: [],
    outputs: [],
  }),
);

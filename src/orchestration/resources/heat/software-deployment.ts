/**
 * OS::Heat::SoftwareDeployment and OS::Heat::StructuredDeployment: a config
 * applied to a server. For each lifecycle action in `actions` the resource
 * stores a derived config and points its deployment record at it, then
 * waits IN_PROGRESS until the server signals outputs (the resource's
 * signal, or a PUT on the software_deployments API); NO_SIGNAL completes at
 * once. Aborting the wait (stack timeout, cancel) marks the deployment
 * FAILED, "Deployment cancelled.", as Heat's cancel does.
 */
import { NotFound } from '../../../core/errors.js';
import type { JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { PropertySchema, ResourceContext, ResourcePlugin, SoftwareDeploymentRecord } from '../types.js';
import { deploymentSignalOutcome, STANDARD_OUTPUTS } from './deployment-records.js';
import { derivedConfig, derivedInputs, NO_CONFIG, type SourceConfig } from './deployment-derived.js';
import { heatResourceErrors } from './errors.js';
import { deleteConfigIfPresent } from './software-config.js';
import { ioList } from './software-io.js';
import { pollUntil } from './wait.js';

const SIGNAL_TRANSPORTS = ['CFN_SIGNAL', 'TEMP_URL_SIGNAL', 'HEAT_SIGNAL', 'NO_SIGNAL', 'ZAQAR_SIGNAL'];
/** Transports needing a stack user, a Swift temp URL or a Zaqar queue per deployment, none of which this cloud creates. */
const UNSUPPORTED_TRANSPORTS = ['TEMP_URL_SIGNAL', 'HEAT_SIGNAL', 'ZAQAR_SIGNAL'];
const DEPLOY_ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'SUSPEND', 'RESUME'];

/** The properties a deployment and a deployment group share. */
export const deploymentProperties: Record<string, PropertySchema> = {
  config: { type: 'string', description: 'ID of software configuration resource to execute when applying to the server.', updateAllowed: true },
  input_values: { type: 'map', description: 'Input values to apply to the software configuration on this server.', updateAllowed: true },
  actions: {
    type: 'list',
    description: 'Which lifecycle actions of the deployment resource will result in this deployment being triggered.',
    updateAllowed: true,
    default: ['CREATE', 'UPDATE'],
    constraints: [{ allowed_values: DEPLOY_ACTIONS }],
  },
  name: {
    type: 'string',
    description:
      'Name of the derived config associated with this deployment. This is used to apply a sort order to the list of configurations currently deployed to a server.',
    updateAllowed: true,
  },
  signal_transport: {
    type: 'string',
    description:
      'How the server should signal to heat with the deployment output values. CFN_SIGNAL will allow an HTTP POST to a CFN keypair signed URL. TEMP_URL_SIGNAL will create a Swift TempURL to be signaled via HTTP PUT. HEAT_SIGNAL will allow calls to the Heat API resource-signal using the provided keystone credentials. ZAQAR_SIGNAL will create a dedicated zaqar queue to be signaled using the provided keystone credentials. NO_SIGNAL will result in the resource going to the COMPLETE state without waiting for any signal.',
    default: 'CFN_SIGNAL',
    constraints: [{ allowed_values: SIGNAL_TRANSPORTS }],
  },
};

/** The properties structured deployments add. */
export const structuredProperties: Record<string, PropertySchema> = {
  input_key: { type: 'string', description: 'Name of key to use for substituting inputs during deployment.', default: 'get_input' },
  input_values_validate: {
    type: 'string',
    description:
      'Perform a check on the input values passed to verify that each required input has a corresponding value. When the property is set to STRICT and no value is passed, an exception is raised.',
    default: 'LAX',
    constraints: [{ allowed_values: ['LAX', 'STRICT'] }],
  },
};

export async function validateTransport(props: JsonObject): Promise<void> {
  const transport = String(props.signal_transport ?? 'CFN_SIGNAL');
  if (UNSUPPORTED_TRANSPORTS.includes(transport)) {
    throw heatResourceErrors.stackValidation(
      `signal_transport ${transport} is not supported: this cloud creates no stack users, Swift temp URLs or Zaqar queues for signals.`,
    );
  }
}

async function sourceConfig(ctx: ResourceContext, configId: unknown): Promise<SourceConfig> {
  if (typeof configId !== 'string' || configId === '') return NO_CONFIG;
  const record = await ctx.softwareConfigs.getConfig(ctx.caller, configId);
  return {
    name: record.name,
    group: record.group,
    config: record.config,
    inputs: ioList(record.inputs),
    outputs: ioList(record.outputs),
    options: record.options,
  };
}

async function currentDeployment(ctx: ResourceContext): Promise<SoftwareDeploymentRecord | null> {
  if (ctx.resource.physicalId === null) return null;
  try {
    return await ctx.softwareConfigs.getDeployment(ctx.caller, ctx.resource.physicalId);
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

/** Waits for the server's outcome; an aborted wait leaves the deployment FAILED rather than IN_PROGRESS forever. */
async function awaitOutcome(ctx: ResourceContext, id: string): Promise<void> {
  try {
    await pollUntil(ctx.signal, async () => {
      const deployment = await ctx.softwareConfigs.getDeployment(ctx.caller, id);
      if (deployment.status === 'FAILED') throw heatResourceErrors.deploymentFailed(deployment.statusReason);
      return deployment.status === 'COMPLETE';
    });
  } catch (error) {
    if (ctx.signal.aborted) {
      const deployment = await ctx.softwareConfigs.getDeployment(ctx.caller, id).catch(() => null);
      if (deployment?.status === 'IN_PROGRESS')
        await ctx.softwareConfigs.updateDeployment(ctx.caller, id, { status: 'FAILED', statusReason: 'Deployment cancelled.' });
    }
    throw error;
  }
}

/** Runs one lifecycle action: a fresh derived config, the deployment pointed at it, then the wait. */
async function deploy(ctx: ResourceContext, props: JsonObject, action: string, structured: boolean): Promise<void> {
  const actions = Array.isArray(props.actions) ? props.actions : ['CREATE', 'UPDATE'];
  if (!actions.includes(action)) return;
  const existing = await currentDeployment(ctx);
  // A create retried after a crash finds its deployment already out and only waits again.
  if (existing !== null && existing.action === action && existing.status === 'IN_PROGRESS') return awaitOutcome(ctx, existing.id);
  const derived = await ctx.softwareConfigs.createConfig(
    ctx.caller,
    await derivedConfig(ctx, props, action, await sourceConfig(ctx, props.config), { structured }),
  );
  const noSignal = props.signal_transport === 'NO_SIGNAL';
  const state = {
    configId: derived.id,
    action,
    status: noSignal ? ('COMPLETE' as const) : ('IN_PROGRESS' as const),
    statusReason: noSignal ? 'Not waiting for outputs signal' : 'Deploy data available',
    inputValues: isJsonObject(props.input_values ?? null) ? (props.input_values as JsonObject) : {},
  };
  let id: string;
  if (existing === null) {
    const created = await ctx.softwareConfigs.createDeployment(ctx.caller, { ...state, serverId: String(props.server ?? ''), outputValues: {} });
    id = created.id;
    await ctx.setPhysicalId(id);
  } else {
    id = existing.id;
    await ctx.softwareConfigs.updateDeployment(ctx.caller, id, state);
    await deleteConfigIfPresent(ctx, existing.configId);
  }
  await ctx.setData('properties', JSON.stringify(props));
  if (!noSignal) await awaitOutcome(ctx, id);
}

/** Delete, suspend and resume receive no properties: they run with those of the last create or update. */
async function deployStoredAction(ctx: ResourceContext, action: string, structured: boolean): Promise<void> {
  const stored = ctx.resource.data.properties;
  if (stored === undefined) return;
  try {
    await deploy(ctx, JSON.parse(stored) as JsonObject, action, structured);
  } catch (error) {
    // The config may be gone by now (deleted earlier in the same stack delete): nothing left to deploy.
    if (!(error instanceof NotFound)) throw error;
  }
}

/**
 * Whether an input its config marks `replace_on_change` gets another value
 * than the deployed one (Heat compares the new derived inputs with those of
 * the derived config in place, by name).
 */
async function changedReplacingInput(ctx: ResourceContext, props: JsonObject): Promise<boolean> {
  const deployment = await currentDeployment(ctx);
  if (deployment === null) return false;
  const deployed = await ctx.softwareConfigs.getConfig(ctx.caller, deployment.configId).catch((error: unknown) => {
    if (error instanceof NotFound) return null;
    throw error;
  });
  if (deployed === null) return false;
  const before = new Map(ioList(deployed.inputs).map((input) => [String(input.name), JSON.stringify(input.value ?? null)]));
  const next = await derivedInputs(ctx, props, 'UPDATE', await sourceConfig(ctx, props.config));
  return next.some((input) => {
    const previous = before.get(String(input.name));
    return input.replace_on_change === true && previous !== undefined && previous !== JSON.stringify(input.value ?? null);
  });
}

export function deploymentType(type: string, description: string, structured: boolean): ResourcePlugin {
  return {
    type,
    description,
    properties: {
      config: deploymentProperties.config as PropertySchema,
      server: { type: 'string', description: 'ID of resource to apply configuration to. Normally this should be a Nova server ID.', required: true },
      ...Object.fromEntries(Object.entries(deploymentProperties).filter(([name]) => name !== 'config')),
      ...(structured ? structuredProperties : {}),
    },
    attributes: {
      deploy_stdout: { description: 'Captured stdout from the configuration execution.', type: 'string' },
      deploy_stderr: { description: 'Captured stderr from the configuration execution.', type: 'string' },
      deploy_status_code: { description: 'Returned status code from the configuration execution.', type: 'string' },
    },
    dynamicAttributes: true,
    supportStatus: { status: 'SUPPORTED', version: '2014.1' },
    validate: validateTransport,

    create: (ctx, props) => deploy(ctx, props, 'CREATE', structured),
    update: (ctx, change) => deploy(ctx, change.properties, 'UPDATE', structured),
    replacesOnUpdate: (ctx, change) => changedReplacingInput(ctx, change.properties),
    suspend: (ctx) => deployStoredAction(ctx, 'SUSPEND', structured),
    resume: (ctx) => deployStoredAction(ctx, 'RESUME', structured),

    async delete(ctx) {
      await deployStoredAction(ctx, 'DELETE', structured);
      const deployment = await currentDeployment(ctx);
      if (deployment === null) return;
      try {
        await ctx.softwareConfigs.deleteDeployment(ctx.caller, deployment.id);
      } catch (error) {
        if (!(error instanceof NotFound)) throw error;
      }
      await deleteConfigIfPresent(ctx, deployment.configId);
    },

    async signal(ctx, details) {
      const deployment = await currentDeployment(ctx);
      if (deployment === null) return;
      const config = await ctx.softwareConfigs.getConfig(ctx.caller, deployment.configId);
      const outcome = deploymentSignalOutcome(deployment, config, details);
      if (outcome !== null) await ctx.softwareConfigs.updateDeployment(ctx.caller, deployment.id, outcome);
    },

    /** The standard attributes and any output of the config, from the deployment's output values. */
    async resolveAttribute(ctx, name) {
      const deployment = await currentDeployment(ctx);
      if (deployment === null) return null;
      const value = deployment.outputValues[name];
      if (value !== undefined) return value;
      if ((STANDARD_OUTPUTS as readonly string[]).includes(name)) return null;
      const config = await ctx.softwareConfigs.getConfig(ctx.caller, deployment.configId).catch(() => null);
      if (config !== null && !ioList(config.outputs).some((output) => output.name === name)) throw heatResourceErrors.invalidAttribute(ctx.resource.name, name);
      return null;
    },
  };
}

export const softwareDeployment = deploymentType('OS::Heat::SoftwareDeployment', 'This resource associates a server with some configuration.', false);
export const structuredDeployment = deploymentType(
  'OS::Heat::StructuredDeployment',
  'A resource which has same logic with OS::Heat::SoftwareDeployment.',
  true,
);

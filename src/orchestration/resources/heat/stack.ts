/**
 * OS::Heat::Stack: a stack from an inline template, owned by this
 * resource. Only this cloud's own region is served: a `context` naming a
 * remote cloud (credential_secret_id) fails validation as Heat's does when
 * it cannot reach the endpoint.
 */
import type { Json, JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import { parseTemplate } from '../../template/index.js';
import type { ResourceContext, ResourcePlugin } from '../types.js';
import { heatResourceErrors } from './errors.js';
import { nestedOutput } from './nested-attributes.js';

/** The inline template as an object, after the template room's parse (Heat's 400s for a bad one). */
function templateObject(text: Json | undefined): JsonObject {
  return parseTemplate(typeof text === 'string' ? text : isJsonObject(text ?? null) ? (text as JsonObject) : '').raw;
}

const stackParameters = (props: JsonObject): JsonObject => (isJsonObject(props.parameters ?? null) ? (props.parameters as JsonObject) : {});

async function applyStack(ctx: ResourceContext, props: JsonObject): Promise<void> {
  const parameters = stackParameters(props);
  try {
    const { stackId } = await ctx.nested.apply({
      template: templateObject(props.template),
      parameters,
      timeoutMins: typeof props.timeout === 'number' ? props.timeout : ctx.stack.timeoutMins,
    });
    if (ctx.resource.physicalId === null) await ctx.setPhysicalId(stackId);
  } catch (error) {
    if (ctx.resource.physicalId === null && ctx.nested.stackId !== null) await ctx.setPhysicalId(ctx.nested.stackId);
    throw error;
  }
}

export const stackResource: ResourcePlugin = {
  type: 'OS::Heat::Stack',
  description: 'A Resource representing a stack.',
  properties: {
    context: {
      type: 'map',
      description: 'Context for this stack.',
      updateAllowed: true,
      schema: {
        region_name: { type: 'string', description: 'Region name in which this stack will be created.', required: false },
        credential_secret_id: {
          type: 'string',
          description: 'A Barbican secret ID. The Barbican secret should contain an OpenStack credential that can be used to access a remote cloud.',
          required: false,
          updateAllowed: true,
          supportStatus: { status: 'SUPPORTED', version: '12.0.0' },
        },
        ca_cert: {
          type: 'string',
          description: 'CA Cert for SSL.',
          required: false,
          updateAllowed: true,
          supportStatus: { status: 'SUPPORTED', version: '12.0.0' },
        },
        insecure: {
          type: 'boolean',
          description: "If set, then the server's certificate will not be verified.",
          default: false,
          required: false,
          updateAllowed: true,
          supportStatus: { status: 'SUPPORTED', version: '12.0.0' },
        },
      },
    },
    template: { type: 'string', description: 'Template that specifies the stack to be created as a resource.', required: true, updateAllowed: true },
    timeout: { type: 'integer', description: 'Number of minutes to wait for this stack creation.', updateAllowed: true },
    parameters: { type: 'map', description: 'Set of parameters passed to this stack.', default: {}, updateAllowed: true },
  },
  attributes: {
    stack_name: { description: 'Name of the stack.', type: 'string' },
    outputs: { description: 'A dict of key-value pairs output from the stack.', type: 'map' },
  },
  supportStatus: { status: 'SUPPORTED', version: '2014.2' },

  async validate(props) {
    const context = isJsonObject(props.context ?? null) ? (props.context as JsonObject) : {};
    if (typeof context.credential_secret_id === 'string' && context.credential_secret_id !== '') {
      throw heatResourceErrors.stackValidation(
        'Cannot establish connection to Heat endpoint at remote cloud due to "remote clouds are not supported by this cloud"',
      );
    }
    templateObject(props.template);
  },

  nestedTemplate: (props) => ({ template: templateObject(props.template), parameters: stackParameters(props) }),
  create: applyStack,
  update: (ctx, change) => applyStack(ctx, change.properties),
  delete: (ctx) => ctx.nested.delete(),
  suspend: (ctx) => ctx.nested.suspend(),
  resume: (ctx) => ctx.nested.resume(),

  async resolveAttribute(ctx, name) {
    if (ctx.resource.physicalId === null) return null;
    // The owned stack is named after this resource's physical name, as Heat names it.
    if (name === 'stack_name') return ctx.resource.physicalName;
    if (name === 'outputs') return ctx.nested.outputs();
    return nestedOutput(ctx, name, []);
  },
};

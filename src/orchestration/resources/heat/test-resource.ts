/**
 * OS::Heat::TestResource: Heat's knob-driven type for testing stacks. It
 * stores `value`, waits `wait_secs` (or the action's own entry in
 * `action_wait_secs`) after each action, fails create and update when
 * `fail` is true, and is replaced when `value` changes with
 * `update_replace: true`.
 */
import type { JsonObject } from '../../json.js';
import type { PropertyChange, PropertySchema, ResourceContext, ResourcePlugin } from '../types.js';
import { heatResourceErrors, ResourceFailure } from './errors.js';
import { waitSeconds } from './wait.js';

type TimedAction = 'create' | 'update' | 'delete';

const actionWait = (action: TimedAction): PropertySchema => ({
  type: 'number',
  description: `Seconds to wait after ${action === 'create' ? 'a create' : `an ${action}`}. Defaults to the global wait_secs.`,
  updateAllowed: true,
});

const properties: Record<string, PropertySchema> = {
  constraint_prop_secs: {
    type: 'number',
    description: 'Number value for delay during resolve constraint.',
    default: 0,
    updateAllowed: true,
    constraints: [{ custom_constraint: 'test_constr' }],
    supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
  },
  attr_wait_secs: {
    type: 'number',
    description: 'Number value for timeout during resolving output value.',
    default: 0,
    updateAllowed: true,
    supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
  },
  value: { type: 'string', description: 'The input string to be stored.', default: 'test_string', updateAllowed: true },
  update_replace_value: {
    type: 'string',
    description: 'Some value that can be stored but can not be updated.',
    supportStatus: { status: 'SUPPORTED', version: '7.0.0' },
  },
  fail: {
    type: 'boolean',
    description: 'Value which can be set to fail the resource operation to test failure scenarios.',
    updateAllowed: true,
    default: false,
  },
  update_replace: {
    type: 'boolean',
    description: 'Value which can be set to trigger update replace for the particular resource.',
    updateAllowed: true,
    default: false,
  },
  wait_secs: { type: 'number', description: 'Seconds to wait after an action (-1 is infinite).', updateAllowed: true, default: 0 },
  action_wait_secs: {
    type: 'map',
    description: 'Options for simulating waiting.',
    updateAllowed: true,
    schema: { create: actionWait('create'), update: actionWait('update'), delete: actionWait('delete') },
  },
  client_name: { type: 'string', description: 'Client to poll.', default: '', updateAllowed: true },
  entity_name: { type: 'string', description: 'Client entity to poll.', default: '', updateAllowed: true },
};

function secondsFor(props: JsonObject, action: TimedAction): number {
  const perAction = props.action_wait_secs;
  const own = typeof perAction === 'object' && perAction !== null && !Array.isArray(perAction) ? perAction[action] : undefined;
  return typeof own === 'number' ? own : Number(props.wait_secs ?? 0);
}

/** Waits as the action's knobs say, then fails create and update (never delete) when `fail` is set. */
async function finish(ctx: ResourceContext, props: JsonObject, action: TimedAction, seconds: number): Promise<void> {
  await waitSeconds(ctx.signal, seconds);
  if (props.fail === true && action !== 'delete') throw heatResourceErrors.testResourceFailed(ctx.resource.name);
}

export const testResource: ResourcePlugin = {
  type: 'OS::Heat::TestResource',
  description: 'A resource which stores the string value that was provided.',
  properties,
  attributes: { output: { description: 'The string that was stored. This value is also available by referencing the resource.' } },
  supportStatus: { status: 'SUPPORTED', version: '5.0.0' },

  async create(ctx, props) {
    await rememberKnobs(ctx, props);
    if (props.fail !== true) {
      await ctx.setData('value', String(props.value ?? 'test_string'));
      await ctx.setPhysicalId(ctx.resource.physicalName);
    }
    await finish(ctx, props, 'create', secondsFor(props, 'create'));
  },

  /** A changed `value` replaces when `update_replace` is set; a changed `update_replace_value` always replaces. */
  needsReplace(change: PropertyChange) {
    if (change.changed.some((name) => properties[name]?.updateAllowed !== true)) return true;
    return change.changed.includes('value') && change.properties.update_replace === true;
  },

  async update(ctx, change) {
    await rememberKnobs(ctx, change.properties);
    const valueChanged = change.changed.includes('value') && typeof change.properties.value === 'string' && change.properties.value !== '';
    if (valueChanged && change.properties.fail !== true) await ctx.setData('value', String(change.properties.value));
    await finish(ctx, change.properties, 'update', valueChanged ? secondsFor(change.properties, 'update') : 0);
  },

  async delete(ctx) {
    await waitSeconds(ctx.signal, secondsFor(storedKnobs(ctx), 'delete'));
  },

  async check(ctx) {
    if (ctx.resource.physicalId === null) throw new ResourceFailure('Resource not created', { type: 'Exception' });
  },

  async resolveAttribute(ctx, name) {
    await waitSeconds(ctx.signal, Number(storedKnobs(ctx).attr_wait_secs ?? 0));
    return name === 'output' ? (ctx.resource.data.value ?? null) : null;
  },
};

/**
 * The timing knobs of the last create or update, kept in resource data
 * because delete and attribute reads receive no properties.
 */
async function rememberKnobs(ctx: ResourceContext, props: JsonObject): Promise<void> {
  const knobs = { wait_secs: props.wait_secs ?? 0, action_wait_secs: props.action_wait_secs ?? null, attr_wait_secs: props.attr_wait_secs ?? 0 };
  await ctx.setData('knobs', JSON.stringify(knobs));
}

function storedKnobs(ctx: ResourceContext): JsonObject {
  const stored = ctx.resource.data.knobs;
  return stored === undefined ? {} : (JSON.parse(stored) as JsonObject);
}

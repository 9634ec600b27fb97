/**
 * OS::Heat::ScalingPolicy: a signal (an alarm, or a user's
 * `stack resource signal`) adjusts its AutoScalingGroup in the same stack
 * by `scaling_adjustment` of `adjustment_type`. An alarm state other than
 * "alarm" does nothing.
 */
import { BadRequest, NotFound } from '../../../core/errors.js';
import type { JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { ResourceContext, ResourcePlugin } from '../types.js';
import { ADJUSTMENT_TYPES } from './scaling.js';
import { storedCfnSignalUrl } from './signal-url.js';

async function groupName(ctx: ResourceContext, reference: string): Promise<string> {
  const group = (await ctx.siblingByReference?.(reference)) ?? (await ctx.sibling(reference));
  if (group === null) throw new NotFound(`Alarm ${ctx.resource.name} could not find scaling group named "${reference}"`);
  return group.name;
}

function storedPolicy(ctx: ResourceContext): JsonObject {
  const stored = ctx.resource.data.policy;
  return stored === undefined ? {} : (JSON.parse(stored) as JsonObject);
}

export const scalingPolicy: ResourcePlugin = {
  type: 'OS::Heat::ScalingPolicy',
  description: 'A resource to manage scaling of `OS::Heat::AutoScalingGroup`.',
  properties: {
    auto_scaling_group_id: { type: 'string', description: 'AutoScaling group ID to apply policy to.', required: true },
    scaling_adjustment: { type: 'number', description: 'Size of adjustment.', required: true, updateAllowed: true },
    adjustment_type: {
      type: 'string',
      description: 'Type of adjustment (absolute or percentage).',
      required: true,
      constraints: [{ allowed_values: ADJUSTMENT_TYPES }],
      updateAllowed: true,
    },
    cooldown: { type: 'number', description: 'Cooldown period, in seconds.', updateAllowed: true },
    min_adjustment_step: {
      type: 'integer',
      description:
        'Minimum number of resources that are added or removed when the AutoScaling group scales up or down. This can be used only when specifying percent_change_in_capacity for the adjustment_type property.',
      constraints: [{ range: { min: 0 } }],
      updateAllowed: true,
    },
  },
  attributes: {
    alarm_url: { description: 'A signed url to handle the alarm.', type: 'string' },
    signal_url: { description: 'A url to handle the alarm using native API.', type: 'string' },
  },
  supportStatus: { status: 'SUPPORTED', version: '2014.1' },

  async validate(props) {
    if (props.adjustment_type !== 'percent_change_in_capacity' && props.min_adjustment_step !== undefined && props.min_adjustment_step !== null) {
      throw new BadRequest('min_adjustment_step property should only be specified for adjustment_type with value percent_change_in_capacity.', {
        type: 'ResourcePropertyValueDependency',
      });
    }
  },

  async create(ctx, props) {
    await ctx.setData('policy', JSON.stringify(props));
    await ctx.setPhysicalId(ctx.resource.physicalName);
  },

  async update(ctx, change) {
    await ctx.setData('policy', JSON.stringify(change.properties));
  },

  async delete() {},

  async resolveAttribute(ctx, name) {
    if (ctx.resource.physicalId === null) return null;
    if (name === 'alarm_url') return storedCfnSignalUrl(ctx);
    if (name === 'signal_url') return ctx.signalUrls.heat();
    return null;
  },

  async signal(ctx, details) {
    const body = isJsonObject(details) ? details : {};
    const state = String(body.current ?? body.state ?? 'alarm').toLowerCase();
    if (state !== 'alarm') return;
    const policy = storedPolicy(ctx);
    const group = await groupName(ctx, String(policy.auto_scaling_group_id ?? ''));
    await ctx.invokeSibling(group, 'adjust', {
      adjustment: policy.scaling_adjustment ?? 0,
      adjustment_type: policy.adjustment_type ?? 'change_in_capacity',
      min_adjustment_step: policy.min_adjustment_step ?? null,
      cooldown: policy.cooldown ?? null,
    });
  },
};

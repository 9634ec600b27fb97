/**
 * OS::Heat::AutoScalingGroup: `desired_capacity` (else `min_size`) copies
 * of `resource` in a nested stack, under randomly named members as in
 * Heat. Scaling policies resize it through `invoke(ctx, 'adjust', ...)`;
 * a resize is refused (no action) while the group cools down.
 */
import { randomInt } from 'node:crypto';
import type { Json, JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { PropertySchema, ResourceContext, ResourcePlugin } from '../types.js';
import { heatResourceErrors } from './errors.js';
import { applyMembers, groupTemplate, memberAttrs, memberKey, memberNames, memberNotFound, memberRefs, zipMap } from './group-members.js';
import { newCapacity } from './scaling.js';
import { nowMs } from '../../../core/time.js';

const properties: Record<string, PropertySchema> = {
  resource: {
    type: 'map',
    description:
      'Resource definition for the resources in the group, in HOT format. The value of this property is the definition of a resource just as if it had been declared in the template itself.',
    required: true,
    updateAllowed: true,
  },
  max_size: {
    type: 'integer',
    description: 'Maximum number of resources in the group.',
    required: true,
    updateAllowed: true,
    constraints: [{ range: { min: 0 } }],
  },
  min_size: {
    type: 'integer',
    description: 'Minimum number of resources in the group.',
    required: true,
    updateAllowed: true,
    constraints: [{ range: { min: 0 } }],
  },
  cooldown: { type: 'integer', description: 'Cooldown period, in seconds.', updateAllowed: true },
  desired_capacity: { type: 'integer', description: 'Desired initial number of resources.', updateAllowed: true },
  rolling_updates: {
    type: 'map',
    description: 'Policy for rolling updates for this scaling group.',
    updateAllowed: true,
    schema: {
      min_in_service: {
        type: 'integer',
        description: 'The minimum number of resources in service while rolling updates are being executed.',
        constraints: [{ range: { min: 0 } }],
        default: 0,
      },
      max_batch_size: { type: 'integer', description: 'The maximum number of resources to replace at once.', constraints: [{ range: { min: 1 } }], default: 1 },
      pause_time: {
        type: 'number',
        description: 'The number of seconds to wait between batches of updates.',
        constraints: [{ range: { min: 0 } }],
        default: 0,
      },
    },
    default: { min_in_service: 0, max_batch_size: 1, pause_time: 0 },
  },
};

/** Heat names scaled members with short random ids. */
function memberName(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The members for `capacity`: shrinking drops the oldest first, as Heat does; growing adds fresh names. */
function resized(names: string[], capacity: number): string[] {
  if (capacity <= names.length) return names.slice(names.length - capacity);
  return [...names, ...Array.from({ length: capacity - names.length }, memberName)];
}

function memberResource(props: JsonObject): JsonObject {
  return isJsonObject(props.resource ?? null) ? (props.resource as JsonObject) : {};
}

async function applyCapacity(ctx: ResourceContext, props: JsonObject, capacity: number): Promise<void> {
  const member = memberResource(props);
  await ctx.setData('group', JSON.stringify({ resource: member, min_size: props.min_size, max_size: props.max_size, cooldown: props.cooldown ?? null }));
  await applyMembers(
    ctx,
    resized(memberNames(ctx), capacity).map((name) => [name, member]),
  );
}

const initialCapacity = (props: JsonObject) => Number(props.desired_capacity ?? props.min_size ?? 0);

function storedGroup(ctx: ResourceContext): JsonObject {
  const stored = ctx.resource.data.group;
  return stored === undefined ? {} : (JSON.parse(stored) as JsonObject);
}

async function adjust(ctx: ResourceContext, args: Json): Promise<Json> {
  const request = isJsonObject(args) ? args : {};
  const group = storedGroup(ctx);
  const current = memberNames(ctx).length;
  const capacity = newCapacity(
    current,
    {
      adjustment: Number(request.adjustment ?? 0),
      adjustmentType: String(request.adjustment_type ?? 'change_in_capacity'),
      minAdjustmentStep: typeof request.min_adjustment_step === 'number' ? request.min_adjustment_step : null,
    },
    Number(group.min_size ?? 0),
    Number(group.max_size ?? current),
  );
  if (capacity === current) return { adjusted: false, reason: 'no change in capacity' };
  const cooldownEnd = Number(ctx.resource.data.cooldown_end ?? 0);
  if (nowMs() < cooldownEnd) return { adjusted: false, reason: 'due to cooldown, cooldown' };
  await applyCapacity(ctx, group, capacity);
  const cooldown = Number(request.cooldown ?? group.cooldown ?? 0);
  await ctx.setData('cooldown_end', String(nowMs() + cooldown * 1000));
  return { adjusted: true, capacity };
}

async function groupAttribute(ctx: ResourceContext, key: string, path: Json[]): Promise<Json> {
  const names = memberNames(ctx);
  if (key === 'current_size') return names.length;
  if (key === 'refs') return memberRefs(ctx, names);
  if (key === 'refs_map') return zipMap(names, await memberRefs(ctx, names));
  if ((key === 'outputs' || key === 'outputs_list') && path.length > 0) {
    const values = await memberAttrs(ctx, names, path);
    return key === 'outputs' ? zipMap(names, values) : values;
  }
  const member = memberKey(key);
  if (member !== null) {
    // `resource.<n>` counts members in order, as Heat's group does.
    const name = names[Number(member.member)];
    if (name === undefined || !/^\d+$/.test(member.member)) throw memberNotFound(member.member, ctx.resource.name);
    const attrPath = member.attribute === null ? path : [member.attribute, ...path];
    return attrPath.length === 0 ? ((await memberRefs(ctx, [name]))[0] ?? null) : ((await memberAttrs(ctx, [name], attrPath))[0] ?? null);
  }
  throw heatResourceErrors.invalidAttribute(ctx.resource.name, key);
}

export const autoScalingGroup: ResourcePlugin = {
  type: 'OS::Heat::AutoScalingGroup',
  description: 'An autoscaling group that can scale arbitrary resources.',
  properties,
  attributes: {
    outputs: {
      description:
        'A map of resource names to the specified attribute of each individual resource that is part of the AutoScalingGroup. This map specifies output parameters that are available once the AutoScalingGroup has been instantiated.',
      type: 'map',
    },
    outputs_list: {
      description:
        'A list of the specified attribute of each individual resource that is part of the AutoScalingGroup. This list of attributes is available as an output once the AutoScalingGroup has been instantiated.',
      type: 'list',
    },
    current_size: { description: 'The current size of AutoscalingResourceGroup.', type: 'integer' },
    refs: { description: 'A list of resource IDs for the resources in the group.', type: 'list' },
    refs_map: { description: 'A map of resource names to IDs for the resources in the group.', type: 'map' },
  },
  dynamicAttributes: true,
  supportStatus: { status: 'SUPPORTED', version: '2014.1' },

  async validate(props) {
    const min = Number(props.min_size);
    const max = Number(props.max_size);
    if (min > max) throw heatResourceErrors.stackValidation('MinSize can not be greater than MaxSize');
    const desired = props.desired_capacity;
    if (typeof desired === 'number' && (desired < min || desired > max))
      throw heatResourceErrors.stackValidation('DesiredCapacity must be between MinSize and MaxSize');
  },

  nestedTemplate: (props) => ({
    template: groupTemplate(resized([], initialCapacity(props)).map((name) => [name, memberResource(props)])),
    parameters: {},
  }),
  create: (ctx, props) => applyCapacity(ctx, props, initialCapacity(props)),

  /** A new desired_capacity wins; otherwise the current size, brought within the new bounds. */
  async update(ctx, change) {
    const props = change.properties;
    const current = memberNames(ctx).length;
    const wanted = change.changed.includes('desired_capacity') && typeof props.desired_capacity === 'number' ? props.desired_capacity : current;
    await applyCapacity(ctx, props, Math.min(Number(props.max_size), Math.max(Number(props.min_size), wanted)));
  },

  delete: (ctx) => ctx.nested.delete(),
  suspend: (ctx) => ctx.nested.suspend(),
  resume: (ctx) => ctx.nested.resume(),
  resolveAttribute: (ctx, name) => groupAttribute(ctx, name, []),
  resolveAttributePath: groupAttribute,

  async invoke(ctx, method, args) {
    if (method !== 'adjust') throw heatResourceErrors.stackValidation(`OS::Heat::AutoScalingGroup has no method ${method}`);
    return adjust(ctx, args);
  },
};

/**
 * OS::Aodh::GnocchiResourcesAlarm, GnocchiAggregationByMetricsAlarm,
 * GnocchiAggregationByResourcesAlarm and CompositeAlarm: one Aodh alarm each,
 * named after the resource, its type's own properties gathered into the
 * `<type>_rule` as Heat does, updated in place and disabled on suspend.
 * alarm_actions may be a ScalingPolicy's `alarm_url` (a pre-signed URL the
 * evaluator's webhook can post to).
 */
import type { AlarmingOperations } from '../../../../alarming/operations.js';
import type { JsonObject } from '../../../json.js';
import type { PropertySchema, ResourceContext, ResourcePlugin } from '../../types.js';
import { allowed, boolean, integer, list, listOf, map, number, range, string, stringList } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { door, strings, text } from '../support.js';

const aodh = (ctx: ResourceContext): AlarmingOperations => door(ctx.services, 'alarming');

const COMMON_PROPERTIES: Record<string, PropertySchema> = {
  description: string('Description for the alarm.', { updateAllowed: true }),
  enabled: boolean('True if alarm evaluation/actioning is enabled.', { default: true, updateAllowed: true }),
  alarm_actions: stringList('A list of URLs (webhooks) to invoke when state transitions to alarm.', { updateAllowed: true }),
  ok_actions: stringList('A list of URLs (webhooks) to invoke when state transitions to ok.', { updateAllowed: true }),
  insufficient_data_actions: stringList('A list of URLs (webhooks) to invoke when state transitions to insufficient-data.', { updateAllowed: true }),
  alarm_queues: stringList('A list of Zaqar queues to post to when state transitions to alarm.', { default: [], updateAllowed: true }),
  ok_queues: stringList('A list of Zaqar queues to post to when state transitions to ok.', { default: [], updateAllowed: true }),
  insufficient_data_queues: stringList('A list of Zaqar queues to post to when state transitions to insufficient-data.', { default: [], updateAllowed: true }),
  repeat_actions: boolean(
    "False to trigger actions when the threshold is reached AND the alarm's state has changed. By default, actions are called each time the threshold is reached.",
    { default: true, updateAllowed: true },
  ),
  severity: string('Severity of the alarm.', { default: 'low', constraints: [allowed('low', 'moderate', 'critical')], updateAllowed: true }),
  time_constraints: listOf(
    'Describe time constraints for the alarm. Only evaluate the alarm if the time at evaluation is within this time constraint. Start point(s) of the constraint are specified with a cron expression, whereas its duration is given in seconds.',
    {
      name: string('Name for the time constraint.', { required: true }),
      start: string('Start time for the time constraint. A CRON expression property.', { required: true }),
      description: string('Description for the time constraint.'),
      duration: integer('Duration for the time constraint.', { required: true, constraints: [range(0)] }),
      timezone: string("Timezone for the time constraint (eg. 'Asia/Taipei', 'Europe/Amsterdam')."),
    },
    { default: [], updateAllowed: true },
  ),
};

const GNOCCHI_PROPERTIES: Record<string, PropertySchema> = {
  comparison_operator: string('Operator used to compare specified statistic with threshold.', {
    constraints: [allowed('le', 'ge', 'eq', 'lt', 'gt', 'ne')],
    updateAllowed: true,
  }),
  evaluation_periods: integer('Number of periods to evaluate over.', { updateAllowed: true }),
  aggregation_method: string('The aggregation method to compare to the threshold.', { updateAllowed: true }),
  granularity: integer('The time range in seconds.', { updateAllowed: true }),
  threshold: number('Threshold to evaluate against.', { required: true, updateAllowed: true }),
};

interface AlarmKind {
  heatType: string;
  alarmType: string;
  description: string;
  version: string;
  /** The type's own properties: they make up the alarm's rule. */
  ruleProperties: Record<string, PropertySchema>;
  /** The rule from those properties (the composite type reshapes its `composite_rule`). */
  rule?(properties: JsonObject): JsonObject;
}

/** Each queue property and the actions its queues join, as `trust+zaqar://` URLs (which this cloud's Aodh refuses: it has no Zaqar). */
const QUEUES: Record<string, string> = { alarm_queues: 'alarm_actions', ok_queues: 'ok_actions', insufficient_data_queues: 'insufficient_data_actions' };

/** The alarm Aodh is asked for: the common properties as they are, queues as actions, the type's own properties as its rule. */
function alarmBody(kind: AlarmKind, properties: JsonObject): JsonObject {
  const body: JsonObject = {};
  const rule: JsonObject = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value === null || value === undefined || key in QUEUES) continue;
    if (key in COMMON_PROPERTIES) body[key] = value;
    else if (key in kind.ruleProperties) rule[key] = value;
  }
  for (const [queues, actions] of Object.entries(QUEUES)) {
    const urls = strings(properties, queues).map((queue) => `trust+zaqar://?${new URLSearchParams({ queue_name: queue }).toString()}`);
    if (urls.length > 0) body[actions] = [...strings(properties, actions), ...urls];
  }
  body[`${kind.alarmType}_rule`] = kind.rule ? kind.rule(properties) : rule;
  return body;
}

function alarmResource(kind: AlarmKind): ResourcePlugin {
  const plugin = serviceResource<JsonObject>(
    {
      type: kind.heatType,
      description: kind.description,
      nameProperty: null,
      properties: { ...COMMON_PROPERTIES, ...kind.ruleProperties },
      attributes: {},
    },
    {
      get: (ctx, id) => aodh(ctx).getAlarm(ctx.caller, id),
      findByName: (ctx, name) => aodh(ctx).findAlarm(ctx.caller, name),
      create: (ctx, properties, name) => aodh(ctx).createAlarm(ctx.caller, { ...alarmBody(kind, properties), name, type: kind.alarmType }),
      async update(ctx, id, change) {
        await aodh(ctx).updateAlarm(ctx.caller, id, alarmBody(kind, change.properties));
      },
      remove: (ctx, id) => aodh(ctx).deleteAlarm(ctx.caller, id),
      idOf: (alarm) => String(alarm.alarm_id),
      view: (alarm) => alarm,
    },
  );
  const setEnabled = async (ctx: ResourceContext, enabled: boolean) => {
    const id = ctx.resource.physicalId;
    if (id !== null) await aodh(ctx).updateAlarm(ctx.caller, id, { enabled });
  };
  return {
    ...plugin,
    supportStatus: { status: 'SUPPORTED', version: kind.version },
    suspend: (ctx) => setEnabled(ctx, false),
    resume: (ctx) => setEnabled(ctx, true),
  };
}

export const gnocchiResourcesAlarm = alarmResource({
  heatType: 'OS::Aodh::GnocchiResourcesAlarm',
  alarmType: 'gnocchi_resources_threshold',
  description: 'A resource allowing for the watching of some specified resource.',
  version: '2015.1',
  ruleProperties: {
    ...GNOCCHI_PROPERTIES,
    metric: string('Metric name watched by the alarm.', { required: true, updateAllowed: true }),
    resource_id: string('Id of a resource.', { required: true, updateAllowed: true }),
    resource_type: string('Resource type.', { required: true, updateAllowed: true }),
  },
});

export const gnocchiAggregationByMetricsAlarm = alarmResource({
  heatType: 'OS::Aodh::GnocchiAggregationByMetricsAlarm',
  alarmType: 'gnocchi_aggregation_by_metrics_threshold',
  description: 'A resource that implements alarm with specified metrics.',
  version: '2015.1',
  ruleProperties: { ...GNOCCHI_PROPERTIES, metrics: stringList('A list of metric ids.', { required: true, updateAllowed: true }) },
});

export const gnocchiAggregationByResourcesAlarm = alarmResource({
  heatType: 'OS::Aodh::GnocchiAggregationByResourcesAlarm',
  alarmType: 'gnocchi_aggregation_by_resources_threshold',
  description: 'A resource that implements alarm with specified resource types and query.',
  version: '2015.1',
  ruleProperties: {
    ...GNOCCHI_PROPERTIES,
    metric: string('Metric name watched by the alarm.', { required: true, updateAllowed: true }),
    query: string('The query to filter the metrics.', { required: true, updateAllowed: true }),
    resource_type: string('Resource type.', { required: true, updateAllowed: true }),
  },
});

export const compositeAlarm = alarmResource({
  heatType: 'OS::Aodh::CompositeAlarm',
  alarmType: 'composite',
  description: 'A resource that implements Aodh composite alarm.',
  version: '8.0.0',
  ruleProperties: {
    composite_rule: map('Composite threshold rules in JSON format.', {
      required: true,
      updateAllowed: true,
      schema: {
        operator: string('The operator indicates how to combine the rules.', { required: true, updateAllowed: true, constraints: [allowed('or', 'and')] }),
        rules: list(
          'Rules list. Basic threshold/gnocchi rules and nested dict which combine threshold/gnocchi rules by "and" or "or" are allowed. For one rule, it must include a "type" field.',
          { required: true, updateAllowed: true },
        ),
      },
    }),
  },
  // Heat's {operator: and|or, rules: [...]} is Aodh's {and|or: [...]}.
  rule: (properties) => {
    const composite = properties.composite_rule as JsonObject;
    return { [text(composite, 'operator') ?? 'and']: composite.rules ?? [] };
  },
});

export const alarmingResourceTypes: ResourcePlugin[] = [
  gnocchiResourcesAlarm,
  gnocchiAggregationByMetricsAlarm,
  gnocchiAggregationByResourcesAlarm,
  compositeAlarm,
];

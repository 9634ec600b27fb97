/**
 * The OS::Aodh::* resource types over the alarming door of a real in-process
 * cloud (create with the rule gathered from the type's properties, update in
 * place, suspend/resume, adoption after a crash, delete twice), and a stack
 * whose alarm, evaluated over a stand-in metric door, scales its group through
 * the ScalingPolicy's alarm_url.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AlarmingOperations } from '../../src/alarming/operations.js';
import { alarmingDefaults } from '../../src/alarming/config.js';
import { aodhErrors } from '../../src/alarming/errors.js';
import { alarmingPolicyDefaults } from '../../src/alarming/policies.js';
import * as alarming from '../../src/alarming/service/index.js';
import type { MetricReader } from '../../src/alarming/service/metric-reader.js';
import { alarmingDb } from '../../src/alarming/store/index.js';
import type { Json } from '../../src/core/json.js';
import { createLogger } from '../../src/core/logger.js';
import { authorizer, PolicyEnforcer } from '../../src/core/policy/index.js';
import {
  compositeAlarm,
  gnocchiAggregationByMetricsAlarm,
  gnocchiAggregationByResourcesAlarm,
  gnocchiResourcesAlarm,
} from '../../src/orchestration/resources/services/alarming/alarms.js';
import { startTestServer } from '../support/server.js';
import { heatApi } from './support/heat-api.js';
import { failure, fakeResource, svcresCloud, type SvcresCloud } from './support/svcres-context.js';

const GNOCCHI = {
  metric: 'cpu',
  resource_id: '6868da77-fa82-4e67-aba9-270c5ae8cbca',
  resource_type: 'instance',
  threshold: 70,
  aggregation_method: 'mean',
  comparison_operator: 'gt',
};

describe('svcres: Aodh alarm resource types', () => {
  let svc: SvcresCloud;
  let aodh: AlarmingOperations;
  before(async () => {
    svc = await svcresCloud(await startTestServer((config) => (config.alarming.evaluation_interval = 3600)));
    aodh = svc.services.alarming as AlarmingOperations;
  });
  after(() => svc?.cloud.close());

  test('OS::Aodh::GnocchiResourcesAlarm: the rule from its properties, updated in place, suspended, adopted, deleted twice', async () => {
    const alarm = fakeResource(svc, gnocchiResourcesAlarm);
    await alarm.create({ ...GNOCCHI, granularity: 300, alarm_actions: ['http://127.0.0.1:9/up'], severity: 'critical' });
    const id = alarm.state.physicalId!;
    const shown = (await alarm.attr('show')) as Record<string, Json>;
    assert.equal(shown.name, alarm.state.physicalName);
    assert.equal(shown.repeat_actions, true);
    assert.deepEqual(shown.alarm_actions, ['http://127.0.0.1:9/up']);
    assert.deepEqual(shown.gnocchi_resources_threshold_rule, { ...GNOCCHI, granularity: 300, evaluation_periods: 1 });

    await alarm.update({ ...GNOCCHI, granularity: 300, threshold: 90, severity: 'low' });
    const updated = await aodh.getAlarm(svc.demo, id);
    assert.equal((updated.gnocchi_resources_threshold_rule as Record<string, Json>).threshold, 90);
    assert.equal(updated.severity, 'low');

    await alarm.plugin.suspend!(alarm.ctx);
    assert.equal((await aodh.getAlarm(svc.demo, id)).enabled, false);
    await alarm.plugin.resume!(alarm.ctx);
    assert.equal((await aodh.getAlarm(svc.demo, id)).enabled, true);

    // A create that crashed after Aodh made the alarm, before Heat kept its id: the retry adopts it.
    alarm.state.physicalId = null;
    await alarm.create({ ...GNOCCHI });
    assert.equal(alarm.state.physicalId, id);

    await alarm.delete();
    await alarm.delete();
    assert.equal((await failure(aodh.getAlarm(svc.demo, id))).status, 404);
  });

  test('by-metrics, by-resources and composite alarms, and Aodh refusals surfacing', async () => {
    const metrics = fakeResource(svc, gnocchiAggregationByMetricsAlarm);
    await metrics.create({ metrics: ['m1', 'm2'], threshold: 3, aggregation_method: 'max' });
    assert.deepEqual(((await metrics.attr('show')) as Record<string, Record<string, Json>>).gnocchi_aggregation_by_metrics_threshold_rule!.metrics, [
      'm1',
      'm2',
    ]);
    const resources = fakeResource(svc, gnocchiAggregationByResourcesAlarm);
    await resources.create({ metric: 'cpu', query: '{"=": {"server_group": "web"}}', resource_type: 'instance', threshold: 3, aggregation_method: 'mean' });
    assert.equal(((await resources.attr('show')) as Record<string, Json>).type, 'gnocchi_aggregation_by_resources_threshold');
    const composite = fakeResource(svc, compositeAlarm);
    await composite.create({
      composite_rule: {
        operator: 'or',
        rules: [
          { type: 'gnocchi_resources_threshold', ...GNOCCHI },
          { type: 'gnocchi_aggregation_by_metrics_threshold', metrics: ['m'], threshold: 1, aggregation_method: 'sum' },
        ],
      },
    });
    const rule = ((await composite.attr('show')) as Record<string, Record<string, Json[]>>).composite_rule!;
    assert.equal(rule.or!.length, 2);
    const refused = fakeResource(svc, gnocchiResourcesAlarm);
    const error = await failure(refused.create({ ...GNOCCHI, aggregation_method: 'average' }));
    assert.equal(error.status, 400);
    assert.match(error.message, /^aggregation_method should be in/);
    // Heat turns queues into trust+zaqar:// actions; without Zaqar, Aodh refuses them.
    const queued = await failure(fakeResource(svc, gnocchiResourcesAlarm).create({ ...GNOCCHI, alarm_queues: ['scale-out'] }));
    assert.equal(queued.status, 400);
    assert.equal(queued.message, 'Unsupported action trust+zaqar://?queue_name=scale-out');
  });

  test('an alarm scales its group through the ScalingPolicy alarm_url', { timeout: 120_000 }, async () => {
    const heat = await heatApi(svc.cloud, await svc.cloud.demoToken());
    const template = {
      heat_template_version: '2016-10-14',
      resources: {
        group: { type: 'OS::Heat::AutoScalingGroup', properties: { min_size: 1, max_size: 3, resource: { type: 'OS::Heat::RandomString' } } },
        up: {
          type: 'OS::Heat::ScalingPolicy',
          properties: { auto_scaling_group_id: { get_resource: 'group' }, adjustment_type: 'change_in_capacity', scaling_adjustment: 1 },
        },
        cpu_high: {
          type: 'OS::Aodh::GnocchiResourcesAlarm',
          properties: { ...GNOCCHI, granularity: 60, evaluation_periods: 1, repeat_actions: false, alarm_actions: [{ get_attr: ['up', 'alarm_url'] }] },
        },
      },
      outputs: { size: { value: { get_attr: ['group', 'current_size'] } } },
    };
    const created = await heat.call('POST', '/stacks', { stack_name: 'autoscale', template });
    assert.equal(created.status, 201, created.text);
    const stackUrl = `/stacks/autoscale/${String(created.body.stack.id)}`;
    await heat.waitFor(stackUrl, 'CREATE_COMPLETE');

    // The evaluator over the cloud's database, reading a metric door that reports 95% CPU.
    const metric: MetricReader = {
      resourceMetricMeasures: async (_caller, _type, _resource, _metric, query) => [{ timestamp: (query.stop ?? 0) - 60, granularity: 60, value: 95 }],
      aggregates: async () => ({}),
    };
    const policy = new PolicyEnforcer();
    policy.registerDefaults(alarmingPolicyDefaults);
    const deps: alarming.AlarmingDeps = {
      db: alarmingDb(svc.cloud.server.db),
      dialect: svc.cloud.server.db.dialect,
      authz: authorizer(policy, { adminRule: 'context_is_admin', denied: () => aodhErrors.rbac() }),
      config: { ...alarmingDefaults(), evaluation_interval: 1 },
      log: createLogger('silent'),
      metric: () => metric,
      identity: () => undefined,
    };
    await alarming.createEvaluator(deps, alarming.createNotifier(deps.log, 10, deps.identity)).round();

    const sizeOf = async () => {
      const stack = (await heat.call('GET', stackUrl)).body.stack as { outputs: Array<{ output_key: string; output_value: Json }> };
      return stack.outputs.find((o) => o.output_key === 'size')?.output_value;
    };
    let size = await sizeOf();
    for (let i = 0; i < 100 && size !== 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      size = await sizeOf();
    }
    assert.equal(size, 2);
  });
});

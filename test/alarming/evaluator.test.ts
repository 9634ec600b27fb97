/**
 * The evaluator over a stand-in metric door: threshold verdicts and reasons,
 * insufficient data, trends, composite rules, time constraints, webhooks to a
 * loopback server, and two evaluators over one database evaluating each alarm once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { alarmingDefaults } from '../../src/alarming/config.js';
import { aodhErrors } from '../../src/alarming/errors.js';
import { alarmingMigrations } from '../../src/alarming/migrations/index.js';
import { alarmingPolicyDefaults } from '../../src/alarming/policies.js';
import * as service from '../../src/alarming/service/index.js';
import type { MetricReader } from '../../src/alarming/service/metric-reader.js';
import type { SeriesQuery as MeasuresQuery } from '../../src/metric/timeseries/types.js';
import { alarmingDb } from '../../src/alarming/store/index.js';
import { serviceCaller, type CallerContext } from '../../src/core/context.js';
import { openDatabase, type Database } from '../../src/core/db/database.js';
import { migrateService } from '../../src/core/db/migrate.js';
import { NotFound } from '../../src/core/errors.js';
import type { Json } from '../../src/core/json.js';
import { createLogger } from '../../src/core/logger.js';
import { authorizer, PolicyEnforcer } from '../../src/core/policy/index.js';

/** Gnocchi as the evaluator sees it: values per resource id, newest last, at granularity 60. */
class StandInMetric implements MetricReader {
  readonly series = new Map<string, number[]>();
  readonly calls: Array<{ caller: CallerContext; resourceId?: string; query: MeasuresQuery | Record<string, unknown> }> = [];

  async resourceMetricMeasures(caller: CallerContext, _type: string, resourceId: string, _metric: string, query: MeasuresQuery) {
    this.calls.push({ caller, resourceId, query });
    const values = this.series.get(resourceId);
    if (!values) throw new NotFound(`Resource ${resourceId} does not exist`);
    const stop = query.stop ?? Date.now() / 1000;
    return values.map((value, i) => ({ timestamp: stop - (values.length - i) * 60, granularity: 60, value }));
  }

  async aggregates(caller: CallerContext, request: { operations: string | Json }): Promise<Json> {
    this.calls.push({ caller, query: { operations: request.operations } });
    const values = this.series.get('aggregate') ?? [];
    return { measures: { aggregated: values.map((value, i) => [`t${i}`, 60, value]) } };
  }
}

describe('alarm evaluator', () => {
  let dir: string;
  let db: Database;
  let deps: service.AlarmingDeps;
  let metric: StandInMetric;
  let hook: Server;
  let hookUrl: string;
  const received: Json[] = [];
  const owner = { ...serviceCaller('tester', { id: 'project-a' }), userId: 'user-a', roles: ['member', 'reader'], isAdminProject: false };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-alarming-'));
    db = openDatabase({ connection: join(dir, 'alarms.db') });
    await migrateService(db, 'alarming', alarmingMigrations);
    const policy = new PolicyEnforcer();
    policy.registerDefaults(alarmingPolicyDefaults);
    metric = new StandInMetric();
    deps = {
      db: alarmingDb(db),
      dialect: db.dialect,
      authz: authorizer(policy, { adminRule: 'context_is_admin', denied: () => aodhErrors.rbac() }),
      config: { ...alarmingDefaults(), evaluation_interval: 1 },
      log: createLogger('silent'),
      metric: () => metric,
      identity: () => undefined,
    };
    hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ body: JSON.parse(body) as Json, requestId: String(request.headers['x-openstack-request-id']) });
        response.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const address = hook.address();
    hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  });
  after(async () => {
    await new Promise((resolve) => hook.close(resolve));
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const evaluator = () => service.createEvaluator(deps, service.createNotifier(deps.log, 5, deps.identity));
  const resourceAlarm = (name: string, resourceId: string, extra: Record<string, Json> = {}) =>
    service.createAlarm(deps, owner, {
      name,
      type: 'gnocchi_resources_threshold',
      gnocchi_resources_threshold_rule: {
        metric: 'cpu',
        resource_id: resourceId,
        resource_type: 'instance',
        threshold: 50,
        comparison_operator: 'gt',
        aggregation_method: 'mean',
        evaluation_periods: 3,
      },
      ...extra,
    });
  const history = async (alarmId: string) =>
    (await service.alarmHistory(deps, owner, alarmId, [], { sort: [], limit: null, marker: null })).map((h) => ({
      type: h.type,
      detail: JSON.parse(String(h.detail)) as Json,
    }));
  const reread = (alarmId: string) => service.findAlarm(deps, owner, alarmId, 'telemetry:get_alarm');

  test('points all above the threshold raise the alarm, asked as the owner over granularity x (periods + 1)', async () => {
    metric.series.set('r-high', [60, 70, 80]);
    const alarm = await resourceAlarm('high', 'r-high', { alarm_actions: [hookUrl] });
    metric.calls.length = 0;
    await evaluator().round();
    const after = await reread(alarm.id);
    assert.equal(after.state, 'alarm');
    assert.equal(after.stateReason, 'Transition to alarm due to 3 samples outside threshold, most recent: 80.0');
    const call = metric.calls.find((c) => c.resourceId === 'r-high');
    assert.ok(call);
    assert.equal(call.caller.project?.id, 'project-a');
    assert.equal(call.caller.userId, 'user-a');
    assert.ok(!call.caller.roles.includes('admin'));
    const query = call.query as MeasuresQuery;
    assert.equal((query.stop ?? 0) - (query.start ?? 0), 240);
    assert.equal(query.granularity, 60);
    const entries = await history(alarm.id);
    assert.deepEqual(entries[0], { type: 'state transition', detail: { state: 'alarm', transition_reason: after.stateReason } });
    const note = received.find((r) => (r as { body: { alarm_id: string } }).body.alarm_id === alarm.id) as { body: Json; requestId: string };
    assert.deepEqual(note.body, {
      alarm_name: 'high',
      alarm_id: alarm.id,
      severity: 'low',
      previous: 'insufficient data',
      current: 'alarm',
      reason: after.stateReason,
      reason_data: { type: 'threshold', disposition: 'outside', count: 3, most_recent: 80 },
    });
    assert.match(note.requestId, /^req-/);
  });

  test('all points inside give ok; too few points or a missing resource give insufficient data', async () => {
    metric.series.set('r-low', [10, 20, 30]);
    metric.series.set('r-short', [90]);
    const low = await resourceAlarm('low', 'r-low');
    const short = await resourceAlarm('short', 'r-short', { state: 'ok' });
    const missing = await resourceAlarm('missing', 'r-none', { state: 'alarm' });
    await evaluator().round();
    assert.equal((await reread(low.id)).state, 'ok');
    assert.equal((await reread(low.id)).stateReason, 'Transition to ok due to 3 samples inside threshold, most recent: 30.0');
    assert.equal((await reread(short.id)).state, 'insufficient data');
    assert.equal((await reread(short.id)).stateReason, '3 datapoints are unknown');
    assert.equal((await reread(missing.id)).stateReason, 'resource r-none does not exists');
  });

  test('mixed points move an unknown alarm to its trend and leave a known one alone', async () => {
    metric.series.set('r-mixed', [10, 90, 95]);
    const unknown = await resourceAlarm('trend-unknown', 'r-mixed');
    const known = await resourceAlarm('trend-known', 'r-mixed', { state: 'ok' });
    await evaluator().round();
    assert.equal((await reread(unknown.id)).state, 'alarm');
    assert.equal((await reread(known.id)).state, 'ok');
    assert.equal((await history(known.id)).length, 1);
  });

  test('composite rules combine their sub-rules with and/or', async () => {
    metric.series.set('aggregate', [100, 100, 100]);
    const sub = (resourceId: string) => ({
      type: 'gnocchi_resources_threshold',
      metric: 'cpu',
      resource_id: resourceId,
      resource_type: 'instance',
      threshold: 50,
      comparison_operator: 'gt',
      aggregation_method: 'mean',
      evaluation_periods: 3,
    });
    const both = await service.createAlarm(deps, owner, { name: 'both', type: 'composite', composite_rule: { and: [sub('r-high'), sub('r-low')] } });
    const either = await service.createAlarm(deps, owner, {
      name: 'either',
      type: 'composite',
      composite_rule: {
        or: [
          sub('r-low'),
          {
            type: 'gnocchi_aggregation_by_metrics_threshold',
            metrics: ['m1', 'm2'],
            threshold: 99,
            comparison_operator: 'ge',
            aggregation_method: 'max',
            evaluation_periods: 3,
          },
        ],
      },
    });
    await evaluator().round();
    const andAlarm = await reread(both.id);
    assert.equal(andAlarm.state, 'ok');
    assert.equal(
      andAlarm.stateReason,
      'Composite rule alarm with composition form: (rule1 and rule2) transition to ok, due to rules: rule2 inside their threshold.',
    );
    const orAlarm = await reread(either.id);
    assert.equal(orAlarm.state, 'alarm');
    const aggregateCall = metric.calls.find((c) => 'operations' in c.query);
    assert.deepEqual(aggregateCall?.query, { operations: ['aggregate', 'max', ['metric', ['m1', 'max'], ['m2', 'max']]] });
  });

  test('outside its time constraints, disabled, or an event alarm: not evaluated', async () => {
    metric.series.set('r-quiet', [99, 99, 99]);
    const hour = (new Date().getUTCHours() + 12) % 24;
    const constrained = await resourceAlarm('constrained', 'r-quiet', { time_constraints: [{ name: 'night', start: `0 ${hour} * * *`, duration: 3600 }] });
    const disabled = await resourceAlarm('disabled', 'r-quiet', { enabled: false });
    const event = await service.createAlarm(deps, owner, { name: 'on-event', type: 'event', event_rule: { event_type: 'compute.instance.delete.end' } });
    const always = await resourceAlarm('always', 'r-quiet', { time_constraints: [{ name: 'all', start: '* * * * *', duration: 120 }] });
    await evaluator().round();
    assert.equal((await reread(constrained.id)).state, 'insufficient data');
    assert.equal((await reread(disabled.id)).state, 'insufficient data');
    assert.equal((await reread(event.id)).state, 'insufficient data');
    assert.equal((await reread(always.id)).state, 'alarm');
  });

  test('two evaluators over one database evaluate each alarm once a round, and the state survives a reopen', async () => {
    metric.series.set('r-race', [70, 80, 90]);
    const raced = await resourceAlarm('raced', 'r-race', { alarm_actions: [hookUrl] });
    // Let every earlier lease (1 s rounds) run out.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = received.length;
    await Promise.all([evaluator().round(), evaluator().round()]);
    const transitions = (await history(raced.id)).filter((h) => h.type === 'state transition');
    assert.equal(transitions.length, 1);
    assert.equal(received.filter((r) => (r as { body: { alarm_id: string } }).body.alarm_id === raced.id).length, 1);
    assert.ok(received.length > before);

    const reopened = openDatabase({ connection: join(dir, 'alarms.db') });
    try {
      const again = await service.findAlarm({ ...deps, db: alarmingDb(reopened) }, owner, raced.id, 'telemetry:get_alarm');
      assert.equal(again.state, 'alarm');
    } finally {
      await reopened.close();
    }
  });

  test('repeat_actions notifies every round, while the history records the one transition', async () => {
    metric.series.set('r-repeat', [99, 99, 99]);
    const repeated = await resourceAlarm('repeated', 'r-repeat', { repeat_actions: true, alarm_actions: [hookUrl] });
    const notes = () => received.filter((r) => (r as { body: { alarm_id: string } }).body.alarm_id === repeated.id);
    await evaluator().round();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await evaluator().round();
    assert.equal(notes().length, 2);
    assert.equal((notes()[1] as { body: { reason: string } }).body.reason, 'Remaining as alarm due to 3 samples outside threshold, most recent: 99.0');
    assert.equal((await history(repeated.id)).filter((h) => h.type === 'state transition').length, 1);
  });

  test('the timer runs rounds every evaluation_interval until stopped', async () => {
    metric.series.set('r-timer', [1, 2, 3]);
    const timed = await resourceAlarm('timed', 'r-timer');
    const running = evaluator();
    running.start();
    const deadline = Date.now() + 5000;
    while ((await reread(timed.id)).state !== 'ok' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await running.stop();
    assert.equal((await reread(timed.id)).state, 'ok');
  });
});

/**
 * The evaluator over the metric service's real measures door (the measures
 * room and the time-series engine, with the measures tests' stand-in index):
 * a resource alarm and a by-metrics alarm read Gnocchi's answers, and a
 * missing metric reads as insufficient data with Aodh's reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { alarmingDefaults } from '../../src/alarming/config.js';
import { aodhErrors } from '../../src/alarming/errors.js';
import { alarmingMigrations } from '../../src/alarming/migrations/index.js';
import { alarmingPolicyDefaults } from '../../src/alarming/policies.js';
import * as service from '../../src/alarming/service/index.js';
import { alarmingDb } from '../../src/alarming/store/index.js';
import { serviceCaller } from '../../src/core/context.js';
import { openDatabase } from '../../src/core/db/database.js';
import { migrateService } from '../../src/core/db/migrate.js';
import { createLogger } from '../../src/core/logger.js';
import { authorizer, PolicyEnforcer } from '../../src/core/policy/index.js';
import { openMeasuresBed } from '../metric/measures-bed.js';

const RESOURCE = 'a1b2c3d4-0000-4000-8000-0000000000a1';
const CPU = 'b1b2c3d4-0000-4000-8000-0000000000b1';
const MEMORY = 'b1b2c3d4-0000-4000-8000-0000000000b2';

test('threshold alarms over the real measures door', async (t) => {
  const bed = await openMeasuresBed(t);
  bed.addResource(RESOURCE, {}, { cpu: CPU, memory: MEMORY });
  // This minute and the two before: every point lies well inside the window (granularity x (periods + 1) back).
  const minute = Math.floor(Date.now() / 60_000) * 60 - 120;
  const minutes = (values: number[]) => values.map((value, i) => ({ timestamp: minute + 60 * i, value }));
  await bed.door.pushResourceMeasures(
    bed.caller,
    [
      { resourceId: RESOURCE, metricName: 'cpu', measures: minutes([91, 93, 95]) },
      { resourceId: RESOURCE, metricName: 'memory', measures: minutes([10, 20, 30]) },
    ],
    false,
  );
  // Gnocchi aggregates in the background; a refreshing read does it now, as metricd would have.
  for (const metric of [CPU, MEMORY]) await bed.door.metricMeasures(bed.caller, metric, { aggregation: 'mean', granularity: 60, refresh: true });

  const dir = mkdtempSync(join(tmpdir(), 'nimbus-alarming-measures-'));
  const db = openDatabase({ connection: join(dir, 'alarms.db') });
  t.after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await migrateService(db, 'alarming', alarmingMigrations);
  const policy = new PolicyEnforcer();
  policy.registerDefaults(alarmingPolicyDefaults);
  const deps: service.AlarmingDeps = {
    db: alarmingDb(db),
    dialect: db.dialect,
    authz: authorizer(policy, { adminRule: 'context_is_admin', denied: () => aodhErrors.rbac() }),
    config: { ...alarmingDefaults(), evaluation_interval: 1 },
    log: createLogger('silent'),
    metric: () => bed.door,
    identity: () => undefined,
  };
  const owner = { ...serviceCaller('tester', { id: 'p' }), userId: 'u', roles: ['member', 'reader'], isAdminProject: false };
  const rule = {
    resource_type: 'generic',
    resource_id: RESOURCE,
    threshold: 90,
    comparison_operator: 'gt',
    aggregation_method: 'mean',
    granularity: 60,
    evaluation_periods: 3,
  };
  const cpu = await service.createAlarm(deps, owner, {
    name: 'cpu',
    type: 'gnocchi_resources_threshold',
    gnocchi_resources_threshold_rule: { ...rule, metric: 'cpu' },
  });
  const memory = await service.createAlarm(deps, owner, {
    name: 'memory',
    type: 'gnocchi_resources_threshold',
    gnocchi_resources_threshold_rule: { ...rule, metric: 'memory' },
  });
  const disk = await service.createAlarm(deps, owner, {
    name: 'disk',
    type: 'gnocchi_resources_threshold',
    state: 'ok',
    gnocchi_resources_threshold_rule: { ...rule, metric: 'disk' },
  });
  const both = await service.createAlarm(deps, owner, {
    name: 'both',
    type: 'gnocchi_aggregation_by_metrics_threshold',
    gnocchi_aggregation_by_metrics_threshold_rule: {
      metrics: [CPU, MEMORY],
      threshold: 40,
      comparison_operator: 'gt',
      aggregation_method: 'max',
      granularity: 60,
      evaluation_periods: 2,
    },
  });

  await service.createEvaluator(deps, service.createNotifier(deps.log, 5, deps.identity)).round();
  const reread = (id: string) => service.findAlarm(deps, owner, id, 'telemetry:get_alarm');
  const cpuNow = await reread(cpu.id);
  assert.equal(cpuNow.state, 'alarm', cpuNow.stateReason);
  assert.equal(cpuNow.stateReason, 'Transition to alarm due to 3 samples outside threshold, most recent: 95.0');
  assert.equal((await reread(memory.id)).state, 'ok');
  const diskNow = await reread(disk.id);
  assert.equal(diskNow.state, 'insufficient data');
  assert.equal(diskNow.stateReason, `metric disk for resource ${RESOURCE} does not exists`);
  const bothNow = await reread(both.id);
  assert.equal(bothNow.state, 'alarm', bothNow.stateReason);
  assert.equal(bothNow.stateReason, 'Transition to alarm due to 2 samples outside threshold, most recent: 95.0');
});

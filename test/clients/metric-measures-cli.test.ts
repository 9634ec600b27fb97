/**
 * Measures and aggregates through Debian's `openstack` CLI with gnocchiclient's
 * plugin (python3-gnocchiclient): `metric measures add/show` with
 * --aggregation/--granularity/--refresh/--resample, `metric aggregates` with
 * an operations string, by metric id and by resource search with --groupby.
 * Skips (saying why) where the CLI or the plugin is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackJson, pluginSkipReason } from './openstack.js';

const skip = pluginSkipReason('gnocchiclient', 'metric', 'python3-gnocchiclient');

type Row = Record<string, unknown>;

describe('openstack CLI: metric measures and aggregates', { skip }, () => {
  let cloud: TestServer;
  const cli = <T = Row[]>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const run = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('measures add and show; aggregates by id and by search with groupby', async () => {
    const policy = await cli<Row>([
      'metric',
      'archive-policy',
      'create',
      'cli-meas',
      '-d',
      'granularity:60s,points:100',
      '-d',
      'granularity:300s,points:100',
      '-m',
      'mean',
      '-m',
      'max',
    ]);
    assert.equal(policy.name, 'cli-meas');
    const resources: Array<{ id: string; host: string }> = [];
    for (const [name, host] of [
      ['vm-a', 'h1'],
      ['vm-b', 'h1'],
      ['vm-c', 'h2'],
    ] as const) {
      const attempt = await run(['metric', 'resource', 'create', name, '--type', 'generic', '-a', `project_id:${name}`, '-n', 'cpu:cli-meas', '-f', 'json']);
      assert.equal(attempt.code, 0, attempt.stdout + attempt.stderr);
      const created = JSON.parse(attempt.stdout) as Row;
      resources.push({ id: String(created.id), host });
    }
    const metricOf = async (resourceId: string) => String((await cli<Row>(['metric', 'show', '--resource-id', resourceId, 'cpu'])).id);
    const metrics = await Promise.all(resources.map((r) => metricOf(r.id)));

    for (const [i, id] of metrics.entries()) {
      const added = await run(['metric', 'measures', 'add', id, '-m', `2026-12-06T10:00:00@${i + 1}`, '-m', `2026-12-06T10:01:00@${(i + 1) * 10}`]);
      assert.equal(added.code, 0, added.stderr);
    }
    const shown = await cli(['metric', 'measures', 'show', metrics[0]!, '--refresh', '--granularity', '60', '--aggregation', 'max', '--utc']);
    assert.deepEqual(
      shown.map((row) => [row.timestamp, row.granularity, row.value]),
      [
        ['2026-12-06T10:00:00+00:00', 60.0, 1.0],
        ['2026-12-06T10:01:00+00:00', 60.0, 10.0],
      ],
    );
    const resampled = await cli(['metric', 'measures', 'show', metrics[0]!, '--granularity', '60', '--resample', '300', '--utc']);
    assert.deepEqual(
      resampled.map((row) => row.value),
      [5.5],
    );
    for (const id of metrics.slice(1)) await cli(['metric', 'measures', 'show', id, '--refresh']);

    const summed = await cli(['metric', 'aggregates', '--granularity', '60', `(aggregate sum (metric (${metrics[0]} mean) (${metrics[1]} mean)))`]);
    assert.deepEqual(
      summed.map((row) => [row.name, row.value]),
      [
        ['aggregated', 3],
        ['aggregated', 30],
      ],
    );
    const grouped = await cli(['metric', 'aggregates', '--granularity', '60', '--groupby', 'project_id', '(aggregate max (metric cpu mean))', 'id!=null']);
    assert.equal(grouped.length, 6);
    assert.deepEqual(grouped.map((row) => row.group).sort(), [
      'project_id: vm-a',
      'project_id: vm-a',
      'project_id: vm-b',
      'project_id: vm-b',
      'project_id: vm-c',
      'project_id: vm-c',
    ]);
    const refused = await run(['metric', 'aggregates', '(notexist (metric x mean))']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /'notexist' operation invalid/);
  });
});

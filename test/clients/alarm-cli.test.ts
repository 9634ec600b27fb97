/**
 * Aodh through Debian's `openstack` CLI (python3-aodhclient): `alarm create`
 * of each type, list, show, update, delete, `alarm state get/set`,
 * `alarm-history show/search`, `alarm quota show/set`, capabilities.
 * Skips (saying why) where the CLI or aodhclient is not installed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';
import { openstack, openstackJson, pluginSkipReason } from './openstack.js';

describe('openstack CLI: alarms (aodhclient)', { skip: pluginSkipReason('aodhclient', 'alarm', 'python3-aodhclient') }, () => {
  let cloud: TestServer;
  const as = (cloudName: string) => ({
    json: <T = Json>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', cloudName, ...args]),
    run: async (args: string[]) => {
      const result = await openstack(cloud.cloudsYaml, ['--os-cloud', cloudName, ...args]);
      assert.equal(result.code, 0, `openstack ${args.join(' ')}: ${result.stderr}`);
      return result;
    },
  });
  const demo = () => as('nimbus-demo');
  const admin = () => as('nimbus');

  before(async () => {
    // No evaluation during the test: the metric service is absent and would move the alarms to insufficient data.
    cloud = await startTestServer((config) => {
      config.alarming.evaluation_interval = 3600;
    });
  });
  after(() => cloud?.close());

  test('create one alarm of each type, list and show them', { timeout: 400_000 }, async () => {
    const resource = await demo().json([
      'alarm',
      'create',
      '--name',
      'cli-resource',
      '--type',
      'gnocchi_resources_threshold',
      '--metric',
      'cpu',
      '--threshold',
      '80',
      '--resource-id',
      '6868da77-fa82-4e67-aba9-270c5ae8cbca',
      '--resource-type',
      'instance',
      '--aggregation-method',
      'mean',
      '--comparison-operator',
      'gt',
      '--granularity',
      '300',
      '--evaluation-periods',
      '2',
      '--alarm-action',
      'http://127.0.0.1:9/hook',
      '--severity',
      'critical',
    ]);
    assert.equal(resource.name, 'cli-resource');
    assert.equal(resource.state, 'insufficient data');
    assert.equal(resource.severity, 'critical');
    const metrics = await demo().json([
      'alarm',
      'create',
      '--name',
      'cli-metrics',
      '--type',
      'gnocchi_aggregation_by_metrics_threshold',
      '--metric',
      'a',
      '--metric',
      'b',
      '--threshold',
      '1',
      '--aggregation-method',
      'max',
    ]);
    assert.equal(metrics.type, 'gnocchi_aggregation_by_metrics_threshold');
    const resources = await demo().json([
      'alarm',
      'create',
      '--name',
      'cli-resources',
      '--type',
      'gnocchi_aggregation_by_resources_threshold',
      '--metric',
      'cpu',
      '--threshold',
      '1',
      '--aggregation-method',
      'mean',
      '--resource-type',
      'instance',
      '--query',
      '{"=": {"server_group": "web"}}',
    ]);
    assert.equal(resources.type, 'gnocchi_aggregation_by_resources_threshold');
    const rule = JSON.stringify({
      or: [
        { type: 'gnocchi_aggregation_by_metrics_threshold', metrics: ['a'], threshold: 2, aggregation_method: 'mean' },
        { type: 'gnocchi_aggregation_by_metrics_threshold', metrics: ['b'], threshold: 3, aggregation_method: 'mean' },
      ],
    });
    const composite = await demo().json(['alarm', 'create', '--name', 'cli-composite', '--type', 'composite', '--composite-rule', rule]);
    assert.equal(composite.type, 'composite');
    const event = await demo().json(['alarm', 'create', '--name', 'cli-event', '--type', 'event', '--event-type', 'compute.instance.delete.end']);
    assert.equal(event.type, 'event');

    const listed = await demo().json<Json[]>(['alarm', 'list']);
    assert.deepEqual(listed.map((a) => a.name).sort(), ['cli-composite', 'cli-event', 'cli-metrics', 'cli-resource', 'cli-resources']);
    const filtered = await demo().json<Json[]>(['alarm', 'list', '--filter', 'type=event']);
    assert.deepEqual(
      filtered.map((a) => a.name),
      ['cli-event'],
    );
    const shown = await demo().json(['alarm', 'show', '--name', 'cli-resource']);
    assert.equal(shown.alarm_id, resource.alarm_id);
    assert.equal(shown.granularity, 300);
  });

  test('update, state get/set, history show/search, delete', { timeout: 400_000 }, async () => {
    const updated = await demo().json(['alarm', 'update', '--name', 'cli-resource', '--threshold', '95', '--severity', 'moderate']);
    assert.equal(updated.threshold, 95);
    assert.equal(updated.severity, 'moderate');
    assert.equal(updated.comparison_operator, 'gt');
    const set = await demo().json(['alarm', 'state', 'set', '--name', 'cli-resource', '--state', 'alarm']);
    assert.equal(set.state, 'alarm');
    const got = await demo().json(['alarm', 'state', 'get', updated.alarm_id]);
    assert.equal(got.state, 'alarm');
    const history = await demo().json<Json[]>(['alarm-history', 'show', updated.alarm_id]);
    assert.deepEqual(
      history.map((h) => h.type),
      ['state transition', 'rule change', 'creation'],
    );
    const searched = await demo().json<Json[]>(['alarm-history', 'search', '--query', 'type=creation']);
    assert.equal(searched.length, 5);
    await demo().run(['alarm', 'delete', updated.alarm_id]);
    const missing = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'alarm', 'show', updated.alarm_id]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /not found/);
  });

  test('alarm quota show/set and capabilities', { timeout: 400_000 }, async () => {
    const project = (await demo().json<Json[]>(['alarm', 'quota', 'show'])) as unknown as Json;
    assert.equal(project.alarms, -1);
    const demoProject = (await admin().json<Json[]>(['project', 'show', 'demo'])) as unknown as Json;
    const set = (await admin().json(['alarm', 'quota', 'set', '--alarm', '10', demoProject.id])) as Json;
    assert.equal(set.alarms, 10);
    const caps = await demo().json(['alarming', 'capabilities', 'list']);
    assert.ok(JSON.stringify(caps).includes('alarms:query:complex'));
  });
});

/**
 * The metric index (Gnocchi v1) through Debian's `openstack metric ...`
 * (python3-gnocchiclient), as a user drives it. Skips, saying why, where the
 * CLI or its metric plugin is not installed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackJson, pluginSkipReason } from './openstack.js';

const skip = pluginSkipReason('gnocchiclient', 'metric', 'python3-gnocchiclient');

type Fields = Record<string, unknown>;

describe('openstack CLI: metric index', { skip }, () => {
  let cloud: TestServer;
  const admin = <T = Fields>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const adminRun = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud.close());

  test('archive-policy list/create/show/delete', async () => {
    const names = (await admin<Fields[]>(['metric', 'archive-policy', 'list'])).map((p) => p.name);
    assert.ok(names.includes('low') && names.includes('ceilometer-low'));
    const created = await admin(['metric', 'archive-policy', 'create', '-d', 'granularity:1m,points:60', '-m', 'mean', 'cli-policy']);
    assert.equal(created.name, 'cli-policy');
    const shown = await admin(['metric', 'archive-policy', 'show', 'cli-policy']);
    assert.match(JSON.stringify(shown.definition), /0:01:00/);
    const refused = await adminRun(['metric', 'archive-policy', 'create', '-d', 'granularity:1m,points:60,timespan:2h', 'broken']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /timespan ≠ granularity × points/);
    assert.equal((await adminRun(['metric', 'archive-policy', 'delete', 'cli-policy'])).code, 0);
  });

  test('resource-type create/show/update/delete', async () => {
    await admin(['metric', 'resource-type', 'create', '-a', 'color:string:true:max_length=10', 'cli_type']);
    const shown = await admin(['metric', 'resource-type', 'show', 'cli_type']);
    assert.match(String(shown['attributes/color']), /max_length=10/);
    const updated = await admin(['metric', 'resource-type', 'update', '-a', 'size:number:false', 'cli_type']);
    assert.match(String(updated['attributes/size']), /type=number/);
    assert.equal((await adminRun(['metric', 'resource-type', 'delete', 'cli_type'])).code, 0);
  });

  test('resource create/show/update/list/search/history and metric create/list/show/delete', async () => {
    const created = await admin([
      'metric',
      'resource',
      'create',
      '--type',
      'generic',
      '--attribute',
      'project_id:p-cli',
      '--create-metric',
      'cpu:low',
      'cli-host',
    ]);
    assert.equal(created.original_resource_id, 'cli-host');
    const id = String(created.id);
    assert.equal((await admin(['metric', 'resource', 'show', 'cli-host'])).id, id);
    await admin(['metric', 'resource', 'update', '--attribute', 'user_id:u-cli', 'cli-host']);
    const listed = await admin<Fields[]>(['metric', 'resource', 'list']);
    assert.ok(listed.some((r) => r.id === id));
    const found = await admin<Fields[]>(['metric', 'resource', 'search', "project_id='p-cli'"]);
    assert.deepEqual(
      found.map((r) => r.id),
      [id],
    );
    const history = await admin<Fields[]>(['metric', 'resource', 'history', 'cli-host']);
    assert.equal(history.length, 2);

    const metric = await admin(['metric', 'create', '--archive-policy-name', 'medium', 'cli.metric']);
    assert.equal(metric.name, 'cli.metric');
    const metrics = await admin<Fields[]>(['metric', 'list']);
    assert.ok(metrics.some((m) => m.id === metric.id));
    const shown = await admin(['metric', 'show', String(metric.id)]);
    assert.equal(shown['archive_policy/name'], 'medium');
    assert.equal((await adminRun(['metric', 'delete', String(metric.id)])).code, 0);
    const gone = await adminRun(['metric', 'show', String(metric.id)]);
    assert.notEqual(gone.code, 0);
  });
});

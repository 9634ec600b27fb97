/**
 * The Placement API through Debian's `openstack` CLI with the osc-placement
 * plugin (python3-osc-placement), as an operator drives it. Skips (saying
 * why) where the CLI or the plugin is not installed.
 */
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackJson, pluginSkipReason } from './openstack.js';

const skip = pluginSkipReason('osc_placement', 'resource provider', 'python3-osc-placement');

type Row = Record<string, unknown>;

describe('openstack CLI: placement', { skip }, () => {
  let cloud: TestServer;
  /** `openstack --os-cloud nimbus [--os-placement-api-version V] ...` with JSON output. */
  const admin = <T = Row>(args: string[], version?: string) =>
    openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...(version ? ['--os-placement-api-version', version] : []), ...args]);
  const run = (args: string[], version?: string, cloudName = 'nimbus') =>
    openstack(cloud.cloudsYaml, ['--os-cloud', cloudName, ...(version ? ['--os-placement-api-version', version] : []), ...args]);

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('providers, inventories, traits, aggregates, candidates, allocations', async () => {
    const created = await admin(['resource', 'provider', 'create', 'cli-cn1']);
    const uuid = String(created.uuid);
    assert.equal(created.name, 'cli-cn1');
    assert.equal(created.generation, 0);
    const child = await admin(['resource', 'provider', 'create', 'cli-cn1-numa0', '--parent-provider', uuid], '1.14');
    assert.equal(child.parent_provider_uuid, uuid);
    assert.equal(child.root_provider_uuid, uuid);
    const list = await admin<Row[]>(['resource', 'provider', 'list']);
    assert.deepEqual(list.map((p) => p.name).sort(), ['cli-cn1', 'cli-cn1-numa0']);
    assert.equal((await admin<Row[]>(['resource', 'provider', 'list', '--in-tree', String(child.uuid)], '1.14')).length, 2);
    assert.equal((await admin(['resource', 'provider', 'show', uuid])).name, 'cli-cn1');

    const inventory = await admin<Row[]>([
      'resource',
      'provider',
      'inventory',
      'set',
      uuid,
      '--resource',
      'VCPU=8',
      '--resource',
      'VCPU:allocation_ratio=4.0',
      '--resource',
      'MEMORY_MB=4096',
      '--resource',
      'DISK_GB=100',
    ]);
    assert.equal(inventory.length, 3);
    const inventories = await admin<Row[]>(['resource', 'provider', 'inventory', 'list', uuid]);
    const vcpu = inventories.find((i) => i.resource_class === 'VCPU');
    assert.equal(vcpu?.total, 8);
    assert.equal(vcpu?.allocation_ratio, 4);
    assert.equal(vcpu?.used, 0);

    const traits = await admin<Row[]>(['resource', 'provider', 'trait', 'set', uuid, '--trait', 'HW_CPU_X86_AVX2', '--trait', 'STORAGE_DISK_SSD'], '1.6');
    assert.deepEqual(
      traits.map((t) => t.name),
      ['HW_CPU_X86_AVX2', 'STORAGE_DISK_SSD'],
    );
    assert.deepEqual(
      (await admin<Row[]>(['resource', 'provider', 'trait', 'list', uuid], '1.6')).map((t) => t.name),
      ['HW_CPU_X86_AVX2', 'STORAGE_DISK_SSD'],
    );

    const aggregate = randomUUID();
    const generation = String((await admin(['resource', 'provider', 'show', uuid])).generation);
    const aggregates = await admin<Row[]>(['resource', 'provider', 'aggregate', 'set', uuid, '--aggregate', aggregate, '--generation', generation], '1.19');
    assert.deepEqual(
      aggregates.map((a) => a.uuid),
      [aggregate],
    );
    const stale = await run(['resource', 'provider', 'aggregate', 'set', uuid, '--aggregate', aggregate, '--generation', generation], '1.19');
    assert.notEqual(stale.code, 0);
    assert.match(stale.stderr, /generation conflict/);
    assert.deepEqual(
      (await admin<Row[]>(['resource', 'provider', 'aggregate', 'set', uuid, '--aggregate', aggregate], '1.1')).map((a) => a.uuid),
      [aggregate],
    );

    const candidates = await admin<Row[]>(['allocation', 'candidate', 'list', '--resource', 'VCPU=1']);
    assert.equal(candidates.length, 1);
    assert.equal(candidates[0]?.['resource provider'], uuid);
    assert.equal(candidates[0]?.allocation, 'VCPU=1');
    const filtered = await admin<Row[]>(
      ['allocation', 'candidate', 'list', '--resource', 'VCPU=1', '--resource', 'MEMORY_MB=512', '--required', 'HW_CPU_X86_AVX2', '--limit', '5'],
      '1.29',
    );
    assert.equal(filtered.length, 1);
    assert.match(String(filtered[0]?.traits), /HW_CPU_X86_AVX2/);
    assert.equal((await admin<Row[]>(['allocation', 'candidate', 'list', '--resource', 'VCPU=1', '--required', '!HW_CPU_X86_AVX2'], '1.29')).length, 0);
    assert.equal((await admin<Row[]>(['allocation', 'candidate', 'list', '--resource', 'VCPU=64'])).length, 0);

    const consumer = randomUUID();
    const set = await admin<Row[]>(
      ['resource', 'provider', 'allocation', 'set', consumer, '--allocation', `rp=${uuid},VCPU=2,MEMORY_MB=1024`, '--project-id', 'p1', '--user-id', 'u1'],
      '1.12',
    );
    assert.equal(set[0]?.resource_provider, uuid);
    const shown = await admin<Row[]>(['resource', 'provider', 'allocation', 'show', consumer]);
    assert.deepEqual(shown[0]?.resources, { VCPU: 2, MEMORY_MB: 1024 });
    assert.equal(shown[0]?.project_id, 'p1');
    const typed = await admin<Row[]>(['resource', 'provider', 'allocation', 'show', consumer], '1.38');
    assert.equal(typed[0]?.consumer_type, 'unknown');
    const usage = await admin<Row[]>(['resource', 'provider', 'usage', 'show', uuid]);
    assert.equal(usage.find((u) => u.resource_class === 'VCPU')?.usage, 2);

    const inUse = await run(['resource', 'provider', 'delete', uuid]);
    assert.notEqual(inUse.code, 0);
    assert.match(inUse.stderr, /HTTP 409/);
    assert.equal((await run(['resource', 'provider', 'allocation', 'delete', consumer])).code, 0);
    assert.equal((await run(['resource', 'provider', 'delete', String(child.uuid)])).code, 0);
    assert.equal((await run(['resource', 'provider', 'delete', uuid])).code, 0);
    const gone = await run(['resource', 'provider', 'show', uuid]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /HTTP 404/);
  });

  test('resource class and trait lists; the demo user is refused', async () => {
    const classes = await admin<Row[]>(['resource', 'class', 'list'], '1.2');
    for (const name of ['VCPU', 'MEMORY_MB', 'DISK_GB'])
      assert.ok(
        classes.some((c) => c.name === name),
        name,
      );
    assert.equal((await run(['resource', 'class', 'create', 'CUSTOM_CLI_GPU'], '1.2')).code, 0);
    assert.ok((await admin<Row[]>(['resource', 'class', 'list'], '1.2')).some((c) => c.name === 'CUSTOM_CLI_GPU'));
    const traits = await admin<Row[]>(['trait', 'list'], '1.6');
    for (const name of ['COMPUTE_VOLUME_MULTI_ATTACH', 'HW_CPU_X86_AVX2', 'STORAGE_DISK_SSD'])
      assert.ok(
        traits.some((t) => t.name === name),
        name,
      );
    assert.equal((await run(['trait', 'create', 'CUSTOM_CLI_RACK'], '1.6')).code, 0);
    assert.deepEqual(
      (await admin<Row[]>(['trait', 'list', '--name', 'startswith:CUSTOM_'], '1.6')).map((t) => t.name),
      ['CUSTOM_CLI_RACK'],
    );
    const denied = await run(['resource', 'provider', 'list'], undefined, 'nimbus-demo');
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /HTTP 403/);
  });
});

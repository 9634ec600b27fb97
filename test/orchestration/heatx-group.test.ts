/**
 * Issue 14, item 3: ResourceGroup's update_policy. The batch plan and the
 * members of each batch follow Heat's own test table (TestGetBatches in
 * heat/tests/openstack/heat/test_resource_group.py): the group's size during
 * each batch, how many members get the new definition, and which ones. Then a
 * real stack: batch_create and rolling_update drive the members' nested stack
 * one batch per update.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { JsonObject } from '../../src/orchestration/json.js';
import { batchMembers, planBatches } from '../../src/orchestration/resources/heat/group-batches.js';
import type { Json } from '../support/json.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { heatApi, type HeatApi } from './support/heat-api.js';

type Scenario = [target: number, initial: number, batchSize: number, minInService: number, batches: Array<[number, number, string[]]>];

const SCENARIOS: Record<string, Scenario> = {
  '4_4_1_0': [
    4,
    4,
    1,
    0,
    [
      [4, 1, ['4']],
      [4, 1, ['3']],
      [4, 1, ['2']],
      [4, 1, ['1']],
    ],
  ],
  '4_4_1_4': [
    4,
    4,
    1,
    4,
    [
      [5, 1, ['5']],
      [5, 1, ['4']],
      [5, 1, ['3']],
      [5, 1, ['2']],
      [5, 1, ['1']],
      [4, 0, []],
    ],
  ],
  '4_4_2_4': [
    4,
    4,
    2,
    4,
    [
      [6, 2, ['6', '5']],
      [6, 2, ['4', '3']],
      [6, 2, ['2', '1']],
      [4, 0, []],
    ],
  ],
  '3_3_2_4': [
    3,
    3,
    2,
    4,
    [
      [5, 2, ['5', '4']],
      [5, 2, ['3', '2']],
      [4, 1, ['1']],
      [3, 0, []],
    ],
  ],
  '4_7_4_4': [
    4,
    7,
    4,
    4,
    [
      [8, 4, ['8', '4', '3', '2']],
      [5, 1, ['1']],
      [4, 0, []],
    ],
  ],
  '6_4_1_0': [
    6,
    4,
    1,
    0,
    [
      [5, 1, ['5']],
      [6, 1, ['6']],
      [6, 1, ['4']],
      [6, 1, ['3']],
      [6, 1, ['2']],
      [6, 1, ['1']],
    ],
  ],
  '6_4_2_0': [
    6,
    4,
    2,
    0,
    [
      [6, 2, ['5', '6']],
      [6, 2, ['4', '3']],
      [6, 2, ['2', '1']],
    ],
  ],
};

describe('heatx: ResourceGroup batches as Heat plans them', () => {
  for (const [name, [target, initial, batchSize, minInService, expected]] of Object.entries(SCENARIOS)) {
    test(name, () => {
      const plan = planBatches(target, initial, { maxBatchSize: batchSize, minInService, pauseSeconds: 0 });
      assert.deepEqual(
        plan,
        expected.map(([size, fresh]) => [size, fresh]),
      );
      const OLD: JsonObject = { type: 'old' };
      const NEW: JsonObject = { type: 'new' };
      let members: Array<[string, JsonObject]> = Array.from({ length: initial }, (_, i) => [String(i + 1), OLD]);
      let updated = new Set<string>();
      for (const [size, fresh, names] of expected) {
        const candidates = Array.from({ length: size }, (_, i) => String(i + 1));
        members = batchMembers(members, candidates, target, size, fresh, () => NEW);
        assert.deepEqual(new Set(members.map(([member]) => member)), new Set(candidates), `${name}: members of a ${size} group`);
        updated = new Set([...updated].filter((member) => candidates.includes(member)));
        for (const member of names) updated.add(member);
        assert.deepEqual(new Set(members.filter(([, def]) => def === NEW).map(([member]) => member)), updated, `${name}: updated after a batch of ${fresh}`);
      }
    });
  }
});

describe('heatx: ResourceGroup update_policy on a real stack', () => {
  let cloud: TestServer;
  let heat: HeatApi;
  before(async () => {
    cloud = await startTestServer();
    heat = await heatApi(cloud, await cloud.demoToken());
  });
  after(() => cloud?.close());

  const template = (value: string) => ({
    heat_template_version: '2018-08-31',
    parameters: { batch: { type: 'number', default: 1 } },
    resources: {
      group: {
        type: 'OS::Heat::ResourceGroup',
        update_policy: { batch_create: { max_batch_size: { get_param: 'batch' } }, rolling_update: { max_batch_size: 1, min_in_service: 3 } },
        properties: { count: 3, resource_def: { type: 'OS::Heat::TestResource', properties: { value } } },
      },
    },
    outputs: { values: { value: { get_attr: ['group', 'output'] } } },
  });

  test('batch_create makes the members one batch per nested update; rolling_update changes one member per update, adding one to keep three in service', async () => {
    const created = await heat.call('POST', '/stacks', { stack_name: 'batched', template: template('one') });
    const path = `/stacks/batched/${created.body.stack.id}`;
    await heat.waitFor(path, 'CREATE_COMPLETE');
    const group = (await heat.call('GET', `${path}/resources/group`)).body.resource;
    const nestedLink = (group.links as Json[]).find((link) => link.rel === 'nested')?.href as string;
    const nestedName = nestedLink.split('/').slice(-2)[0];
    /** The nested stack's own events (not its members'): the list shows `ACTION_STATUS`. */
    const nestedStackEvents = async () => {
      const events = (await heat.call('GET', `${nestedLink}/events?limit=1000`)).body.events as Json[];
      return events.filter((event) => event.resource_name === nestedName).map((event) => String(event.resource_status));
    };
    const values = async () => (await heat.call('GET', `${path}/outputs/values`)).body.output.output_value;
    assert.deepEqual(await values(), ['one', 'one', 'one']);
    const afterCreate = await nestedStackEvents();
    assert.equal(afterCreate.filter((e) => e === 'CREATE_COMPLETE').length, 1);
    assert.equal(afterCreate.filter((e) => e === 'UPDATE_COMPLETE').length, 2, 'three members, one per batch: created with one, then two updates');

    assert.equal((await heat.call('PUT', path, { template: template('two') })).status, 202);
    await heat.waitFor(path, 'UPDATE_COMPLETE');
    assert.deepEqual(await values(), ['two', 'two', 'two']);
    const afterUpdate = await nestedStackEvents();
    // Heat's plan for 3 members, batches of 1, 3 in service: (4, 1) four times (a new member first), then (3, 0).
    assert.deepEqual(planBatches(3, 3, { maxBatchSize: 1, minInService: 3, pauseSeconds: 0 }), [
      [4, 1],
      [4, 1],
      [4, 1],
      [4, 1],
      [3, 0],
    ]);
    assert.equal(afterUpdate.filter((e) => e === 'UPDATE_COMPLETE').length - 2, 5);
    const members = ((await heat.call('GET', `${path}/resources?nested_depth=1`)).body.resources as Json[]).filter(
      (r) => r.resource_type === 'OS::Heat::TestResource',
    );
    assert.deepEqual(members.map((r) => r.resource_name).sort(), ['0', '1', '2'], 'the extra member is gone at the end');
  });
});

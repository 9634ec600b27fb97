/** Locks, hooks, cancel, timeouts, nested stacks, signals and snapshots. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../src/orchestration/json.js';
import { openEngineHarness, until } from './support/engine-harness.js';

const slow = (ms: number): JsonObject => ({ heat_template_version: '2016-10-14', resources: { slow: { type: 'Test::Thing', properties: { delay_ms: ms } } } });

test('a second operation while one runs is 409 ActionInProgress; delete takes over a running create', async (t) => {
  const h = await openEngineHarness(t);
  const s = await h.service.create(h.caller, { name: 'busy', template: slow(60_000) });
  await assert.rejects(h.service.update(h.caller, s.id, { name: 'busy', template: slow(1) }), (err: Error & { type?: string; status?: number }) => {
    assert.equal(err.message, 'Stack busy already has an action (CREATE) in progress.');
    assert.equal(err.type, 'ActionInProgress');
    assert.equal(err.status, 409);
    return true;
  });
  await assert.rejects(h.service.action(h.caller, s.id, 'suspend'), /already has an action \(CREATE\) in progress/);
  await assert.rejects(h.service.create(h.caller, { name: 'busy', template: slow(1) }), /The Stack \(busy\) already exists\./);
  await h.waitFor(s.id, () => h.cloud.size === 1);
  await h.service.delete(h.caller, s.id);
  const deleted = await h.settled(s.id);
  assert.equal(`${deleted.action}_${deleted.status}`, 'DELETE_COMPLETE', deleted.statusReason);
  assert.equal(h.cloud.size, 0);
});

test('a pre-create hook pauses the resource until a signal clears it, with Heat event reasons', async (t) => {
  const h = await openEngineHarness(t);
  const template: JsonObject = {
    heat_template_version: '2016-10-14',
    resources: { foo_step1: { type: 'Test::Thing' }, foo_step2: { type: 'Test::Thing', depends_on: 'foo_step1' } },
  };
  const environment = { resource_registry: { resources: { 'foo_step*': { hooks: 'pre-create' } } } };
  const s = await h.service.create(h.caller, { name: 'hooked', template, environment });
  const reasonSeen = (name: string, reason: string) =>
    until(`"${reason}" for ${name}`, async () => (await h.service.events(h.caller, s.id, { resourceName: name })).find((e) => e.statusReason === reason));
  const paused = await reasonSeen('foo_step1', 'CREATE paused until Hook pre-create is cleared');
  assert.equal(`${paused.action}_${paused.status}`, 'INIT_COMPLETE');
  await assert.rejects(
    h.service.signal(h.caller, s.id, 'foo_step1', { unset_hook: 'pre-delete' }),
    /The "pre-delete" hook is not defined on Test::Thing "foo_step1"/,
  );
  await h.service.signal(h.caller, s.id, 'foo_step1', { unset_hook: 'pre-create' });
  const cleared = await reasonSeen('foo_step1', 'Hook pre-create is cleared');
  assert.equal(`${cleared.action}_${cleared.status}`, 'INIT_COMPLETE');
  await reasonSeen('foo_step2', 'CREATE paused until Hook pre-create is cleared');
  assert.equal((await h.service.find(h.caller, s.id)).status, 'IN_PROGRESS');
  await h.service.signal(h.caller, s.id, 'foo_step2', { unset_hook: 'pre-create' });
  const done = await h.settled(s.id);
  assert.equal(`${done.action}_${done.status}`, 'CREATE_COMPLETE', done.statusReason);
});

test('cancel_update rolls a running update back; cancel outside an update is refused; a timeout fails the create', async (t) => {
  const h = await openEngineHarness(t);
  const s = await h.service.create(h.caller, { name: 'cancelled', template: slow(1) });
  await h.settled(s.id);
  await assert.rejects(h.service.action(h.caller, s.id, 'cancel_update'), /Cancelling update when stack is \('CREATE', 'COMPLETE'\) is not supported\./);
  const v2: JsonObject = { heat_template_version: '2016-10-14', resources: { slow: { type: 'Test::Thing', properties: { delay_ms: 60_000, value: 'new' } } } };
  await h.service.update(h.caller, s.id, { name: 'cancelled', template: v2 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  await h.service.action(h.caller, s.id, 'cancel_update');
  const rolled = await h.settled(s.id);
  assert.equal(`${rolled.action}_${rolled.status}`, 'ROLLBACK_COMPLETE', rolled.statusReason);

  const timed = await h.service.create(h.caller, { name: 'timed', template: slow(60_000), timeoutMins: 0.005 });
  const failed = await h.settled(timed.id);
  assert.equal(`${failed.action}_${failed.status}`, 'CREATE_FAILED');
  assert.equal(failed.statusReason, 'Create timed out');
});

test('a nested stack is created, read and deleted with its parent; depth is limited', async (t) => {
  const h = await openEngineHarness(t);
  const inner: JsonObject = {
    heat_template_version: '2016-10-14',
    parameters: { v: { default: 'inner' } },
    resources: { leaf: { type: 'Test::Thing', properties: { value: { get_param: 'v' } } } },
    outputs: { leaf_value: { value: { get_attr: ['leaf', 'value'] } }, broken: { value: { get_attr: ['nowhere', 'value'] } } },
  };
  const template: JsonObject = {
    heat_template_version: '2016-10-14',
    resources: { child: { type: 'Test::Nested', properties: { template: JSON.stringify(inner), parameters: { v: 'given' } } } },
    outputs: { nested: { value: { get_attr: ['child', 'outputs'] } } },
  };
  const s = await h.service.create(h.caller, { name: 'parent', template });
  const done = await h.settled(s.id);
  assert.equal(`${done.action}_${done.status}`, 'CREATE_COMPLETE', done.statusReason);
  const outputs = await h.service.outputs(h.caller, s.id);
  assert.deepEqual(outputs[0]?.value, { leaf_value: 'given', broken: null });
  const all = await h.service.resources(h.caller, s.id, { nestedDepth: 1 });
  assert.deepEqual(all.map((r) => r.name).sort(), ['child', 'leaf']);
  const nestedStacks = await h.service.list(h.caller, { showNested: true });
  assert.equal(nestedStacks.length, 2);
  const child = nestedStacks.find((x) => x.parentId === s.id)!;
  assert.equal(child.nestedDepth, 1);
  assert.equal(child.parentResourceName, 'child');
  const events = await h.service.events(h.caller, s.id, { nestedDepth: 1 });
  assert.ok(events.some((e) => e.resourceName === 'leaf' && e.stackId === child.id));

  await h.service.delete(h.caller, s.id);
  await h.settled(s.id);
  assert.equal(h.cloud.size, 0);
  assert.equal((await h.service.find(h.caller, child.id, { showDeleted: true })).action, 'DELETE');

  // Each level nests the previous one: six levels are one too many.
  let deep: JsonObject = { heat_template_version: '2016-10-14', resources: { leaf: { type: 'Test::Thing' } } };
  for (let level = 0; level < 6; level++)
    deep = { heat_template_version: '2016-10-14', resources: { down: { type: 'Test::Nested', properties: { template: JSON.stringify(deep) } } } };
  const tooDeep = await h.service.create(h.caller, { name: 'deep', template: deep });
  const failed = await h.settled(tooDeep.id);
  assert.equal(failed.status, 'FAILED');
  assert.match(failed.statusReason, /Recursion depth exceeds 5\./);
});

test('signals reach the type; snapshots record resource data; suspend, resume and check walk the stack', async (t) => {
  const h = await openEngineHarness(t);
  const template: JsonObject = { heat_template_version: '2016-10-14', resources: { sig: { type: 'Test::Signalled' }, thing: { type: 'Test::Thing' } } };
  const s = await h.service.create(h.caller, { name: 'sig', template });
  await h.settled(s.id);
  await h.service.signal(h.caller, s.id, 'sig', { status: 'SUCCESS' });
  assert.equal((await h.service.resource(h.caller, s.id, 'sig')).attributes.signals, '{"status":"SUCCESS"}');
  await assert.rejects(h.service.signal(h.caller, s.id, 'thing', {}), /Signal is not supported for resource\./);
  await assert.rejects(h.service.resource(h.caller, s.id, 'nope'), /The Resource \(nope\) could not be found in Stack sig\./);

  const snapshot = await h.service.createSnapshot(h.caller, s.id, 'snap');
  await h.settled(s.id);
  const stored = await h.service.snapshot(h.caller, s.id, snapshot.id);
  assert.equal(stored.status, 'COMPLETE');
  const resources = stored.data?.resources as JsonObject;
  assert.deepEqual((resources.sig as JsonObject).resource_data, { signals: '{"status":"SUCCESS"}' });
  assert.equal((await h.service.snapshots(h.caller, s.id)).length, 1);
  await h.service.restoreSnapshot(h.caller, s.id, snapshot.id);
  assert.equal(`${(await h.settled(s.id)).action}_${(await h.settled(s.id)).status}`, 'RESTORE_COMPLETE');
  await h.service.deleteSnapshot(h.caller, s.id, snapshot.id);
  await assert.rejects(h.service.snapshot(h.caller, s.id, snapshot.id), /Snapshot with id .* not found/);

  for (const action of ['suspend', 'resume', 'check'] as const) {
    await h.service.action(h.caller, s.id, action);
    const after = await h.settled(s.id);
    assert.equal(`${after.action}_${after.status}`, `${action.toUpperCase()}_COMPLETE`, after.statusReason);
  }
  const checked = await h.service.resource(h.caller, s.id, 'thing');
  assert.equal(checked.statusReason, 'CHECK not supported for Test::Thing');
  await h.service.markUnhealthy(h.caller, s.id, 'thing', true, 'broken');
  assert.equal((await h.service.resource(h.caller, s.id, 'thing')).status, 'FAILED');
});

test('policy rules are checked with Heat names; preview, validate and resource types answer without storing', async (t) => {
  const h = await openEngineHarness(t);
  h.denied.add('stacks:create');
  await assert.rejects(h.service.create(h.caller, { name: 'denied', template: slow(1) }), /You are not authorized to use stacks:create\./);
  h.denied.clear();
  h.denied.add('resource_types:Test::Thing');
  await assert.rejects(h.service.create(h.caller, { name: 'typed', template: slow(1) }), /You are not authorized to use Test::Thing\./);
  h.denied.clear();
  await assert.rejects(h.service.create(h.caller, { name: '1bad', template: slow(1) }), /Invalid stack name 1bad/);
  await assert.rejects(
    h.service.create(h.caller, { name: 'unknown', template: { heat_template_version: '2016-10-14', resources: { x: { type: 'No::Such' } } } }),
    /The Resource Type \(No::Such\) could not be found\./,
  );
  await assert.rejects(
    h.service.create(h.caller, {
      name: 'badprop',
      template: { heat_template_version: '2016-10-14', resources: { x: { type: 'Test::Thing', properties: { nope: 1 } } } },
    }),
    /Property error: : resources\.x\.properties: Unknown Property nope/,
  );
  await assert.rejects(h.service.create(h.caller, { name: 'adopt', template: slow(1), adoptStackData: {} }), /Stack Adopt is not supported\./);

  const preview = await h.service.preview(h.caller, { name: 'pre', template: slow(5) });
  assert.equal(preview.stack.name, 'pre');
  assert.equal((preview.resources[0] as JsonObject).resource_name, 'slow');
  const withChild: JsonObject = {
    heat_template_version: '2016-10-14',
    resources: { group: { type: 'Test::Nested', properties: { template: JSON.stringify(slow(5)) } } },
  };
  const nestedPreview = await h.service.preview(h.caller, { name: 'pre', template: withChild });
  assert.deepEqual(
    (nestedPreview.resources[0] as JsonObject[]).map((r) => [r.resource_name, r.stack_name, r.parent_resource]),
    [['slow', 'pre-group', 'group']],
  );
  assert.equal((await h.service.list(h.caller, {})).length, 0);

  const validated = await h.service.validate(h.caller, {
    template: { heat_template_version: '2016-10-14', description: 'd', parameters: { p: { default: 'x' } }, resources: {} },
  });
  assert.equal(validated.description, 'd');
  assert.ok(validated.parameters.p);

  const types = await h.service.resourceTypes(h.caller, {});
  assert.deepEqual(
    types.map((x) => x.type),
    ['Test::Nested', 'Test::Signalled', 'Test::Thing'],
  );
  const schema = await h.service.resourceTypeSchema(h.caller, 'Test::Thing');
  assert.deepEqual((schema.properties as JsonObject).delay_ms, {
    type: 'integer',
    description: '',
    required: false,
    update_allowed: true,
    immutable: false,
    default: 0,
  });
  assert.ok((schema.attributes as JsonObject).show);
  const hot = await h.service.resourceTypeTemplate(h.caller, 'Test::Thing', 'hot');
  assert.equal(((hot.resources as JsonObject).Thing as JsonObject).type, 'Test::Thing');
  await assert.rejects(h.service.resourceTypeSchema(h.caller, 'No::Such'), /The Resource Type \(No::Such\) could not be found\./);
});

test("a parent's timeout fails its nested stack too (none stays IN_PROGRESS)", async (t) => {
  const h = await openEngineHarness(t);
  const inner = { heat_template_version: '2016-10-14', resources: { leaf: { type: 'Test::Thing', properties: { delay_ms: 60_000 } } } };
  const template: JsonObject = {
    heat_template_version: '2016-10-14',
    resources: { child: { type: 'Test::Nested', properties: { template: JSON.stringify(inner) } } },
  };
  const s = await h.service.create(h.caller, { name: 'slowparent', template, timeoutMins: 0.005 });
  const parent = await h.settled(s.id);
  assert.equal(`${parent.action}_${parent.status}`, 'CREATE_FAILED');
  assert.equal(parent.statusReason, 'Create timed out');
  const child = (await h.service.list(h.caller, { showNested: true })).find((x) => x.parentId === s.id)!;
  assert.equal(`${child.action}_${child.status}`, 'CREATE_FAILED');
  assert.equal(child.statusReason, 'Create timed out');
});

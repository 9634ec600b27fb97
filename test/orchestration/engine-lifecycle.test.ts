/** The engine's stack lifecycle: create in dependency order, outputs, events, update (in place, replace, add, remove), delete, rollback. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../support/databases.js';
import type { JsonObject } from '../../src/orchestration/json.js';
import { openEngineHarness } from './support/engine-harness.js';

const twoThings: JsonObject = {
  heat_template_version: '2016-10-14',
  parameters: { greeting: { type: 'string', default: 'hello' } },
  resources: {
    first: { type: 'Test::Thing', properties: { value: { get_param: 'greeting' } } },
    second: { type: 'Test::Thing', properties: { value: { get_attr: ['first', 'value'] }, fixed: { get_resource: 'first' } } },
  },
  outputs: {
    second_value: { description: 'from second', value: { get_attr: ['second', 'value'] } },
    broken: { value: { get_attr: ['nowhere', 'value'] } },
  },
};

forEachDialect('stack lifecycle', (dialect) => {
  test('create walks the graph, records Heat events and evaluates outputs; delete removes every object', async (t) => {
    const h = await openEngineHarness(t, { dialect });
    const created = await h.service.create(h.caller, { name: 'life', template: twoThings });
    assert.equal(created.action, 'CREATE');
    assert.equal(created.status, 'IN_PROGRESS');
    assert.equal(created.statusReason, 'Stack CREATE started');
    assert.equal(created.disableRollback, true);
    const done = await h.settled(created.id);
    assert.equal(`${done.action}_${done.status}`, 'CREATE_COMPLETE', done.statusReason);
    assert.equal(done.statusReason, 'Stack CREATE completed successfully');
    assert.equal(h.cloud.size, 2);

    const resources = await h.service.resources(h.caller, created.id, {});
    const second = resources.find((r) => r.name === 'second')!;
    const first = resources.find((r) => r.name === 'first')!;
    assert.deepEqual(second.dependsOn, ['first']);
    assert.deepEqual(first.requiredBy, ['second']);
    const shown = await h.service.resource(h.caller, created.id, 'second');
    assert.equal(shown.properties.value, 'hello');
    assert.equal(shown.properties.fixed, first.physicalId);
    assert.equal(shown.attributes.value, 'hello');

    const outputs = await h.service.outputs(h.caller, created.id);
    assert.deepEqual(
      outputs.find((o) => o.key === 'second_value'),
      { key: 'second_value', description: 'from second', value: 'hello' },
    );
    assert.ok(outputs.find((o) => o.key === 'broken')?.error);

    const events = await h.service.events(h.caller, created.id, {});
    const summary = events.map((e) => `${e.resourceName} ${e.action}_${e.status} ${e.statusReason}`);
    assert.deepEqual(summary, [
      'life CREATE_IN_PROGRESS Stack CREATE started',
      'first CREATE_IN_PROGRESS state changed',
      'first CREATE_COMPLETE state changed',
      'second CREATE_IN_PROGRESS state changed',
      'second CREATE_COMPLETE state changed',
      'life CREATE_COMPLETE Stack CREATE completed successfully',
    ]);
    const filtered = await h.service.events(h.caller, created.id, { resourceName: 'first', resourceStatus: ['COMPLETE'] });
    assert.equal(filtered.length, 1);

    await h.service.delete(h.caller, created.id);
    const deleted = await h.settled(created.id);
    assert.equal(`${deleted.action}_${deleted.status}`, 'DELETE_COMPLETE', deleted.statusReason);
    assert.equal(h.cloud.size, 0);
    await assert.rejects(h.service.find(h.caller, 'life'), /The Stack \(life\) could not be found/);
    assert.equal((await h.service.list(h.caller, { showDeleted: true })).length, 1);
    assert.equal((await h.service.list(h.caller, {})).length, 0);
  });

  test('a failed create is CREATE_FAILED with the resource reason; with rollback enabled it rolls back and leaves nothing', async (t) => {
    const h = await openEngineHarness(t, { dialect });
    const template: JsonObject = {
      heat_template_version: '2016-10-14',
      resources: { ok: { type: 'Test::Thing' }, bad: { type: 'Test::Thing', properties: { fail: true }, depends_on: 'ok' } },
    };
    const kept = await h.service.create(h.caller, { name: 'kept', template });
    const failed = await h.settled(kept.id);
    assert.equal(`${failed.action}_${failed.status}`, 'CREATE_FAILED');
    assert.equal(failed.statusReason, 'Resource CREATE failed: Error: resources.bad: Went wrong on purpose');
    const bad = (await h.service.resources(h.caller, kept.id, {})).find((r) => r.name === 'bad')!;
    assert.equal(bad.statusReason, 'Error: resources.bad: Went wrong on purpose');
    assert.equal(h.cloud.size, 2);

    const rolled = await h.service.create(h.caller, { name: 'rolled', template, disableRollback: false });
    const after = await h.settled(rolled.id);
    assert.equal(`${after.action}_${after.status}`, 'ROLLBACK_COMPLETE', after.statusReason);
    assert.equal(h.cloud.size, 2, 'only the first stack keeps its objects');
    const stackEvents = (await h.service.events(h.caller, rolled.id, {})).filter((e) => e.resourceName === 'rolled').map((e) => `${e.action}_${e.status}`);
    assert.deepEqual(stackEvents, ['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE']);
  });

  test('update changes in place, replaces, adds and removes; a failed update rolls back to the old template', async (t) => {
    const h = await openEngineHarness(t, { dialect });
    const v1: JsonObject = {
      heat_template_version: '2016-10-14',
      resources: {
        a: { type: 'Test::Thing', properties: { value: 'one', fixed: 'x' } },
        b: { type: 'Test::Thing', properties: { fixed: 'y' } },
        gone: { type: 'Test::Thing' },
      },
    };
    const stack = await h.service.create(h.caller, { name: 'upd', template: v1 });
    await h.settled(stack.id);
    const before = await h.service.resources(h.caller, stack.id, {});
    const id = (name: string, list = before) => list.find((r) => r.name === name)!.physicalId;

    const v2: JsonObject = {
      heat_template_version: '2016-10-14',
      resources: {
        a: { type: 'Test::Thing', properties: { value: 'two', fixed: 'x' } },
        b: { type: 'Test::Thing', properties: { fixed: 'z' } },
        added: { type: 'Test::Thing' },
      },
    };
    const preview = await h.service.previewUpdate(h.caller, stack.id, { name: 'upd', template: v2 });
    const names = (items: unknown[]) => items.map((i) => (i as JsonObject).resource_name).sort();
    assert.deepEqual(names(preview.updated), ['a']);
    assert.deepEqual(names(preview.replaced), ['b']);
    assert.deepEqual(names(preview.added), ['added']);
    assert.deepEqual(names(preview.deleted), ['gone']);

    await h.service.update(h.caller, stack.id, { name: 'upd', template: v2 });
    const updated = await h.settled(stack.id);
    assert.equal(`${updated.action}_${updated.status}`, 'UPDATE_COMPLETE', updated.statusReason);
    const after = await h.service.resources(h.caller, stack.id, {});
    assert.deepEqual(after.map((r) => r.name).sort(), ['a', 'added', 'b']);
    assert.equal(id('a', after), id('a'), 'updated in place');
    assert.notEqual(id('b', after), id('b'), 'replaced');
    assert.equal(h.cloud.size, 3);
    assert.equal(h.cloud.get(id('a')!)?.value, 'two');

    const v3: JsonObject = { heat_template_version: '2016-10-14', resources: { a: { type: 'Test::Thing', properties: { value: 'three', fail: true } } } };
    await h.service.update(h.caller, stack.id, { name: 'upd', template: v3, disableRollback: false });
    const rolled = await h.settled(stack.id);
    assert.equal(`${rolled.action}_${rolled.status}`, 'ROLLBACK_COMPLETE', rolled.statusReason);
    assert.deepEqual(rolled.template, v2);
    const restored = await h.service.resources(h.caller, stack.id, {});
    assert.deepEqual(restored.map((r) => `${r.name} ${r.action}_${r.status}`).sort(), ['a UPDATE_COMPLETE', 'added CREATE_COMPLETE', 'b CREATE_COMPLETE']);
    assert.equal(h.cloud.get(id('a')!)?.value, 'two');
  });

  test('PATCH keeps the template and parameters; tags replace; list filters by tag and hides hidden tags', async (t) => {
    const h = await openEngineHarness(t, { dialect });
    const template: JsonObject = {
      heat_template_version: '2016-10-14',
      parameters: { p: { default: 'd' } },
      resources: { a: { type: 'Test::Thing', properties: { value: { get_param: 'p' } } } },
    };
    const s = await h.service.create(h.caller, { name: 'patched', template, parameters: { p: 'first' }, tags: ['x', 'y'] });
    await h.settled(s.id);
    const hidden = await h.service.create(h.caller, { name: 'hidden', template, tags: ['data-processing-cluster'] });
    await h.settled(hidden.id);
    await h.service.update(h.caller, s.id, { name: 'patched', template: {}, existing: true, tags: ['z'] });
    const after = await h.settled(s.id);
    assert.equal(after.parameters.p, 'first');
    assert.deepEqual(after.tags, ['z']);
    assert.deepEqual(
      (await h.service.list(h.caller, { tags: ['z'] })).map((x) => x.name),
      ['patched'],
    );
    assert.deepEqual(
      (await h.service.list(h.caller, { notTagsAny: ['z'] })).map((x) => x.name),
      [],
    );
    assert.deepEqual(
      (await h.service.list(h.caller, { showHidden: true, sortKeys: ['name'], sortDir: 'asc' })).map((x) => x.name),
      ['hidden', 'patched'],
    );
    assert.equal(await h.service.count(h.caller, {}), 1);
  });
});

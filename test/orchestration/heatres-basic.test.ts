import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateRandomString, randomString } from '../../src/orchestration/resources/heat/random-string.js';
import { noneResource } from '../../src/orchestration/resources/heat/none.js';
import { testResource } from '../../src/orchestration/resources/heat/test-resource.js';
import { valueResource } from '../../src/orchestration/resources/heat/value.js';
import { heatResourceTypes } from '../../src/orchestration/resources/heat/index.js';
import { fakeContext } from './support/heatres-context.js';

const validationCtx = () => {
  const { ctx } = fakeContext();
  return { caller: ctx.caller, services: ctx.services, stack: ctx.stack };
};

describe('OS::Heat::RandomString', () => {
  it('stores one string, answers it as value and as reference, and keeps it on a retried create', async () => {
    const { ctx, resource } = fakeContext({ name: 'secret' });
    await randomString.create(ctx, { length: 20, character_classes: [{ class: 'digits', min: 1 }] });
    const value = resource.data.value;
    assert.match(value ?? '', /^[0-9]{20}$/);
    assert.equal(await randomString.resolveAttribute(ctx, 'value'), value);
    assert.equal(randomString.referenceId?.(resource), value);
    await randomString.create(ctx, { length: 20 });
    assert.equal(resource.data.value, value);
  });

  it('answers its name as reference before it exists', () => {
    const { resource } = fakeContext({ name: 'secret' });
    assert.equal(randomString.referenceId?.(resource), 'secret');
  });

  it('honours each minimum of sequences and classes', () => {
    for (let i = 0; i < 20; i += 1) {
      const text = generateRandomString(6, [
        { chars: '!@#', min: 2 },
        { chars: 'ABCDEF', min: 3 },
      ]);
      assert.equal(text.length, 6);
      assert.ok([...text].filter((ch) => '!@#'.includes(ch)).length >= 2);
      assert.ok([...text].filter((ch) => 'ABCDEF'.includes(ch)).length >= 3);
    }
  });

  it('refuses minimums longer than the length, in Heat words', async () => {
    await assert.rejects(randomString.validate!({ length: 2, character_classes: [{ class: 'digits', min: 3 }] }, validationCtx()), {
      message: 'Length property cannot be smaller than combined character class and character sequence minimums',
      type: 'StackValidationFailed',
    });
  });
});

describe('OS::Heat::Value', () => {
  it('answers the value, typed, and follows an update in place', async () => {
    const { ctx } = fakeContext();
    await valueResource.create(ctx, { value: '42', type: 'number' });
    assert.equal(await valueResource.resolveAttribute(ctx, 'value'), 42);
    await valueResource.update!(ctx, { properties: { value: { a: [1] } }, previous: { value: '42' }, changed: ['value', 'type'] });
    assert.deepEqual(await valueResource.resolveAttribute(ctx, 'value'), { a: [1] });
  });

  it('refuses a value that is not of its type', async () => {
    await assert.rejects(valueResource.validate!({ value: 'x', type: 'json' }, validationCtx()), { message: '"x" is not a map' });
    await assert.rejects(valueResource.validate!({ value: 'maybe', type: 'boolean' }, validationCtx()), { message: '"maybe" is not a valid boolean' });
  });
});

describe('OS::Heat::None', () => {
  it('takes any properties, never replaces and answers null attributes', async () => {
    const { ctx, resource } = fakeContext();
    assert.equal(noneResource.acceptsAnyProperties, true);
    await noneResource.create(ctx, { anything: 1 });
    assert.match(resource.physicalId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(noneResource.needsReplace?.({ properties: { a: 2 }, previous: { a: 1 }, changed: ['a'] }), false);
    assert.equal(await noneResource.resolveAttribute(ctx, 'whatever'), null);
  });
});

describe('OS::Heat::TestResource', () => {
  it('stores the value as output, physical id the physical name', async () => {
    const { ctx, resource } = fakeContext({ name: 'test1' });
    await testResource.create(ctx, { value: 'hello', fail: false, wait_secs: 0 });
    assert.equal(resource.physicalId, 'teststack-test1-abcdefghijkl');
    assert.equal(await testResource.resolveAttribute(ctx, 'output'), 'hello');
  });

  it('fails a create with fail: true after its wait, with Heat message and no physical id', async () => {
    const { ctx, resource } = fakeContext({ name: 'test1' });
    const started = Date.now();
    await assert.rejects(testResource.create(ctx, { value: 'x', fail: true, wait_secs: 0, action_wait_secs: { create: 0.2 } }), {
      message: 'Test Resource failed test1',
      type: 'ValueError',
    });
    assert.ok(Date.now() - started >= 190);
    assert.equal(resource.physicalId, null);
  });

  it('replaces on a value change only with update_replace, always on update_replace_value', () => {
    const change = (changed: string[], props: Record<string, boolean | string>) => ({ properties: props, previous: {}, changed });
    assert.equal(testResource.needsReplace!(change(['value'], { update_replace: true })), true);
    assert.equal(testResource.needsReplace!(change(['value'], { update_replace: false })), false);
    assert.equal(testResource.needsReplace!(change(['update_replace_value'], {})), true);
  });

  it('updates the value in place and fails an update with fail: true', async () => {
    const { ctx } = fakeContext({ name: 't' });
    await testResource.create(ctx, { value: 'a', fail: false, wait_secs: 0 });
    await testResource.update!(ctx, { properties: { value: 'b', fail: false, wait_secs: 0 }, previous: { value: 'a' }, changed: ['value'] });
    assert.equal(await testResource.resolveAttribute(ctx, 'output'), 'b');
    await assert.rejects(
      testResource.update!(ctx, { properties: { value: 'c', fail: true, wait_secs: 0 }, previous: { value: 'b' }, changed: ['value', 'fail'] }),
      {
        message: 'Test Resource failed t',
      },
    );
    assert.equal(await testResource.resolveAttribute(ctx, 'output'), 'b');
  });

  it('stops waiting when the action is aborted', async () => {
    const { ctx, controller } = fakeContext();
    const pending = testResource.create(ctx, { value: 'x', fail: false, wait_secs: -1 });
    controller.abort(new Error('cancelled'));
    await assert.rejects(pending, { message: 'cancelled' });
  });

  it('waits on delete as delete_wait_secs says, and never fails a delete', async () => {
    const { ctx } = fakeContext();
    await testResource.create(ctx, { value: 'x', fail: false, wait_secs: 0, action_wait_secs: { delete: 0.1 } });
    const started = Date.now();
    await testResource.delete(ctx);
    assert.ok(Date.now() - started >= 90);
  });
});

describe('heatResourceTypes', () => {
  it('lists each type once', () => {
    const names = heatResourceTypes.map((plugin) => plugin.type);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('OS::Heat::TestResource'));
  });
});

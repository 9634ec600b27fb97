import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitCondition } from '../../src/orchestration/resources/heat/wait-condition.js';
import { normaliseSignal, waitConditionHandle } from '../../src/orchestration/resources/heat/wait-condition-handle.js';
import { fakeContext, siblingOf } from './support/heatres-context.js';

async function handleAndCondition(transport = 'CFN_SIGNAL') {
  const handle = fakeContext({ name: 'wait_handle', type: 'OS::Heat::WaitConditionHandle' });
  await waitConditionHandle.create(handle.ctx, { signal_transport: transport });
  const siblings = new Map([['wait_handle', siblingOf(handle, 'OS::Heat::WaitConditionHandle')]]);
  const condition = fakeContext({ name: 'wait_condition', siblings });
  return { handle, condition, reference: handle.resource.physicalId ?? '' };
}

describe('OS::Heat::WaitConditionHandle', () => {
  it('stores signals in metadata with Heat defaults', async () => {
    const { handle } = await handleAndCondition();
    await waitConditionHandle.signal!(handle.ctx, null);
    await waitConditionHandle.signal!(handle.ctx, { status: 'FAILURE', reason: 'broke', data: 'x', id: 'abc' });
    assert.deepEqual(handle.resource.metadata, {
      '1': { reason: 'Signal 1 received', data: null, status: 'SUCCESS' },
      abc: { status: 'FAILURE', reason: 'broke', data: 'x' },
    });
  });

  it('refuses a signal with unknown keys or status', () => {
    assert.throws(() => normaliseSignal({ status: 'DONE' }, {}), { message: 'Metadata format invalid' });
    assert.throws(() => normaliseSignal({ extra: 1 }, {}), { message: 'Metadata format invalid' });
  });

  it('answers the signal attribute per transport as Python JSON', async () => {
    const { handle } = await handleAndCondition('CFN_SIGNAL');
    const signal = await waitConditionHandle.resolveAttribute(handle.ctx, 'signal');
    assert.match(String(signal), /^\{"alarm_url": "http:\/\/nimbus\.test\/cloudformation\/v1\/signal\//);
    assert.equal(await waitConditionHandle.resolveAttribute(handle.ctx, 'token'), null);
  });

  it('gives a TOKEN_SIGNAL endpoint and curl command when the owner token is known', async () => {
    const handle = fakeContext({ name: 'h' });
    (handle.ctx.caller as { token: string }).token = 'tok';
    await waitConditionHandle.create(handle.ctx, { signal_transport: 'TOKEN_SIGNAL' });
    const endpoint = await waitConditionHandle.resolveAttribute(handle.ctx, 'endpoint');
    assert.match(String(endpoint), /\/resources\/h\/signal$/);
    assert.equal(
      await waitConditionHandle.resolveAttribute(handle.ctx, 'curl_cli'),
      `curl -i -X POST -H 'X-Auth-Token: tok' -H 'Content-Type: application/json' -H 'Accept: application/json' ${String(endpoint)}`,
    );
  });
});

describe('OS::Heat::WaitCondition', () => {
  it('completes after count SUCCESS signals and answers data as Python JSON', async () => {
    const { handle, condition, reference } = await handleAndCondition();
    const waiting = waitCondition.create(condition.ctx, { handle: reference, timeout: 5, count: 2 });
    await waitConditionHandle.signal!(handle.ctx, { status: 'SUCCESS', data: 'one', reason: 'r1', id: '1' });
    await waitConditionHandle.signal!(handle.ctx, { status: 'SUCCESS', data: 'two', reason: 'r2', id: '2' });
    await waiting;
    assert.equal(await waitCondition.resolveAttribute(condition.ctx, 'data'), '{"1": "one", "2": "two"}');
    assert.equal(condition.resource.physicalId, null);
  });

  it('fails on a FAILURE signal with its reason', async () => {
    const { handle, condition, reference } = await handleAndCondition();
    const waiting = waitCondition.create(condition.ctx, { handle: reference, timeout: 5, count: 1 });
    await waitConditionHandle.signal!(handle.ctx, { status: 'FAILURE', reason: 'it broke', data: null, id: '1' });
    await assert.rejects(waiting, { message: 'it broke', type: 'WaitConditionFailure' });
  });

  it('times out with the successes received so far', async () => {
    const { handle, condition, reference } = await handleAndCondition();
    await waitConditionHandle.signal!(handle.ctx, { status: 'SUCCESS', reason: 'first', data: null, id: '1' });
    await assert.rejects(waitCondition.create(condition.ctx, { handle: reference, timeout: 0.3, count: 2 }), {
      message: '1 of 2 received - first',
      type: 'WaitConditionTimeout',
    });
  });

  it('refuses a handle that is not a wait condition handle', async () => {
    const other = fakeContext({ name: 'other' });
    other.resource.physicalId = other.resource.physicalName;
    const condition = fakeContext({
      name: 'wc',
      siblings: new Map([['other', { ...siblingOf(other, 'OS::Heat::TestResource'), type: 'OS::Heat::TestResource' }]]),
    });
    await assert.rejects(waitCondition.create(condition.ctx, { handle: other.resource.physicalName, timeout: 1, count: 1 }), {
      message: 'other is not a valid wait condition handle.',
    });
  });
});

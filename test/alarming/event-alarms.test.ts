/**
 * Event alarms judged on the cloud's notifications: Cinder's
 * `volume.create.end`/`volume.delete.end` and Glance's `image.upload`/
 * `image.delete` published by the services, matched by event type pattern,
 * trait query and project; repeat_actions honoured; disabled alarms and
 * other projects' alarms untouched. Plus the fnmatch-style pattern itself.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { wildcardPattern } from '../../src/alarming/service/event-evaluator.js';
import { startTestServer, type TestServer } from '../support/server.js';

let cloud: TestServer;
let demo: string;
let admin: string;

before(async () => {
  cloud = await startTestServer((config) => {
    config.alarming.evaluation_interval = 3600;
  });
  demo = await cloud.demoToken();
  admin = await cloud.adminToken();
});
after(() => cloud.close());

test('event type patterns read as fnmatch reads them', () => {
  assert.ok(wildcardPattern('compute.instance.power_off.*').test('compute.instance.power_off.end'));
  assert.ok(!wildcardPattern('compute.instance.power_off.*').test('compute.instance.power_on.end'));
  assert.ok(wildcardPattern('volume.*.end').test('volume.create.end'));
  assert.ok(wildcardPattern('image.uploa?').test('image.upload'));
  assert.ok(wildcardPattern('volume.[cd]*').test('volume.delete.end'));
  assert.ok(!wildcardPattern('volume.[!cd]*').test('volume.delete.end'));
  assert.ok(!wildcardPattern('image').test('image.upload'));
});

async function eventAlarm(token: string, name: string, rule: object, extra: object = {}) {
  const created = await cloud.request('POST', '/alarming/v2/alarms', { token, body: { name, type: 'event', event_rule: rule, ...extra } });
  assert.equal(created.status, 201, created.text);
  return created.body as { alarm_id: string; project_id: string };
}
const alarmOf = async (id: string, token = demo) => (await cloud.request('GET', `/alarming/v2/alarms/${id}`, { token })).body;
const transitions = async (id: string, token = demo) =>
  ((await cloud.request('GET', `/alarming/v2/alarms/${id}/history`, { token })).body as Array<{ type: string; detail: string }>).filter(
    (entry) => entry.type === 'state transition',
  );
async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('volume.create.end fires the matching alarm of the volume’s project, once without repeat_actions, on each event with it', async () => {
  const byName = await eventAlarm(demo, 'disk-made', {
    event_type: 'volume.create.*',
    query: [{ field: 'traits.display_name', op: 'eq', value: 'evented', type: 'string' }],
  });
  const bigOnes = await eventAlarm(
    demo,
    'big-disk',
    { event_type: 'volume.*', query: [{ field: 'traits.size', op: 'ge', value: '2', type: 'integer' }] },
    { repeat_actions: true },
  );
  const otherName = await eventAlarm(demo, 'other-disk', { event_type: 'volume.create.end', query: [{ field: 'traits.display_name', value: 'nope' }] });
  const disabled = await eventAlarm(demo, 'disabled', { event_type: 'volume.create.end' }, { enabled: false });
  const otherProject = await eventAlarm(admin, 'admin-disks', { event_type: 'volume.create.end' });
  const volumes = `/volume/v3/${byName.project_id}/volumes`;

  const small = await cloud.request('POST', volumes, { token: demo, body: { volume: { size: 1, name: 'evented' } } });
  assert.equal(small.status, 202, small.text);
  await until(async () => (await alarmOf(byName.alarm_id)).state === 'alarm');
  const fired = await alarmOf(byName.alarm_id);
  assert.equal(fired.state, 'alarm');
  assert.match(
    fired.state_reason,
    /^Event <id=[0-9a-f-]+,event_type=volume\.create\.end> hits the query <query=\[\{"field": "traits\.display_name", "op": "eq", "type": "string", "value": "evented"\}\]>\.$/,
  );
  const [transition] = await transitions(byName.alarm_id);
  assert.deepEqual(JSON.parse(transition!.detail), { state: 'alarm', transition_reason: fired.state_reason });

  const big = await cloud.request('POST', volumes, { token: demo, body: { volume: { size: 2, name: 'evented' } } });
  assert.equal(big.status, 202);
  await until(async () => (await alarmOf(bigOnes.alarm_id)).state === 'alarm');
  assert.equal((await alarmOf(bigOnes.alarm_id)).state, 'alarm');
  // Already in alarm without repeat_actions: the second matching volume adds no transition.
  assert.equal((await transitions(byName.alarm_id)).length, 1);

  const gone = await cloud.request('DELETE', `${volumes}/${big.body.volume.id}`, { token: demo });
  assert.equal(gone.status, 202);
  // repeat_actions: volume.delete.end of a 2 GB volume fires again and records it again.
  await until(async () => (await transitions(bigOnes.alarm_id)).length === 2);
  assert.equal((await transitions(bigOnes.alarm_id)).length, 2);

  for (const untouched of [otherName, disabled]) assert.equal((await alarmOf(untouched.alarm_id)).state, 'insufficient data');
  assert.equal((await alarmOf(otherProject.alarm_id, admin)).state, 'insufficient data');
});

test('image.upload and image.delete carry the owner as project and the image as resource', async () => {
  const created = await cloud.request('POST', '/image/v2/images', {
    token: demo,
    body: { name: 'evented-image', disk_format: 'raw', container_format: 'bare' },
  });
  assert.equal(created.status, 201, created.text);
  const imageId = created.body.id as string;
  const uploaded = await eventAlarm(demo, 'uploaded', { event_type: 'image.upload', query: [{ field: 'traits.resource_id', value: imageId }] });
  const deleted = await eventAlarm(demo, 'deleted', {
    event_type: 'image.delete',
    query: [
      { field: 'traits.resource_id', value: imageId },
      { field: 'traits.size', op: 'eq', value: '5', type: 'integer' },
    ],
  });
  const upload = await fetch(`${cloud.url}/image/v2/images/${imageId}/file`, {
    method: 'PUT',
    headers: { 'x-auth-token': demo, 'content-type': 'application/octet-stream' },
    body: 'bytes',
  });
  assert.equal(upload.status, 204);
  await until(async () => (await alarmOf(uploaded.alarm_id)).state === 'alarm');
  assert.equal((await alarmOf(uploaded.alarm_id)).state, 'alarm');
  assert.equal((await alarmOf(deleted.alarm_id)).state, 'insufficient data');
  assert.equal((await cloud.request('DELETE', `/image/v2/images/${imageId}`, { token: demo })).status, 204);
  await until(async () => (await alarmOf(deleted.alarm_id)).state === 'alarm');
  assert.equal((await alarmOf(deleted.alarm_id)).state, 'alarm');
});

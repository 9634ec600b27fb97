/**
 * `/_nimbus/clock`: moving the cloud's time forward makes what depends on it
 * happen at once, without sleeping: tokens (default lifetime) and application
 * credentials expire, a lockout ends, a timed shelve offload runs, the alarm
 * evaluator runs its next round; usage periods and backups take the cloud's
 * time. One server for the file; the clock only moves
 * forward, so each test takes fresh tokens after the previous one's advance.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startComputeCloud, type ComputeCloud } from '../compute/support.js';

const TOKEN_LIFETIME_S = 3600;
const LOCKOUT_S = 300;
const OFFLOAD_S = 7200;

let c: ComputeCloud;
before(async () => {
  c = await startComputeCloud((config) => {
    config.compute.shelved_offload_time = OFFLOAD_S;
    config.identity.security_compliance.lockout_failure_attempts = 2;
    config.identity.security_compliance.lockout_duration = LOCKOUT_S;
  });
});
after(() => c.close());

const admin = () => c.cloud.adminToken();
const demo = () => c.cloud.demoToken();
const readClock = async () => (await c.cloud.request('GET', '/_nimbus/clock', { token: await admin() })).body;
const advance = async (seconds: unknown) => c.cloud.request('POST', '/_nimbus/clock', { token: await admin(), body: { advance_seconds: seconds } });

async function advanced(seconds: number): Promise<{ now: string; offset_seconds: number }> {
  const response = await advance(seconds);
  assert.equal(response.status, 200, response.text);
  return response.body as { now: string; offset_seconds: number };
}

const near = (actualMs: number, expectedMs: number) =>
  assert.ok(Math.abs(actualMs - expectedMs) < 5000, `${new Date(actualMs).toISOString()} is not near ${new Date(expectedMs).toISOString()}`);

/** Polls `read` until it returns `wanted` (about 5 s at most): what came due runs promptly, not at the next wall-clock interval. */
async function eventually<T>(read: () => Promise<T>, wanted: T): Promise<void> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await read();
    if (last === wanted) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`never became ${String(wanted)}: last ${String(last)}`);
}

test('GET reads the clock: real time, no offset yet', async () => {
  const clock = await readClock();
  assert.equal(clock.offset_seconds, 0);
  near(Date.parse(clock.now), Date.now());
});

test('advance_seconds must be a positive number (400), and only the cloud admin may move time', async () => {
  for (const bad of [0, -5, '10', null, Number.NaN, 1e300]) {
    const response = await advance(bad);
    assert.equal(response.status, 400, `${String(bad)}: ${response.text}`);
    assert.equal(response.body.error.code, 400);
  }
  const empty = await c.cloud.request('POST', '/_nimbus/clock', { token: await admin(), body: {} });
  assert.equal(empty.status, 400);
  const member = await c.cloud.request('POST', '/_nimbus/clock', { token: await demo(), body: { advance_seconds: 10 } });
  assert.equal(member.status, 403);
  assert.equal((await c.cloud.request('GET', '/_nimbus/clock')).status, 401);
  assert.equal((await readClock()).offset_seconds, 0, 'refused requests left time alone');
});

test('a token of the default lifetime is refused once time passes its expiry, cached or not', async () => {
  const token = await admin();
  const servers = () => c.call('GET', '/servers', { token });
  // A compute call puts the token in identity's validated-token cache.
  assert.equal((await servers()).status, 200);
  const clock = await advanced(TOKEN_LIFETIME_S + 1);
  assert.equal(clock.offset_seconds, TOKEN_LIFETIME_S + 1);
  near(Date.parse(clock.now), Date.now() + (TOKEN_LIFETIME_S + 1) * 1000);
  assert.equal((await servers()).status, 401);
  const fresh = await admin();
  const issued = await c.cloud.request('GET', '/identity/v3/auth/tokens', { token: fresh, headers: { 'x-subject-token': fresh } });
  near(Date.parse(issued.body.token.issued_at), Date.parse(clock.now));
});

test('an application credential stops authenticating once its expires_at has passed', async () => {
  const token = await demo();
  const self = await c.cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
  const userId = self.body.token.user.id as string;
  const expiresAt = new Date(Date.parse((await readClock()).now) + 600_000).toISOString();
  const created = await c.cloud.request('POST', `/identity/v3/users/${userId}/application_credentials`, {
    token,
    body: { application_credential: { name: 'short-lived', expires_at: expiresAt } },
  });
  assert.equal(created.status, 201, created.text);
  const { id, secret } = created.body.application_credential;
  const authenticate = async () =>
    (
      await c.cloud.request('POST', '/identity/v3/auth/tokens', {
        body: { auth: { identity: { methods: ['application_credential'], application_credential: { id, secret } } } },
      })
    ).status;
  assert.equal(await authenticate(), 201);
  await advanced(601);
  assert.equal(await authenticate(), 401);
});

test('a locked-out user authenticates again once lockout_duration has passed', async () => {
  const token = await admin();
  const created = await c.cloud.request('POST', '/identity/v3/users', { token, body: { user: { name: 'forgetful', password: 'right-one' } } });
  assert.equal(created.status, 201, created.text);
  const attempt = async (password: string) =>
    (
      await c.cloud.request('POST', '/identity/v3/auth/tokens', {
        body: { auth: { identity: { methods: ['password'], password: { user: { id: created.body.user.id, password } } } } },
      })
    ).status;
  assert.equal(await attempt('wrong'), 401);
  assert.equal(await attempt('wrong'), 401);
  assert.equal(await attempt('right-one'), 401, 'locked out');
  await advanced(LOCKOUT_S - 10);
  assert.equal(await attempt('right-one'), 401, 'still locked before the duration is over');
  await advanced(11);
  assert.equal(await attempt('right-one'), 201);
});

test('a shelved server is offloaded once shelved_offload_time has passed', async () => {
  const token = await demo();
  const created = await c.call('POST', '/servers', {
    token,
    body: { server: { name: 'timed', imageRef: c.imageId, flavorRef: '42', networks: 'none' } },
    version: '2.37',
  });
  assert.equal(created.status, 202, created.text);
  const id = created.body.server.id as string;
  await c.waitFor(id, 'ACTIVE', token);
  assert.equal((await c.call('POST', `/servers/${id}/action`, { token, body: { shelve: null } })).status, 202);
  await c.waitFor(id, 'SHELVED', token);
  await advanced(OFFLOAD_S - 60);
  // The advance outlived the token: each step after one takes a fresh token.
  assert.equal((await c.waitFor(id, 'SHELVED', await demo())).status, 'SHELVED', 'not offloaded before its time');
  await advanced(61);
  const status = async () => (await c.call('GET', `/servers/${id}`, { token: await demo() })).body.server.status as string;
  await eventually(status, 'SHELVED_OFFLOADED');
});

/** A time as an API renders it, with or without its zone (Nova and Cinder leave it out: UTC). */
const parseUtc = (text: string) => Date.parse(/Z$|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);

async function demoProjectId(token: string): Promise<string> {
  const self = await c.cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
  return self.body.token.project.id as string;
}

test('a usage period without an end stops at the cloud clock’s now', async () => {
  const token = await demo();
  const usage = await c.call('GET', `/os-simple-tenant-usage/${await demoProjectId(token)}?start=2020-01-01T00:00:00`, { token });
  assert.equal(usage.status, 200, usage.text);
  near(parseUtc(usage.body.tenant_usage.stop), Date.parse((await readClock()).now));
});

test('a backup is stamped with the cloud clock’s time', async () => {
  const token = await demo();
  const project = await demoProjectId(token);
  const volume = await c.cloud.request('POST', `/volume/v3/${project}/volumes`, { token, body: { volume: { size: 1, name: 'kept' } } });
  assert.equal(volume.status, 202, volume.text);
  const volumePath = `/volume/v3/${project}/volumes/${volume.body.volume.id}`;
  await eventually(async () => (await c.cloud.request('GET', volumePath, { token })).body.volume.status as string, 'available');
  const backup = await c.cloud.request('POST', `/volume/v3/${project}/backups`, { token, body: { backup: { volume_id: volume.body.volume.id } } });
  assert.equal(backup.status, 202, backup.text);
  const shown = await c.cloud.request('GET', `/volume/v3/${project}/backups/${backup.body.backup.id}`, { token });
  near(parseUtc(shown.body.backup.created_at), Date.parse((await readClock()).now));
});

test("the alarm evaluator's next round runs when time jumps, not a wall-clock interval later", async () => {
  const token = await demo();
  const created = await c.cloud.request('POST', '/alarming/v2/alarms', {
    token,
    body: {
      name: 'woken',
      type: 'gnocchi_resources_threshold',
      state: 'ok',
      gnocchi_resources_threshold_rule: { metric: 'memory.usage', resource_id: 'gone', resource_type: 'instance', threshold: 512, aggregation_method: 'max' },
    },
  });
  assert.equal(created.status, 201, created.text);
  const path = `/alarming/v2/alarms/${created.body.alarm_id}`;
  // The default evaluation_interval is 60 s: without the clock this round would come a minute from now.
  await advanced(60);
  await eventually(async () => (await c.cloud.request('GET', path, { token: await demo() })).body.state as string, 'insufficient data');
  const history = await c.cloud.request('GET', `${path}/history`, { token: await demo() });
  const transition = history.body[0];
  assert.ok(Date.parse(transition.timestamp) - Date.now() > (TOKEN_LIFETIME_S + 600) * 1000, `recorded on the cloud clock: ${transition.timestamp}`);
});

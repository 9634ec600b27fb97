/**
 * `nimbus clock ...` against a running cloud, and what it calls: `POST
 * /_nimbus/clock {"now"}` (to a later instant) and `DELETE /_nimbus/clock`
 * (back to the real time). The verbs run in this process, but for one run
 * through the real command line.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { promisify } from 'node:util';
import { clockCommand, formatDuration, parseDuration } from '../../src/cli/clock.js';
import { defaultConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../support/server.js';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.js');
const run = promisify(execFile);

let cloud: TestServer;
let admin: string;
before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
});
after(() => cloud.close());

/** The verb's exit code and output lines; a failure of the server rejects with its message. */
async function nimbus(...args: string[]): Promise<{ code: number; out: string }> {
  const config = defaultConfig();
  config.server.data_dir = cloud.dataDir;
  const lines: string[] = [];
  const log = mock.method(console, 'log', (line: string) => void lines.push(line));
  const error = mock.method(console, 'error', () => undefined);
  try {
    // No --token: each call gets a fresh one with the stored password, as the clock moves past a token's lifetime.
    const code = await clockCommand(config, args, { url: cloud.url });
    return { code, out: lines.join('\n') };
  } finally {
    log.mock.restore();
    error.mock.restore();
  }
}

const cloudTime = async (): Promise<number> => Date.parse((await cloud.request('GET', '/_nimbus/clock', { token: await cloud.adminToken() })).body.now);

test('durations: seconds, units and their sums', () => {
  assert.equal(parseDuration('90'), 90);
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('15m'), 900);
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration('1.5d'), 129_600);
  for (const bad of ['', 'h', '1x', '1h 30m', '-5', 'PT1H']) assert.equal(parseDuration(bad), null, bad);
  assert.equal(formatDuration(0), '+0s');
  assert.equal(formatDuration(5400), '+1h30m');
  assert.equal(formatDuration(90_061), '+1d1h1m1s');
});

test('show, advance, set and reset move the cloud clock', async () => {
  const shown = await nimbus('show');
  assert.equal(shown.code, 0);
  assert.match(shown.out, /^\d{4}-\d\d-\d\dT[\d:.]+Z\toffset \+0s$/);

  assert.match((await nimbus('advance', '1h30m')).out, /\toffset \+1h30m$/);
  const ahead = await cloudTime();
  assert.ok(ahead - Date.now() > 5390_000);

  const target = new Date(ahead + 86_400_000).toISOString();
  const set = await nimbus('set', target);
  assert.ok(Math.abs(Date.parse(set.out.split('\t')[0] ?? '') - Date.parse(target)) < 1000, `${set.out} is not at ${target}`);
  assert.match(set.out, /offset \+1d1h30m/);
  await assert.rejects(nimbus('set', new Date(ahead).toISOString()), /400 now \(.*\) is not after the cloud's time .*only moves forward/);

  const validate = () => cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': admin } });
  assert.equal((await validate()).status, 401);
  assert.match((await nimbus('reset')).out, /\toffset \+0s$/);
  assert.ok(Math.abs((await cloudTime()) - Date.now()) < 5000);
  // A token issued before the clock went ahead expired meanwhile, and is within its hour again.
  assert.equal((await validate()).status, 200);
});

test('bad verbs, durations and instants: usage (2) or a clear error, nothing moved', async () => {
  assert.equal((await nimbus('advance')).code, 2);
  assert.equal((await nimbus('rewind', '5')).code, 2);
  assert.equal((await nimbus('show', 'extra')).code, 2);
  await assert.rejects(nimbus('advance', 'soon'), /soon is not a duration/);
  await assert.rejects(nimbus('advance', '0'), /400 advance_seconds must be a number of seconds greater than 0/);
  await assert.rejects(nimbus('set', '2999-01-01T00:00:00'), /400 now must be an ISO 8601 date and time with its zone/);
  await assert.rejects(nimbus('set', 'tomorrow'), /400 now must be/);
  const both = await cloud.request('POST', '/_nimbus/clock', { token: admin, body: { now: '2999-01-01T00:00:00Z', advance_seconds: 5 } });
  assert.equal(both.status, 400);
  assert.match(both.body.error.message, /not both/);
  const demo = await cloud.demoToken();
  assert.equal((await cloud.request('DELETE', '/_nimbus/clock', { token: demo })).status, 403);
  assert.equal((await cloud.request('DELETE', '/_nimbus/clock')).status, 401);
  assert.ok(Math.abs((await cloudTime()) - Date.now()) < 5000, 'none of these moved the clock');
});

test('the nimbus command runs the verbs, as admin with the stored password', async () => {
  const { stdout } = await run(process.execPath, [CLI, 'clock', 'advance', '2m', '--url', cloud.url, '--data-dir', cloud.dataDir]);
  assert.match(stdout, /\toffset \+2m\n$/);
  const reset = await run(process.execPath, [CLI, 'clock', 'reset', '--url', cloud.url, '--data-dir', cloud.dataDir]);
  assert.match(reset.stdout, /\toffset \+0s\n$/);
});

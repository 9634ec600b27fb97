import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

// The bundle, as the installed `nimbus` command runs it (`node scripts/bundle.mjs` after tsc).
const CLI = join(import.meta.dirname, '..', '..', 'nimbus.mjs');

interface Started {
  url: string;
  cloudsYaml: string;
  dataDir: string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** `nimbus start --ephemeral --port 0`, resolved once its ready lines are on stderr. */
function startEphemeral(): Promise<Started> {
  const child = spawn(process.execPath, [CLI, 'start', '--ephemeral', '--port', '0', '--fake-hosts', '0', '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
      const url = /Nimbus is running at (http:\/\/\S+)/.exec(stderr)?.[1];
      const cloudsYaml = /export OS_CLIENT_CONFIG_FILE=(\S+)/.exec(stderr)?.[1];
      const dataDir = /State is ephemeral: (\S+) is removed/.exec(stderr)?.[1];
      if (url && cloudsYaml && dataDir) resolve({ url, cloudsYaml, dataDir, exited, kill: (signal) => child.kill(signal) });
    });
    void exited.then((code) => reject(new Error(`nimbus exited (${code}) before it was ready: ${stderr}`)));
  });
}

test('nimbus start --ephemeral: a free port, state in a temporary dir named on stderr, removed at SIGTERM and at SIGINT', async () => {
  const clouds = await Promise.all([startEphemeral(), startEphemeral()]);
  for (const cloud of clouds) {
    assert.notEqual(new URL(cloud.url).port, '0');
    assert.equal(cloud.cloudsYaml, join(cloud.dataDir, 'clouds.yaml'));
    assert.ok(existsSync(cloud.cloudsYaml));
    assert.equal(await (await fetch(`${cloud.url}/healthcheck`)).text(), 'OK');
  }
  const [terminated, interrupted] = clouds as [Started, Started];
  terminated.kill('SIGTERM');
  interrupted.kill('SIGINT');
  assert.deepEqual(await Promise.all([terminated.exited, interrupted.exited]), [0, 0]);
  assert.equal(existsSync(terminated.dataDir), false);
  assert.equal(existsSync(interrupted.dataDir), false);
});

test('--ephemeral and --data-dir together are refused', () => {
  const result = spawnSync(process.execPath, [CLI, 'start', '--ephemeral', '--data-dir', 'somewhere'], { encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--ephemeral and --data-dir exclude each other/);
  assert.equal(existsSync('somewhere'), false);
});

/**
 * `nimbus state ...` against a running cloud: each verb once, the admin token
 * made from the data directory's stored password. The verbs run in this
 * process (a `nimbus` process costs seconds of module loading), but for one
 * run through the real command line.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { promisify } from 'node:util';
import { defaultConfig } from '../../src/config.js';
import { stateCommand } from '../../src/cli/state.js';
import { startTestServer, type TestServer } from '../support/server.js';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.js');
const run = promisify(execFile);

let cloud: TestServer;
let admin: string;
let exported: string;
before(async () => {
  cloud = await startTestServer((config) => {
    config.server.bootstrap_snapshot = true;
  });
  admin = await cloud.adminToken();
  exported = mkdtempSync(join(tmpdir(), 'nimbus-state-export-'));
});
after(async () => {
  await cloud.close();
  rmSync(exported, { recursive: true, force: true });
});

/** The verb's output, as the command prints it; a failure rejects with the server's message. */
async function nimbus(...args: string[]): Promise<string> {
  const config = defaultConfig();
  config.server.data_dir = cloud.dataDir;
  const lines: string[] = [];
  const log = mock.method(console, 'log', (line: string) => void lines.push(line));
  try {
    const code = await stateCommand(config, args, { url: cloud.url, token: admin });
    assert.equal(code, 0);
  } finally {
    log.mock.restore();
  }
  return lines.map((line) => `${line}\n`).join('');
}

const network = (name: string) => cloud.request('POST', '/network/v2.0/networks', { token: admin, body: { network: { name } } });
const networkStatus = async (id: string) => (await cloud.request('GET', `/network/v2.0/networks/${id}`, { token: admin })).status;

test('save, list, load, reset, export to a folder and import it, delete', async () => {
  const kept = await network('kept');
  assert.match(await nimbus('save', 'one'), /^saved one \(\d+ bytes\)/);
  assert.match(await nimbus('list'), /^bootstrap\t\d{4}-.*\none\t\d{4}-/);

  const dropped = await network('dropped');
  assert.equal(await nimbus('load', 'one'), 'loaded one\n');
  assert.equal(await networkStatus(dropped.body.network.id), 404);
  assert.equal(await networkStatus(kept.body.network.id), 200);

  const folder = join(exported, 'snapshot');
  await nimbus('save', folder);
  assert.ok(existsSync(join(folder, 'snapshot.json')));
  assert.equal(await nimbus('reset'), 'reset to the bootstrap state\n');
  assert.equal(await networkStatus(kept.body.network.id), 404);
  await nimbus('load', folder);
  assert.equal(await networkStatus(kept.body.network.id), 200);
  assert.equal(await nimbus('list'), (await nimbus('list')).replace(/cli-.*\n/, ''), 'imported and exported snapshots do not stay in the data directory');

  await nimbus('delete', 'one');
  await assert.rejects(nimbus('load', 'one'), /404 No state snapshot named one/);
});

test('the nimbus command runs the verbs, as admin with the stored password', async () => {
  const { stdout } = await run(process.execPath, [CLI, 'state', 'list', '--url', cloud.url, '--data-dir', cloud.dataDir]);
  assert.match(stdout, /^bootstrap\t/m);
});

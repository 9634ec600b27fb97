/**
 * The object store through Debian's clients, as a user drives them: the
 * `openstack` CLI (container create, object create/save) and `swift`
 * (python3-swiftclient): segmented uploads as SLO and DLO, temp URLs, public
 * containers and pseudo-directory listings. Skips, saying why, where a client
 * is not installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackAvailable } from './openstack.js';

function swiftAvailable(): boolean {
  try {
    execFileSync('swift', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = !openstackAvailable()
  ? 'the openstack CLI is not installed (apt-get install python3-openstackclient)'
  : !swiftAvailable()
    ? 'the swift client is not installed (apt-get install python3-swiftclient)'
    : false;

describe('clients: openstack and swift against the object store', { skip }, () => {
  let cloud: TestServer;
  let work: string;
  let account: string;
  const env = () => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    OS_AUTH_URL: `${cloud.identityUrl}/v3`,
    OS_USERNAME: 'admin',
    OS_PASSWORD: cloud.adminPassword,
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
    ST_AUTH_VERSION: '3',
  });
  const swift = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile('swift', args, { env: env(), cwd: work, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`swift ${args.join(' ')}: ${stderr}`));
        else resolve(stdout);
      });
    });
  const os = async (args: string[]) => {
    const result = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
    assert.equal(result.code, 0, `openstack ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };

  before(async () => {
    cloud = await startTestServer((config) => {
      config.object_store.replicator_interval = 0;
    });
    work = mkdtempSync(join(tmpdir(), 'nimbus-swift-cli-'));
    const stat = await swift(['stat']);
    account = /Account: (\S+)/.exec(stat)?.[1] ?? '';
    assert.match(account, /^AUTH_[0-9a-f]{32}$/);
  });
  after(async () => {
    await cloud?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('openstack container create, object create, object save', async () => {
    await os(['container', 'create', 'cli']);
    writeFileSync(join(work, 'note.txt'), 'a note from the CLI\n');
    await os(['object', 'create', 'cli', join(work, 'note.txt'), '--name', 'note.txt']);
    await os(['object', 'save', 'cli', 'note.txt', '--file', join(work, 'saved.txt')]);
    assert.equal(readFileSync(join(work, 'saved.txt'), 'utf8'), 'a note from the CLI\n');
    assert.match(await os(['object', 'list', 'cli', '-f', 'value']), /^note\.txt$/m);
  });

  for (const kind of ['SLO', 'DLO'] as const) {
    test(`swift upload --segment-size 1M of 20 MiB as ${kind}, then download`, async () => {
      const file = `big-${kind}.bin`;
      const data = randomBytes(20 * 1024 * 1024);
      writeFileSync(join(work, file), data);
      await swift(['upload', '--segment-size', '1M', ...(kind === 'SLO' ? ['--use-slo'] : []), 'segmented', file]);
      const segments = (await swift(['list', 'segmented_segments', '--prefix', file])).split('\n').filter(Boolean);
      assert.equal(segments.length, 20);
      const stat = await swift(['stat', 'segmented', file]);
      assert.match(stat, kind === 'SLO' ? /X-Static-Large-Object: True/i : /Manifest: segmented_segments\//);
      await swift(['download', 'segmented', file, '-o', join(work, `${file}.out`)]);
      assert.ok(readFileSync(join(work, `${file}.out`)).equals(data));
    });
  }

  test('swift tempurl, then a plain HTTP GET of that URL', async () => {
    await swift(['post', '-m', 'Temp-URL-Key:cli-secret']);
    const path = `/object-store/v1/${account}/cli/note.txt`;
    const signed = (await swift(['tempurl', 'GET', '600', path, 'cli-secret'])).trim();
    assert.match(signed, /temp_url_sig=/);
    const response = await fetch(`${cloud.url}${signed}`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'a note from the CLI\n');
    // One hex digit of the signature changed (to another digit: a signature may start with 0).
    const forgedUrl = signed.replace(/temp_url_sig=([0-9a-f])/, (_match, digit: string) => `temp_url_sig=${digit === '0' ? '1' : '0'}`);
    assert.notEqual(forgedUrl, signed);
    const forged = await fetch(`${cloud.url}${forgedUrl}`);
    assert.equal(forged.status, 401);
  });

  test("swift post -r '.r:*' then an anonymous GET", async () => {
    const url = `${cloud.url}/object-store/v1/${account}/cli/note.txt`;
    assert.equal((await fetch(url)).status, 401);
    await swift(['post', '-r', '.r:*', 'cli']);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'a note from the CLI\n');
  });

  test('swift list --prefix --delimiter', async () => {
    for (const name of ['logs/2024/a', 'logs/2024/b', 'logs/2025/c', 'logs/readme']) {
      writeFileSync(join(work, 'x'), name);
      await swift(['upload', 'tree', 'x', '--object-name', name]);
    }
    const listed = (await swift(['list', 'tree', '--prefix', 'logs/', '--delimiter', '/'])).split('\n').filter(Boolean);
    assert.deepEqual(listed, ['logs/2024/', 'logs/2025/', 'logs/readme']);
  });

  test('swift post -m web-index:index.html, then an anonymous GET of the container serves index.html', async () => {
    writeFileSync(join(work, 'index.html'), '<p>served as the site</p>');
    await swift(['upload', 'site', 'index.html']);
    await swift(['post', '-r', '.r:*,.rlistings', 'site']);
    await swift(['post', '-m', 'web-index:index.html', 'site']);
    // The container's URL redirects to its slash form (fetch follows), which serves the index object.
    const response = await fetch(`${cloud.url}/object-store/v1/${account}/site`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '<p>served as the site</p>');
  });
});

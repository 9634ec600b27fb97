/**
 * The metadata definitions through a real client: Debian's `glance` CLI
 * (python3-glanceclient), which builds its models from the metadefs schemas
 * the server serves. Debian's `openstack` CLI (6.0) has no `image metadef`
 * commands. Skips, saying why, where glanceclient is not installed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const GLANCE = '/usr/bin/glance';
const skip = existsSync(GLANCE) ? false : 'the glance CLI is not installed (apt-get install python3-glanceclient)';

describe('glance CLI: metadata definitions', { skip }, () => {
  let cloud: TestServer;
  let glance: (...args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

  before(async () => {
    cloud = await startTestServer();
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      OS_AUTH_URL: `${cloud.identityUrl}/v3`,
      OS_IDENTITY_API_VERSION: '3',
      OS_USERNAME: 'admin',
      OS_PASSWORD: cloud.adminPassword,
      OS_PROJECT_NAME: 'admin',
      OS_USER_DOMAIN_ID: 'default',
      OS_PROJECT_DOMAIN_ID: 'default',
    };
    glance = (...args) =>
      new Promise((resolve) => {
        execFile(GLANCE, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        });
      });
  });
  after(() => cloud?.close());

  test('lists and shows the standard namespaces and the resource types', async () => {
    const list = await glance('md-namespace-list');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /OS::Compute::Quota/);
    const show = await glance('md-namespace-show', 'OS::Compute::Quota');
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /OS::Nova::Flavor/);
    const types = await glance('md-resource-type-list');
    assert.equal(types.code, 0, types.stderr);
    assert.match(types.stdout, /OS::Glance::Image/);
  });

  test('creates a namespace, gives it tags and deletes it', async () => {
    const created = await glance('md-namespace-create', 'Nimbus::Cli', '--visibility', 'public', '--description', 'from the CLI');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /from the CLI/);
    const tags = await glance('md-tag-create-multiple', 'Nimbus::Cli', '--names', 'one,two', '--delim', ',');
    assert.equal(tags.code, 0, tags.stderr);
    const listed = await glance('md-tag-list', 'Nimbus::Cli');
    assert.match(listed.stdout, /one/);
    assert.match(listed.stdout, /two/);
    const deleted = await glance('md-namespace-delete', 'Nimbus::Cli');
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await glance('md-namespace-show', 'Nimbus::Cli');
    assert.notEqual(gone.code, 0);
  });
});

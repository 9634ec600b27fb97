/**
 * docs/testing.md's openstacksdk example, run as written with Debian's
 * Python and openstacksdk against a startNimbus cloud: a network and a
 * server created, listed and deleted through `openstack.connect(cloud='nimbus')`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startNimbus } from '../../src/testing/index.js';
import { openstackAvailable } from '../clients/openstack.js';
import { docExample } from './doc-examples.js';

const skip = openstackAvailable() ? false : 'openstacksdk is not installed (apt-get install python3-openstackclient)';

test("docs/testing.md's openstacksdk example creates, lists and deletes a network and a server", { skip }, async () => {
  const cloud = await startNimbus({ logLevel: 'error' });
  try {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', OS_CLIENT_CONFIG_FILE: cloud.cloudsYaml };
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', docExample('openstacksdk')], { env, timeout: 90_000 });
    assert.deepEqual(stdout.trim().split('\n'), [
      'server sdk-server ACTIVE',
      "networks ['private', 'public', 'sdk-net']",
      "servers ['sdk-server']",
      'left [] []',
    ]);
  } finally {
    await cloud.stop();
  }
});

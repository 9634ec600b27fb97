/**
 * docs/testing.md's openstacksdk example, run as written with Debian's
 * Python and openstacksdk against a startNimbus cloud: a network and a
 * server created, listed and deleted through `openstack.connect(cloud='nimbus')`;
 * and a seeded cloud (issue 19's check) as the seed's own user sees it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const SEED = `projects:
  - { name: sdk-team }
users:
  - { name: sdk-user, password: sdk-secret, default_project: sdk-team, roles: [{ role: member, project: sdk-team }] }
networks:
  - { name: team-net, project: sdk-team }
subnets:
  - { name: team-subnet, network: team-net, project: sdk-team, cidr: 10.30.0.0/24 }
images:
  - { name: team-disk, project: sdk-team, generate: { size_mb: 1, format: raw } }
`;

const SEEDED_USER_SCRIPT = `
import os, openstack
conn = openstack.connect(auth_url=os.environ['AUTH_URL'], username='sdk-user', password='sdk-secret',
                         project_name='sdk-team', user_domain_name='Default', project_domain_name='Default')
print('networks', sorted(n.name for n in conn.network.networks(project_id=conn.current_project_id)))
print('subnets', [(s.name, s.cidr) for s in conn.network.subnets(project_id=conn.current_project_id)])
image = conn.image.find_image('team-disk')
print('image', image.name, image.status, image.owner == conn.current_project_id)
`;

test('openstacksdk against a seeded ephemeral cloud: the seeded user logs in and finds its project’s network and image', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-sdk-seed-'));
  writeFileSync(join(dir, 'seed.yaml'), SEED);
  const cloud = await startNimbus({ seed: join(dir, 'seed.yaml'), logLevel: 'error', fakeHosts: 0 });
  try {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', AUTH_URL: cloud.identityUrl };
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', SEEDED_USER_SCRIPT], { env, timeout: 90_000 });
    assert.deepEqual(stdout.trim().split('\n'), ["networks ['team-net']", "subnets [('team-subnet', '10.30.0.0/24')]", 'image team-disk active True']);
  } finally {
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

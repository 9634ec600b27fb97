/**
 * Issue 21, item 1: openstacksdk finds a resource by name by first trying
 * the name as an id and falling back to a list only on a 404. A path segment
 * longer than 100 characters must therefore get each service's 404, never a
 * 414, or `find_*`, `delete_*` and scripts' cleanups fail and leak. Driven
 * through Debian's openstacksdk (python3-openstacksdk) as a script would.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstackAvailable } from './openstack.js';

const skip = openstackAvailable() ? false : 'openstacksdk is not installed (apt-get install python3-openstackclient)';

/** The same 150-character name for every kind: servers, networks, routers, volumes, images, projects. */
const LONG_NAME = 'n'.repeat(150);

const SCRIPT = `
import json, sys, openstack
conn = openstack.connect(cloud=sys.argv[1])
name = sys.argv[2]
found = {
    'server': conn.compute.find_server(name),
    'network': conn.network.find_network(name),
    'router': conn.network.find_router(name),
    'volume': conn.block_storage.find_volume(name),
    'image': conn.image.find_image(name),
    'flavor': conn.compute.find_flavor(name),
}
result = {kind: value is None for kind, value in found.items()}
net = conn.network.create_network(name=name)
result['created_network_found'] = conn.network.find_network(name).id == net.id
result['cloud_delete_network'] = conn.delete_network(name)
result['network_gone'] = conn.network.find_network(name) is None
result['cloud_delete_absent_server'] = conn.delete_server(name)
print(json.dumps(result))
`;

function runSdk(cloudsYaml: string, cloud: string, name: string): Promise<Record<string, boolean>> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/python3',
      ['-c', SCRIPT, cloud, name],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', OS_CLIENT_CONFIG_FILE: cloudsYaml }, timeout: 90_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`openstacksdk script failed: ${stderr}`)) : resolve(JSON.parse(stdout) as Record<string, boolean>)),
    );
  });
}

describe('openstacksdk: names longer than 100 characters', { skip }, () => {
  let cloud: TestServer;
  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('find_* answers None, a created resource is found and deleted by its long name', async () => {
    const result = await runSdk(cloud.cloudsYaml, 'nimbus-demo', LONG_NAME);
    assert.deepEqual(result, {
      server: true,
      network: true,
      router: true,
      volume: true,
      image: true,
      flavor: true,
      created_network_found: true,
      cloud_delete_network: true,
      network_gone: true,
      cloud_delete_absent_server: false,
    });
  });

  test('each service answers its own 404 for a long id-shaped segment', async () => {
    const token = await cloud.adminToken();
    const projects = await cloud.request('GET', '/identity/v3/projects?name=admin', { token });
    const projectId = projects.body.projects[0].id as string;
    const paths = [
      ['/compute/v2.1/servers/', (b: Record<string, { message?: string }>) => b.itemNotFound?.message],
      ['/network/v2.0/networks/', (b: Record<string, { message?: string }>) => b.NeutronError?.message],
      [`/volume/v3/${projectId}/volumes/`, (b: Record<string, { message?: string }>) => b.itemNotFound?.message],
      ['/identity/v3/projects/', (b: Record<string, { message?: string }>) => b.error?.message],
    ] as const;
    for (const [prefix, message] of paths) {
      const response = await cloud.request('GET', prefix + 'x'.repeat(4000), { token });
      assert.equal(response.status, 404, `${prefix}: ${response.status}`);
      assert.ok(message(response.body), `${prefix} answers in its own error format`);
    }
  });
});

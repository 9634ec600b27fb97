/**
 * Issue 16: openstacksdk's object store reads metadata by the header's
 * Title-Case prefix (`X-Object-Meta-`, `X-Container-Meta-`) and Swift's
 * capabilities at `/info` on the endpoint's host, so both must be as Swift
 * serves them. Driven through Debian's openstacksdk as a script would.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstackAvailable } from './openstack.js';

const skip = openstackAvailable() ? false : 'openstacksdk is not installed (apt-get install python3-openstackclient)';

const SCRIPT = `
import json, sys, openstack
conn = openstack.connect(cloud=sys.argv[1])
store = conn.object_store
store.create_container(name='sdk-meta')
store.set_container_metadata('sdk-meta', shade='blue')
store.upload_object(container='sdk-meta', name='note.txt', data=b'hello')
store.set_object_metadata('note.txt', 'sdk-meta', colour='red')
info = store.get_info()
print(json.dumps({
    'object': store.get_object_metadata('note.txt', 'sdk-meta').metadata,
    'container': store.get_container_metadata('sdk-meta').metadata,
    'max_file_size': info.swift.get('max_file_size'),
}))
`;

function runSdk(cloudsYaml: string): Promise<{ object: Record<string, string>; container: Record<string, string>; max_file_size: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/python3',
      ['-c', SCRIPT, 'nimbus-demo'],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', OS_CLIENT_CONFIG_FILE: cloudsYaml }, timeout: 90_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`openstacksdk script failed: ${stderr}`)) : resolve(JSON.parse(stdout))),
    );
  });
}

/** The header names exactly as they came over the wire. */
function rawHeaderNames(url: string, token: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'HEAD', headers: { 'x-auth-token': token } }, (res) => {
      res.resume();
      resolve(res.rawHeaders.filter((_, i) => i % 2 === 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('openstacksdk: object store metadata and capabilities', { skip }, () => {
  let cloud: TestServer;
  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('get_object_metadata and get_container_metadata return what was set; get_info reads /info at the root', async () => {
    const result = await runSdk(cloud.cloudsYaml);
    assert.deepEqual(result.object, { colour: 'red' });
    assert.deepEqual(result.container, { shade: 'blue' });
    assert.equal(typeof result.max_file_size, 'number');
  });

  test('answers name their headers in Title-Case, as Swift does', async () => {
    const token = await cloud.demoToken();
    const projects = await cloud.request('GET', '/identity/v3/auth/projects', { token });
    const project = projects.body.projects.find((p: { name: string }) => p.name === 'demo').id as string;
    const names = await rawHeaderNames(`${cloud.url}/object-store/v1/AUTH_${project}/sdk-meta/note.txt`, token);
    for (const expected of ['X-Object-Meta-Colour', 'Etag', 'X-Timestamp', 'X-Trans-Id', 'Content-Type', 'Last-Modified']) {
      assert.ok(names.includes(expected), `${expected} among ${names.join(', ')}`);
    }
    const info = await fetch(`${cloud.url}/info`);
    assert.equal(info.status, 200);
    assert.ok(((await info.json()) as { swift?: unknown }).swift, "/info at the root is Swift's");
  });
});

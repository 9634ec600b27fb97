/** Driver fault rules (`driver_fault`) on a running server: builds, a slow hypervisor, port bindings, volumes, image uploads. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { faultRulesOf } from './faults-support.js';

let cloud: TestServer;
let admin: string;
let demo: string;
let demoProject: string;
let boot: { imageRef: string; flavorRef: string; networks: Array<{ uuid: string }> };

before(async () => {
  cloud = await startTestServer((config) => {
    config.compute.devstack_defaults = true;
    config.compute.fake.hosts = 2;
  });
  admin = await cloud.adminToken();
  demo = await cloud.demoToken();
  demoProject = (await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } })).body.token.project.id;
  const images = await cloud.request('GET', '/image/v2/images?name=nimbus-blank-qcow2', { token: demo });
  const flavors = await cloud.request('GET', '/compute/v2.1/flavors', { token: demo });
  const networks = await cloud.request('GET', '/network/v2.0/networks?name=private', { token: demo });
  boot = {
    imageRef: images.body.images[0].id,
    flavorRef: flavors.body.flavors.find((f: { name: string }) => f.name === 'm1.nano').id,
    networks: [{ uuid: networks.body.networks[0].id }],
  };
});
after(async () => cloud.close());
const rules = faultRulesOf(
  () => cloud,
  () => admin,
);
const addRule = rules.add;

/** Polls until `read` gives a value `done` accepts (builds and volume tasks run in the background). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return assert.fail('the state never settled');
}

const bootServer = async (name: string) => {
  const created = await cloud.request('POST', '/compute/v2.1/servers', { token: demo, body: { server: { name, ...boot } } });
  assert.equal(created.status, 202, created.text);
  const id: string = created.body.server.id;
  return until(
    async () => (await cloud.request('GET', `/compute/v2.1/servers/${id}`, { token: admin })).body.server,
    (server) => server.status !== 'BUILD',
  );
};

test("a build fault puts the server in ERROR with the rule's message as its fault", async () => {
  const rule = await addRule({ driver_fault: 'build', message: 'Hypervisor disk on fire', count: 1 });
  const failed = await bootServer('doomed');
  assert.equal(failed.status, 'ERROR');
  assert.equal(failed.fault.message, 'Hypervisor disk on fire');
  assert.equal(failed.fault.code, 500);
  assert.equal((await rules.list()).length, 0, 'used up');
  assert.equal(rule.hits, 0);
  assert.equal((await bootServer('fine')).status, 'ACTIVE');
});

test('a build fault on another host leaves builds elsewhere alone', async () => {
  const rule = await addRule({ driver_fault: 'build', host: 'no-such-host' });
  assert.equal((await bootServer('elsewhere')).status, 'ACTIVE');
  assert.equal(await rules.hitsOf(rule.id), 0);
});

test('a slow hypervisor delays the build on its host, and the server still goes ACTIVE', async () => {
  const rule = await addRule({ driver_fault: 'slow_hypervisor', latency_ms: 300 });
  const started = Date.now();
  const server = await bootServer('slow');
  assert.equal(server.status, 'ACTIVE');
  assert.ok(Date.now() - started >= 290, `built in ${Date.now() - started} ms`);
  assert.ok((await rules.hitsOf(rule.id)) >= 1);
});

test("a port binding fault gives binding_failed, and a build aborts with Nova's network allocation fault", async () => {
  await addRule({ driver_fault: 'port_binding', count: 1 });
  const port = await cloud.request('POST', '/network/v2.0/ports', { token: admin, body: { port: { network_id: boot.networks[0]?.uuid } } });
  const bound = await cloud.request('PUT', `/network/v2.0/ports/${port.body.port.id}`, { token: admin, body: { port: { 'binding:host_id': 'anywhere' } } });
  assert.equal(bound.status, 200, bound.text);
  assert.equal(bound.body.port['binding:vif_type'], 'binding_failed');
  assert.equal(bound.body.port.status, 'DOWN');

  await addRule({ driver_fault: 'port_binding', count: 1 });
  const failed = await bootServer('unplugged');
  assert.equal(failed.status, 'ERROR');
  assert.equal(failed.fault.message, `Build of instance ${failed.id} aborted: Failed to allocate the network(s), not rescheduling.`);
});

const volumes = () => `/volume/v3/${demoProject}/volumes`;
const volumeOf = (id: string) => async () => (await cloud.request('GET', `${volumes()}/${id}`, { token: demo })).body.volume;

test('a volume create fault leaves the volume in error; an extend fault in error_extending; an attach fault refuses the export', async () => {
  await addRule({ driver_fault: 'volume_create', count: 1 });
  const broken = await cloud.request('POST', volumes(), { token: demo, body: { volume: { size: 1, name: 'broken' } } });
  assert.equal(broken.status, 202, broken.text);
  assert.equal((await until(volumeOf(broken.body.volume.id), (v) => v.status !== 'creating')).status, 'error');

  const good = await cloud.request('POST', volumes(), { token: demo, body: { volume: { size: 1, name: 'good' } } });
  const id: string = good.body.volume.id;
  assert.equal((await until(volumeOf(id), (v) => v.status !== 'creating')).status, 'available');
  await addRule({ driver_fault: 'volume_extend', service: 'cinder', count: 1, message: 'backend full' });
  assert.equal((await cloud.request('POST', `${volumes()}/${id}/action`, { token: demo, body: { 'os-extend': { new_size: 2 } } })).status, 202);
  const extended = await until(volumeOf(id), (v) => v.status !== 'extending');
  assert.equal(extended.status, 'error_extending');
  assert.equal(extended.size, 1);

  const usable = await cloud.request('POST', volumes(), { token: demo, body: { volume: { size: 1, name: 'usable' } } });
  await until(volumeOf(usable.body.volume.id), (v) => v.status !== 'creating');
  await addRule({ driver_fault: 'volume_attach', count: 1 });
  const connector = { host: 'fake-host', initiator: 'iqn.fake', ip: '127.0.0.1', platform: 'x86_64', os_type: 'linux', multipath: false };
  const refused = await cloud.request('POST', `${volumes()}/${usable.body.volume.id}/action`, {
    token: admin,
    body: { 'os-initialize_connection': { connector } },
  });
  assert.equal(refused.status, 500, refused.text);
  assert.equal(refused.body.computeFault.code, 500);
});

test('an image upload fault breaks the upload half-way: 503, the image back to queued, and a retry succeeds', async () => {
  const created = await cloud.request('POST', '/image/v2/images', { token: demo, body: { name: 'half', disk_format: 'raw', container_format: 'bare' } });
  const id: string = created.body.id;
  await addRule({ driver_fault: 'image_upload', count: 1, message: 'store went away' });
  const bytes = Buffer.alloc(64 * 1024, 7);
  const upload = () =>
    fetch(`${cloud.url}/image/v2/images/${id}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': demo, 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
      body: bytes,
    });
  const failed = await upload();
  assert.equal(failed.status, 503, await failed.text());
  assert.equal((await cloud.request('GET', `/image/v2/images/${id}`, { token: demo })).body.status, 'queued');
  assert.equal((await upload()).status, 204);
  const image = (await cloud.request('GET', `/image/v2/images/${id}`, { token: demo })).body;
  assert.equal(image.status, 'active');
  assert.equal(image.size, bytes.length);
});

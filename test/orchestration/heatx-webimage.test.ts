/**
 * Issue 14, item 1: Glance's `web-download` import (the URI filter of
 * `[import_filtering_opts]`, the download task, a failed download putting
 * the image back to `queued`) and OS::Glance::WebImage over it. Every
 * download comes from a loopback HTTP server the test starts; openstacksdk's
 * `import_image(method='web-download')` drives the API as a client would.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ImageOperations } from '../../src/image/operations.js';
import { glanceWebImageResource } from '../../src/orchestration/resources/services/image/web-image.js';
import { openstackAvailable } from '../clients/openstack.js';
import { eventually, imageClient, type ImageClient } from '../image/support.js';
import { startTestServer } from '../support/server.js';
import { heatApi } from './support/heat-api.js';
import { failure, fakeResource, svcresCloud, type SvcresCloud } from './support/svcres-context.js';

const DATA = randomBytes(150_000);
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

/** Serves `/disk.raw`, a 404 elsewhere, and `/hop` redirecting to `target` (set by the test). */
function originServer(redirect: { target: string }): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/disk.raw') return void response.end(DATA);
    if (request.url === '/hop') return void response.writeHead(302, { location: redirect.target }).end();
    response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const SDK_SCRIPT = `
import json, sys, openstack
conn = openstack.connect(cloud=sys.argv[1])
image = conn.image.create_image(name='sdk-web', disk_format='raw', container_format='bare')
conn.image.import_image(image, method='web-download', uri=sys.argv[2])
print(json.dumps({'id': image.id}))
`;

function runSdk(cloudsYaml: string, uri: string): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/python3',
      ['-c', SDK_SCRIPT, 'nimbus-demo', uri],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', OS_CLIENT_CONFIG_FILE: cloudsYaml }, timeout: 90_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`openstacksdk script failed: ${stderr}`)) : resolve(JSON.parse(stdout) as { id: string })),
    );
  });
}

describe('heatx: web-download import and OS::Glance::WebImage', () => {
  let svc: SvcresCloud;
  let origin: Server;
  let base: string;
  let user: ImageClient;
  const redirect = { target: '' };
  const show = async (id: string) => (await user.call('GET', `/v2/images/${id}`)).body;
  const settled = (id: string) =>
    eventually(async () => {
      const image = await show(id);
      return image.status === 'active' || (image.status === 'queued' && image.os_glance_failed_import) ? image : undefined;
    });

  before(async () => {
    redirect.target = '';
    origin = await originServer(redirect);
    const port = (origin.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    const cloud = await startTestServer((config) => {
      config.image.import_filtering_opts.allowed_ports = ['80', '443', String(port)];
    });
    svc = await svcresCloud(cloud);
    user = imageClient(cloud, await cloud.demoToken());
  });
  after(async () => {
    await svc?.cloud.close();
    origin?.close();
  });

  test('web-download is listed and advertised on create', async () => {
    const info = await user.call('GET', '/v2/info/import');
    assert.deepEqual(info.body['import-methods'].value, ['glance-direct', 'web-download']);
    const created = await user.call('POST', '/v2/images', { disk_format: 'raw', container_format: 'bare' });
    assert.equal(created.headers.get('openstack-image-import-methods'), 'glance-direct,web-download');
  });

  test('URIs outside [import_filtering_opts] are 400 with Glance wording; the image stays queued', async () => {
    const image = await user.create({ disk_format: 'raw', container_format: 'bare' });
    const refused = async (uri: string | undefined) => {
      const response = await user.call('POST', `/v2/images/${image.id}/import`, { method: { name: 'web-download', ...(uri !== undefined && { uri }) } });
      assert.equal(response.status, 400, String(uri));
      return response.text;
    };
    assert.match(await refused('http://127.0.0.1:1/disk.raw'), /URI for web-download does not pass filtering: http:\/\/127\.0\.0\.1:1\/disk\.raw/);
    assert.match(await refused('ftp://127.0.0.1/disk.raw'), /does not pass filtering/);
    assert.match(await refused('file:///etc/passwd'), /does not pass filtering/);
    assert.match(await refused(undefined), /does not pass filtering: None/);
    assert.equal((await show(image.id)).status, 'queued');
    const bare = await user.create({});
    assert.equal((await user.call('POST', `/v2/images/${bare.id}/import`, { method: { name: 'web-download', uri: `${base}/disk.raw` } })).status, 409);
  });

  test('a download becomes an active image through staging, recorded as a task', async () => {
    const image = await user.create({ disk_format: 'raw', container_format: 'bare' });
    const started = await user.call('POST', `/v2/images/${image.id}/import`, { method: { name: 'web-download', uri: `${base}/disk.raw` } });
    assert.equal(started.status, 202);
    const active = await settled(image.id);
    assert.equal(active.status, 'active');
    assert.equal(active.size, DATA.length);
    assert.equal(active.checksum, md5(DATA));
    const tasks = (await user.call('GET', `/v2/images/${image.id}/tasks`)).body.tasks;
    assert.equal(tasks[0].status, 'success');
    assert.equal(tasks[0].input.import_req.method.uri, `${base}/disk.raw`);
    const again = await user.call('POST', `/v2/images/${image.id}/import`, { method: { name: 'web-download', uri: `${base}/disk.raw` } });
    assert.equal(again.status, 409, 'active');
  });

  test('a failed download (404, or a redirect the filter refuses) puts the image back to queued with the task failed', async () => {
    for (const [path, message] of [
      ['/absent', /HTTP Error 404/],
      ['/hop', /Redirect to http:\/\/127\.0\.0\.1:2\/disk\.raw does not pass filtering/],
    ] as const) {
      redirect.target = 'http://127.0.0.1:2/disk.raw';
      const image = await user.create({ disk_format: 'raw', container_format: 'bare' });
      assert.equal((await user.call('POST', `/v2/images/${image.id}/import`, { method: { name: 'web-download', uri: `${base}${path}` } })).status, 202);
      const failed = await settled(image.id);
      assert.equal(failed.status, 'queued');
      assert.equal(failed.os_glance_failed_import, 'file');
      const tasks = (await user.call('GET', `/v2/images/${image.id}/tasks`)).body.tasks;
      assert.equal(tasks[0].status, 'failure');
      assert.match(tasks[0].message, message);
    }
  });

  test('OS::Glance::WebImage: imported, updated in place, deleted; a failed download fails the resource', async () => {
    const glance = svc.services.image as ImageOperations;
    const resource = fakeResource(svc, glanceWebImageResource);
    await resource.create({
      location: `${base}/disk.raw`,
      disk_format: 'raw',
      container_format: 'bare',
      os_distro: 'cirros',
      tags: ['one'],
      extra_properties: { color: 'blue' },
    });
    const id = resource.state.physicalId!;
    const image = await glance.get(svc.demo, id);
    assert.equal(image.status, 'active');
    assert.equal(image.checksum, md5(DATA));
    assert.equal(image.name, resource.state.physicalName);
    assert.deepEqual(image.tags, ['one']);
    assert.equal(image.properties.os_distro, 'cirros');
    assert.equal(image.properties.color, 'blue');
    assert.equal(((await resource.attr('show')) as { status: string }).status, 'active');

    await resource.update({ ...resource.properties, tags: ['two'], extra_properties: { flavor: 'big' }, os_distro: 'debian' });
    const updated = await glance.get(svc.demo, id);
    assert.deepEqual(updated.tags, ['two']);
    assert.equal(updated.properties.os_distro, 'debian');
    assert.equal(updated.properties.flavor, 'big');
    assert.equal(updated.properties.color, undefined);
    await resource.delete();
    await resource.delete();
    assert.equal((await failure(glance.get(svc.demo, id))).status, 404);

    const broken = fakeResource(svc, glanceWebImageResource);
    const error = await failure(broken.create({ location: `${base}/absent`, disk_format: 'raw', container_format: 'bare' }));
    assert.equal(error.type, 'ResourceInError');
    await broken.delete();

    const mixed = fakeResource(svc, glanceWebImageResource);
    assert.equal((await failure(mixed.create({ location: `${base}/disk.raw`, disk_format: 'raw', container_format: 'ami' }))).type, 'StackValidationFailed');
    const members = fakeResource(svc, glanceWebImageResource);
    const dependency = await failure(members.create({ location: `${base}/disk.raw`, disk_format: 'raw', container_format: 'bare', members: ['x'] }));
    assert.equal(dependency.message, 'members property should only be specified for visibility with value shared.');
  });

  test("a stack with an OS::Glance::WebImage through heat-api; the type is listed with Heat's schema", async () => {
    const heat = await heatApi(svc.cloud, await svc.cloud.demoToken());
    const template = {
      heat_template_version: '2021-04-16',
      resources: {
        image: { type: 'OS::Glance::WebImage', properties: { location: `${base}/disk.raw`, disk_format: 'raw', container_format: 'bare', name: 'from-heat' } },
      },
      outputs: { status: { value: { get_attr: ['image', 'show', 'status'] } } },
    };
    const created = await heat.call('POST', '/stacks', { stack_name: 'web-image', template });
    assert.equal(created.status, 201, created.text);
    const path = `/stacks/web-image/${created.body.stack.id}`;
    await heat.waitFor(path, 'CREATE_COMPLETE');
    assert.equal((await heat.call('GET', `${path}/outputs/status`)).body.output.output_value, 'active');
    const types = (await heat.call('GET', '/resource_types')).body.resource_types as string[];
    assert.ok(types.includes('OS::Glance::WebImage'));
    const schema = (await heat.call('GET', '/resource_types/OS::Glance::WebImage')).body;
    assert.equal(schema.properties.location.required, true);
    assert.equal(schema.properties.visibility.default, 'private');
    assert.equal((await heat.call('DELETE', path)).status, 204);
    await heat.waitFor(path, 'DELETE_COMPLETE').catch(() => undefined);
  });

  test('openstacksdk import_image(method="web-download")', { skip: openstackAvailable() ? false : 'openstacksdk is not installed' }, async () => {
    const { id } = await runSdk(svc.cloud.cloudsYaml, `${base}/disk.raw`);
    const image = await settled(id);
    assert.equal(image.status, 'active');
    assert.equal(image.checksum, md5(DATA));
  });
});

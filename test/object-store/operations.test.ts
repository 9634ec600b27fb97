/** object-store/operations.ts: the caller's own account, Swift's ownership rule and quotas, as through the proxy. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallerContext } from '../../src/core/context.js';
import type { Authenticator } from '../../src/core/service-module.js';
import type { ObjectStoreOperations } from '../../src/object-store/operations.js';
import { md5, startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store operations (in-process)', () => {
  let swift: SwiftTestCloud;
  let store: ObjectStoreOperations;
  let demo: CallerContext;

  before(async () => {
    swift = await startSwiftCloud();
    store = swift.cloud.server.services['object-store']!.operations as ObjectStoreOperations;
    const authenticator = swift.cloud.server.services.identity!.authenticator as Authenticator;
    demo = await authenticator.authenticate(swift.demoToken);
  });
  after(() => swift.cloud.close());

  test("containers with metadata and ACLs in the caller's account, seen by the REST API too", async () => {
    assert.equal(await store.createContainer(demo, 'heat-web', { metadata: { 'web-index': 'index.html' }, readAcl: '.r:*,.rlistings' }), true);
    assert.equal(await store.createContainer(demo, 'heat-web', { writeAcl: 'someproject:*' }), false);
    const view = await store.getContainer(demo, 'heat-web');
    assert.deepEqual(view.metadata, { 'web-index': 'index.html' });
    assert.equal(view.readAcl, '.r:*,.rlistings');
    assert.equal(view.writeAcl, 'someproject:*');
    const head = await swift.swift('HEAD', `${swift.demoAccount}/heat-web`, { token: swift.demoToken });
    assert.equal(head.status, 204);
    assert.equal(head.headers.get('x-container-meta-web-index'), 'index.html');
    assert.ok((await store.listContainers(demo, 'heat-')).some((c) => c.name === 'heat-web'));
    await assert.rejects(store.getContainer(demo, 'no-such-container'), { status: 404 });
  });

  test('objects: put, get, list, delete; a container with objects is not deleted', async () => {
    await store.createContainer(demo, 'docs');
    const put = await store.putObject(demo, 'docs', 'a/b.txt', Buffer.from('hello'), { contentType: 'text/plain', metadata: { colour: 'blue' } });
    assert.equal(put.etag, md5('hello'));
    const got = await store.getObject(demo, 'docs', 'a/b.txt');
    assert.equal(got.data.toString(), 'hello');
    assert.equal(got.object.contentType, 'text/plain');
    assert.deepEqual(got.metadata, { colour: 'blue' });
    assert.deepEqual(
      (await store.listObjects(demo, 'docs', 'a/')).map((o) => o.name),
      ['a/b.txt'],
    );
    await assert.rejects(store.deleteContainer(demo, 'docs'), { status: 409 });
    await store.deleteObject(demo, 'docs', 'a/b.txt');
    await assert.rejects(store.deleteObject(demo, 'docs', 'a/b.txt'), { status: 404 });
    await assert.rejects(store.putObject(demo, 'missing', 'x', Buffer.from('x')), { status: 404 });
    await store.deleteContainer(demo, 'docs');
    await assert.rejects(store.deleteContainer(demo, 'docs'), { status: 404 });
  });

  test('the container quota holds: past it the upload is 413 and the old object stays', async () => {
    await store.createContainer(demo, 'small', { metadata: { 'quota-bytes': '8' } });
    await store.putObject(demo, 'small', 'o', Buffer.from('12345'));
    await assert.rejects(store.putObject(demo, 'small', 'o2', Buffer.from('123456789')), { status: 413 });
    assert.equal((await store.getObject(demo, 'small', 'o')).data.toString(), '12345');
  });

  test('a reader reads but does not write; a caller without a role on the project gets 403', async () => {
    await store.createContainer(demo, 'shared');
    await store.putObject(demo, 'shared', 'f', Buffer.from('data'));
    const reader: CallerContext = { ...demo, roles: ['reader'] };
    assert.equal((await store.getObject(reader, 'shared', 'f')).data.toString(), 'data');
    await assert.rejects(store.putObject(reader, 'shared', 'g', Buffer.from('x')), { status: 403 });
    await assert.rejects(store.createContainer(reader, 'other'), { status: 403 });
    const stranger: CallerContext = { ...demo, roles: [] };
    await assert.rejects(store.listObjects(stranger, 'shared'), { status: 403 });
    const unscoped: CallerContext = { ...demo, project: null };
    await assert.rejects(store.listContainers(unscoped), { status: 403 });
  });

  test('the service variant writes in the account it names, without a caller', async () => {
    const account = `AUTH_${demo.project!.id}`;
    await store.service.ensureContainer(account, 'volumebackups-test');
    await store.service.put(account, 'volumebackups-test', 'chunk-1', Buffer.from('bytes'));
    assert.deepEqual(await store.service.list(account, 'volumebackups-test', 'chunk'), ['chunk-1']);
    assert.equal((await store.getObject(demo, 'volumebackups-test', 'chunk-1')).data.toString(), 'bytes');
    await store.service.delete(account, 'volumebackups-test', 'chunk-1');
    assert.equal(await store.service.get(account, 'volumebackups-test', 'chunk-1'), null);
  });
});

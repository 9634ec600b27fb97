import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

describe('identity: OS-OAUTH1 consumers', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  const PATH = '/identity/v3/OS-OAUTH1/consumers';

  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
  });
  after(() => cloud.close());

  test('create shows the secret once; show, list, update and delete never do', async () => {
    const created = await cloud.request('POST', PATH, { token: admin, body: { consumer: { description: 'an app', owner: 'ops' } } });
    assert.equal(created.status, 201);
    const consumer = created.body.consumer;
    assert.match(consumer.secret, /^[0-9a-f]{32}$/);
    assert.equal(consumer.description, 'an app');
    const shown = (await cloud.request('GET', `${PATH}/${consumer.id}`, { token: admin })).body.consumer;
    assert.deepEqual(shown, { id: consumer.id, description: 'an app', owner: 'ops', links: consumer.links });
    const listed = (await cloud.request('GET', PATH, { token: admin })).body.consumers;
    assert.ok(listed.some((c: { id: string; secret?: string }) => c.id === consumer.id && c.secret === undefined));
    const updated = await cloud.request('PATCH', `${PATH}/${consumer.id}`, { token: admin, body: { consumer: { description: 'renamed' } } });
    assert.equal(updated.body.consumer.description, 'renamed');
    assert.equal(updated.body.consumer.secret, undefined);
    assert.equal((await cloud.request('DELETE', `${PATH}/${consumer.id}`, { token: admin })).status, 204);
    const gone = await cloud.request('GET', `${PATH}/${consumer.id}`, { token: admin });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.message, 'Consumer not found');
  });

  test('an update may not set the secret (400); members may not manage consumers (403)', async () => {
    const consumer = (await cloud.request('POST', PATH, { token: admin, body: { consumer: {} } })).body.consumer;
    assert.equal(consumer.description, null);
    assert.equal((await cloud.request('PATCH', `${PATH}/${consumer.id}`, { token: admin, body: { consumer: { secret: 'mine' } } })).status, 400);
    assert.equal((await cloud.request('POST', PATH, { token: admin, body: { consumer: { description: 5 } } })).status, 400);
    assert.equal((await cloud.request('POST', PATH, { token: demo, body: { consumer: {} } })).status, 403);
    assert.equal((await cloud.request('GET', PATH, { token: demo })).status, 403);
  });
});

/**
 * User messages (3.3+): a create no backend can take leaves the project a
 * message in Cinder's words and event id; list filters, sort and paging
 * from 3.5, Cinder's filter check for non-admins from 3.34; show, delete.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('volume: user messages', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;
  const failed: string[] = [];

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
    // A type whose vendor and protocol no backend reports: the scheduler finds no backend.
    const type = await admin.call('POST', '/types', { volume_type: { name: 'nowhere', extra_specs: { vendor_name: 'Acme', storage_protocol: 'FC' } } });
    assert.equal(type.status, 200, type.text);
    for (const name of ['first', 'second']) {
      const created = await demo.call('POST', '/volumes', { volume: { size: 1, name, volume_type: 'nowhere' } });
      assert.equal(created.status, 202, created.text);
      failed.push(created.body.volume.id);
      await demo.waitFor(created.body.volume.id, 'error');
    }
  });
  after(() => cloud.close());

  test("a create no backend takes: one message per volume, in Cinder's words, kept 30 days", async () => {
    const listed = await demo.call('GET', '/messages', undefined, '3.3');
    assert.equal(listed.status, 200, listed.text);
    const messages = listed.body.messages as Array<Record<string, unknown>>;
    assert.deepEqual(messages.map((m) => m.resource_uuid).sort(), [...failed].sort());
    const message = messages[0]!;
    assert.deepEqual(Object.keys(message).sort(), [
      'created_at',
      'event_id',
      'guaranteed_until',
      'id',
      'links',
      'message_level',
      'request_id',
      'resource_type',
      'resource_uuid',
      'user_message',
    ]);
    assert.equal(message.event_id, 'VOLUME_VOLUME_001_003');
    assert.equal(message.user_message, 'schedule allocate volume:Could not find any available weighted backend.');
    assert.equal(message.message_level, 'ERROR');
    assert.equal(message.resource_type, 'VOLUME');
    assert.match(String(message.request_id), /^req-[0-9a-f-]{36}$/);
    const days = (Date.parse(`${String(message.guaranteed_until)}Z`) - Date.parse(`${String(message.created_at)}Z`)) / 86_400_000;
    assert.equal(Math.round(days), 30);
    const shown = await demo.call('GET', `/messages/${String(message.id)}`, undefined, '3.3');
    assert.deepEqual(shown.body.message, message);
  });

  test("below 3.3 there is no such resource; an admin sees every project's messages", async () => {
    assert.equal((await demo.call('GET', '/messages', undefined, '3.2')).status, 404);
    const seen = (await admin.call('GET', '/messages', undefined, '3.3')).body.messages.map((m: { resource_uuid: string }) => m.resource_uuid);
    for (const id of failed) assert.ok(seen.includes(id));
  });

  test('3.5: filters, sort and limit with a next link; 3.34: unknown filters are 400 for non-admins', async () => {
    const byResource = await demo.call('GET', `/messages?resource_uuid=${failed[0]}`, undefined, '3.5');
    assert.deepEqual(
      byResource.body.messages.map((m: { resource_uuid: string }) => m.resource_uuid),
      [failed[0]],
    );
    const page = await demo.call('GET', '/messages?limit=1&sort=created_at:asc', undefined, '3.5');
    assert.equal(page.body.messages[0].resource_uuid, failed[0]);
    assert.match(page.body.messages_links[0].href, /marker=/);
    const next = await demo.call('GET', `/messages?limit=1&sort=created_at:asc&marker=${page.body.messages[0].id}`, undefined, '3.5');
    assert.equal(next.body.messages[0].resource_uuid, failed[1]);

    const unknown = await demo.call('GET', '/messages?colour=red', undefined, '3.34');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.badRequest.message, 'Invalid filters colour are found in query options.');
    assert.deepEqual((await demo.call('GET', '/messages?colour=red', undefined, '3.33')).body.messages, [], 'before 3.34 it matches nothing');
    assert.equal((await demo.call('GET', '/messages?sort=colour', undefined, '3.5')).status, 400);
    assert.equal((await demo.call('GET', '/messages?limit=x', undefined, '3.5')).status, 400);
    assert.equal((await demo.call('GET', `/messages?marker=${crypto.randomUUID()}`, undefined, '3.5')).status, 404);
    const filters = await demo.call('GET', '/resource_filters?resource=message', undefined, '3.33');
    assert.deepEqual(filters.body.resource_filters[0].filters, ['resource_uuid', 'resource_type', 'event_id', 'request_id', 'message_level']);
  });

  test('delete: 204, then 404 to show and delete; an unknown id is 404', async () => {
    const unknown = await demo.call('GET', `/messages/${crypto.randomUUID()}`, undefined, '3.3');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.itemNotFound.message, /^Message .* could not be found\.$/);
    const id = (await demo.call('GET', '/messages', undefined, '3.3')).body.messages[0].id as string;
    assert.equal((await demo.call('DELETE', `/messages/${id}`, undefined, '3.3')).status, 204);
    assert.equal((await demo.call('GET', `/messages/${id}`, undefined, '3.3')).status, 404);
    assert.equal((await demo.call('DELETE', `/messages/${id}`, undefined, '3.3')).status, 404);
  });
});

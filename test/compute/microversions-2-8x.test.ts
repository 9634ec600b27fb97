/**
 * Nova's microversions after 2.80, each with the behaviour it adds and the one
 * before it: 2.81 image cache requests to an aggregate's hosts, 2.82 Cyborg's
 * accelerator-request-bound event.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: microversions 2.81 and later', () => {
  let c: ComputeCloud;
  let serverId: string;
  before(async () => {
    c = await startComputeCloud();
    const created = await c.call('POST', '/servers', {
      version: '2.37',
      body: { server: { name: 'mv', imageRef: c.imageId, flavorRef: '42', networks: 'none' } },
    });
    assert.equal(created.status, 202, created.text);
    serverId = (await c.waitFor(created.body.server.id, 'ACTIVE')).id as string;
  });
  after(() => c.close());

  const admin = (method: string, path: string, version: string, body?: unknown) =>
    c.call(method, path, { token: c.admin, version, ...(body !== undefined ? { body } : {}) });

  test('2.81: POST /os-aggregates/{id}/images asks the hosts to cache images (202), checked first', async () => {
    const host = (await admin('GET', '/os-hypervisors', '2.53')).body.hypervisors[0].hypervisor_hostname as string;
    const aggregate = (await admin('POST', '/os-aggregates', '2.81', { aggregate: { name: 'cache-agg' } })).body.aggregate;
    assert.equal((await admin('POST', `/os-aggregates/${aggregate.id}/action`, '2.81', { add_host: { host } })).status, 200);
    const body = { cache: [{ id: c.imageId }] };
    const path = `/os-aggregates/${aggregate.id}/images`;

    novaError(await admin('POST', path, '2.80', body), 404, 'itemNotFound');
    const accepted = await admin('POST', path, '2.81', body);
    assert.equal(accepted.status, 202, accepted.text);
    assert.equal(accepted.text, '');
    novaError(await c.call('POST', path, { version: '2.81', body }), 403, 'forbidden');
    assert.equal(
      novaError(await admin('POST', path, '2.81', { cache: [{ id: c.imageId }, { id: c.imageId }] }), 400, 'badRequest'),
      'Duplicate images in request',
    );
    const missing = '11111111-2222-4333-8444-555555555555';
    assert.equal(novaError(await admin('POST', path, '2.81', { cache: [{ id: missing }] }), 400, 'badRequest'), `Image ${missing} could not be found.`);
    novaError(await admin('POST', path, '2.81', { cache: [] }), 400, 'badRequest');
    novaError(await admin('POST', path, '2.81', { cache: [{ id: 'not-a-uuid' }] }), 400, 'badRequest');
    novaError(await admin('POST', path, '2.81', { cache: [{ id: c.imageId, name: 'x' }] }), 400, 'badRequest');
    assert.equal(novaError(await admin('POST', '/os-aggregates/999/images', '2.81', body), 404, 'itemNotFound'), 'Aggregate 999 could not be found.');
    novaError(await admin('POST', '/os-aggregates/abc/images', '2.81', body), 400, 'badRequest');
  });

  test('2.82: the accelerator-request-bound event, which needs its tag (the accelerator request)', async () => {
    const event = { name: 'accelerator-request-bound', server_uuid: serverId, status: 'completed', tag: 'arq-1' };
    novaError(await admin('POST', '/os-server-external-events', '2.81', { events: [event] }), 400, 'badRequest');
    const sent = await admin('POST', '/os-server-external-events', '2.82', { events: [event] });
    assert.equal(sent.status, 200, sent.text);
    assert.deepEqual(sent.body.events, [{ ...event, code: 200 }]);
    const untagged = { name: 'accelerator-request-bound', server_uuid: serverId };
    novaError(await admin('POST', '/os-server-external-events', '2.82', { events: [untagged] }), 404, 'itemNotFound');
  });
});

/**
 * Nova's microversions after 2.80, each with the behaviour it adds and the one
 * before it: 2.81 image cache requests to an aggregate's hosts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: microversions 2.81 and later', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud();
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
});

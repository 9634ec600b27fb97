/**
 * Flavor ids given as numbers (stored and shown as strings, 409 on a
 * duplicate) and os-simple-tenant-usage billing a running server up to now,
 * not to a period end still in the future.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute gaps: flavor ids and usage up to now', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud();
  });
  after(() => c.close());

  const flavor = (id: unknown, name: string) => ({ flavor: { name, id, ram: 64, vcpus: 1, disk: 0 } });

  test('an integer id is kept as its string; the same id again is 409', async () => {
    const created = await c.call('POST', '/flavors', { token: c.admin, body: flavor(90210, 'gaps-int') });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.flavor.id, '90210');
    const shown = await c.call('GET', '/flavors/90210', { token: c.admin });
    assert.equal(shown.body.flavor.name, 'gaps-int');
    const again = await c.call('POST', '/flavors', { token: c.admin, body: flavor('90210', 'gaps-int-2') });
    assert.match(novaError(again, 409, 'conflictingRequest'), /Flavor with ID 90210 already exists/);
  });

  test('a null id is generated; a bad string id or a boolean is 400', async () => {
    const created = await c.call('POST', '/flavors', { token: c.admin, body: flavor(null, 'gaps-null') });
    assert.equal(created.status, 200, created.text);
    assert.match(created.body.flavor.id, /^[0-9a-f-]{36}$/);
    novaError(await c.call('POST', '/flavors', { token: c.admin, body: flavor(' lead', 'gaps-bad') }), 400, 'badRequest');
    novaError(await c.call('POST', '/flavors', { token: c.admin, body: flavor(true, 'gaps-bool') }), 400, 'badRequest');
  });

  test('a period ending in the future stops now: a running server bills to now', async () => {
    const boot = await c.call('POST', '/servers', {
      body: { server: { name: 'gaps-usage', imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }] } },
    });
    assert.equal(boot.status, 202, boot.text);
    await c.waitFor(boot.body.server.id, 'ACTIVE');
    const project = (await c.call('GET', `/servers/${boot.body.server.id}`, { token: c.admin })).body.server.tenant_id;
    const start = new Date(Date.now() - 3_600_000).toISOString().replace('Z', '');
    const end = new Date(Date.now() + 10 * 3_600_000).toISOString().replace('Z', '');
    const before = Date.now();
    const usage = await c.call('GET', `/os-simple-tenant-usage/${project}?start=${start}&end=${end}`, { token: c.admin });
    assert.equal(usage.status, 200, usage.text);
    const stop = new Date(`${usage.body.tenant_usage.stop}Z`).getTime();
    assert.ok(stop >= before - 1000 && stop <= Date.now() + 1000, `stop ${usage.body.tenant_usage.stop} is not now`);
    const server = usage.body.tenant_usage.server_usages.find((s: { instance_id: string }) => s.instance_id === boot.body.server.id);
    assert.ok(server.hours > 0 && server.hours < 0.01, `hours ${server.hours} billed past now`);
    assert.ok(usage.body.tenant_usage.total_hours < 1.01);
    novaError(await c.call('GET', '/os-simple-tenant-usage/', { token: c.admin }), 404, 'itemNotFound');
  });
});

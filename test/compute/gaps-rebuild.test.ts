/**
 * Rebuild's key_name (2.54) and user_data (2.57), and OS-DCF:diskConfig
 * kept as given at create, rebuild and resize.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute gaps: rebuild and disk config', () => {
  let c: ComputeCloud;
  let serverId: string;
  before(async () => {
    c = await startComputeCloud();
    const boot = await c.call('POST', '/servers', {
      body: { server: { name: 'gaps-rebuild', imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }], 'OS-DCF:diskConfig': 'AUTO' } },
    });
    assert.equal(boot.status, 202, boot.text);
    serverId = boot.body.server.id;
    assert.equal(boot.body.server['OS-DCF:diskConfig'], 'AUTO');
    await c.waitFor(serverId, 'ACTIVE');
  });
  after(() => c.close());

  const rebuild = (body: Record<string, unknown>, version: string) =>
    c.call('POST', `/servers/${serverId}/action`, { version, body: { rebuild: { imageRef: c.imageId, ...body } } });

  test('2.54 rebuild sets or clears the key; an unknown key is 400; before 2.54 key_name is refused', async () => {
    assert.equal((await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'gaps-key' } } })).status, 200);
    const keyed = await rebuild({ key_name: 'gaps-key', 'OS-DCF:diskConfig': 'MANUAL' }, '2.54');
    assert.equal(keyed.status, 202, keyed.text);
    assert.equal(keyed.body.server.key_name, 'gaps-key');
    assert.equal(keyed.body.server['OS-DCF:diskConfig'], 'MANUAL');
    await c.waitFor(serverId, 'ACTIVE');
    assert.equal((await c.call('GET', `/servers/${serverId}`)).body.server.key_name, 'gaps-key');
    const cleared = await rebuild({ key_name: null }, '2.54');
    assert.equal(cleared.body.server.key_name, null);
    await c.waitFor(serverId, 'ACTIVE');
    assert.match(novaError(await rebuild({ key_name: 'nope' }, '2.54'), 400, 'badRequest'), /Invalid key_name provided/);
    novaError(await rebuild({ key_name: 'gaps-key' }, '2.53'), 400, 'badRequest');
    novaError(await rebuild({ 'OS-DCF:diskConfig': 'SOMETIMES' }, '2.54'), 400, 'badRequest');
  });

  test('2.57 rebuild replaces user_data (shown in the answer); not base64 is 400; personality is gone', async () => {
    const given = Buffer.from('#!/bin/sh\necho hi\n').toString('base64');
    const rebuilt = await rebuild({ user_data: given }, '2.57');
    assert.equal(rebuilt.status, 202, rebuilt.text);
    assert.equal(rebuilt.body.server.user_data, given);
    await c.waitFor(serverId, 'ACTIVE');
    const shown = await c.call('GET', `/servers/${serverId}`, { token: c.admin, version: '2.57' });
    assert.equal(shown.body.server['OS-EXT-SRV-ATTR:user_data'], given);
    novaError(await rebuild({ user_data: 'not base64!' }, '2.57'), 400, 'badRequest');
    novaError(await rebuild({ personality: [] }, '2.57'), 400, 'badRequest');
    // From 2.75 an admin's rebuild answer shows every extended attribute but the user data's (Tempest's 2.75 schema).
    const asAdmin = await c.call('POST', `/servers/${serverId}/action`, { token: c.admin, version: '2.75', body: { rebuild: { imageRef: c.imageId } } });
    assert.equal(asAdmin.status, 202, asAdmin.text);
    assert.equal('OS-EXT-SRV-ATTR:user_data' in asAdmin.body.server, false);
    assert.ok('OS-EXT-SRV-ATTR:host' in asAdmin.body.server);
    assert.ok('user_data' in asAdmin.body.server);
    await c.waitFor(serverId, 'ACTIVE');
    const cleared = await rebuild({ user_data: null }, '2.57');
    assert.equal(cleared.body.server.user_data, null);
    await c.waitFor(serverId, 'ACTIVE');
  });

  test('PUT /servers/{id} changes the disk config', async () => {
    const updated = await c.call('PUT', `/servers/${serverId}`, { body: { server: { 'OS-DCF:diskConfig': 'AUTO' } } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.server['OS-DCF:diskConfig'], 'AUTO');
    assert.equal((await c.call('GET', `/servers/${serverId}`)).body.server['OS-DCF:diskConfig'], 'AUTO');
  });

  test("an admin's project_id or tenant_id filter is ignored without all_tenants", async () => {
    const project = (await c.call('GET', `/servers/${serverId}`, { token: c.admin })).body.server.tenant_id;
    for (const key of ['tenant_id', 'project_id']) {
      const own = await c.call('GET', `/servers?${key}=${project}`, { token: c.admin });
      assert.ok(!own.body.servers.some((s: { id: string }) => s.id === serverId), `${key} without all_tenants listed another project's server`);
      const all = await c.call('GET', `/servers?all_tenants=1&${key}=${project}`, { token: c.admin });
      assert.ok(all.body.servers.some((s: { id: string }) => s.id === serverId));
    }
  });

  test('resize keeps the disk config asked for', async () => {
    const resized = await c.call('POST', `/servers/${serverId}/action`, { body: { resize: { flavorRef: '2', 'OS-DCF:diskConfig': 'AUTO' } } });
    assert.equal(resized.status, 202, resized.text);
    const server = await c.waitFor(serverId, 'VERIFY_RESIZE');
    assert.equal(server['OS-DCF:diskConfig'], 'AUTO');
  });
});

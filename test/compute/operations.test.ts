/**
 * compute/operations.ts, the door other services (Heat) use: the same
 * answers as the REST API for the same caller. A project reader is refused
 * with Nova's 403 as over REST, quotas hold (key_pairs, instances), and what
 * one client makes the other sees.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallerContext } from '../../src/core/context.js';
import type { NimbusError } from '../../src/core/errors.js';
import type { ComputeOperations } from '../../src/compute/operations.js';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

/** The error a call rejects with, for comparing with the REST API's answer. */
async function failure(promise: Promise<unknown>): Promise<NimbusError> {
  try {
    await promise;
  } catch (error) {
    return error as NimbusError;
  }
  return assert.fail('expected the call to fail');
}

describe('compute: operations.ts', () => {
  let c: ComputeCloud;
  let ops: ComputeOperations;
  let member: CallerContext;
  let reader: CallerContext;
  let readerToken: string;
  let projectId: string;
  before(async () => {
    c = await startComputeCloud();
    ops = c.cloud.server.services.compute?.operations as ComputeOperations;
    const { authenticator } = c.cloud.server.services.identity as { authenticator: { authenticate(token: string): Promise<CallerContext> } };
    const identity = (method: string, path: string, body?: unknown) =>
      c.cloud.request(method, `/identity/v3${path}`, { token: c.admin, ...(body !== undefined ? { body } : {}) });
    projectId = (await identity('GET', '/projects?name=demo')).body.projects[0].id;
    const role = (await identity('GET', '/roles?name=reader')).body.roles[0].id;
    const user = (await identity('POST', '/users', { user: { name: 'ops-reader', password: 'ops-reader-pw', domain_id: 'default' } })).body.user.id;
    assert.equal((await identity('PUT', `/projects/${projectId}/users/${user}/roles/${role}`)).status, 204);
    readerToken = await c.cloud.token({ id: user, password: 'ops-reader-pw' }, { project: { id: projectId } });
    member = await authenticator.authenticate(c.demo);
    reader = await authenticator.authenticate(readerToken);
  });
  after(() => c.close());

  test('key pairs: made here, seen over REST; a reader may keep its own as over REST; the quota holds', async () => {
    const created = await ops.createKeypair(member, { name: 'ops-key' });
    assert.ok(created.privateKey?.includes('PRIVATE KEY'));
    const shown = await c.call('GET', '/os-keypairs/ops-key');
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.body.keypair.fingerprint, created.fingerprint);
    assert.deepEqual(
      (await ops.listKeypairs(member)).map((k) => k.name),
      ['ops-key'],
    );

    // Nova lets any user keep their own key pairs, a reader too: the same here as over REST.
    assert.equal((await ops.createKeypair(reader, { name: 'reader-key' })).userId, reader.userId);
    const overRest = await c.call('POST', '/os-keypairs', { token: readerToken, body: { keypair: { name: 'reader-key-2' } } });
    assert.equal(overRest.status, 200, overRest.text);
    assert.equal((await failure(ops.createKeypair(member, { name: 'bad/name' }))).status, 400);

    assert.equal((await c.call('PUT', `/os-quota-sets/${projectId}`, { token: c.admin, body: { quota_set: { key_pairs: 1 } } })).status, 200);
    const overQuota = await failure(ops.createKeypair(member, { name: 'second' }));
    assert.equal(overQuota.status, 403);
    assert.equal(overQuota.message, 'Quota exceeded, too many key pairs.');
    await ops.deleteKeypair(member, 'ops-key');
    assert.equal((await failure(ops.getKeypair(member, 'ops-key'))).status, 404);
    assert.equal((await c.call('PUT', `/os-quota-sets/${projectId}`, { token: c.admin, body: { quota_set: { key_pairs: 100 } } })).status, 200);
  });

  test('flavors: made by an admin with extra specs and access, refused to a member as over REST', async () => {
    const admin = await (
      c.cloud.server.services.identity as { authenticator: { authenticate(token: string): Promise<CallerContext> } }
    ).authenticator.authenticate(c.admin);
    const refused = await failure(ops.createFlavor(member, { name: 'ops-flavor', ramMb: 64, vcpus: 1, diskGb: 0 }));
    const overRest = await c.call('POST', '/flavors', { body: { flavor: { name: 'ops-flavor', ram: 64, vcpus: 1, disk: 0 } } });
    assert.equal(refused.status, 403);
    assert.equal(refused.message, novaError(overRest, 403, 'forbidden'));
    const made = await ops.createFlavor(admin, {
      name: 'ops-flavor',
      ramMb: 64,
      vcpus: 1,
      diskGb: 0,
      isPublic: false,
      extraSpecs: { 'hw:cpu_policy': 'shared' },
      projects: [projectId],
    });
    assert.deepEqual(made.extraSpecs, { 'hw:cpu_policy': 'shared' });
    assert.equal((await ops.findFlavor(member, 'ops-flavor'))?.id, made.id);
    assert.equal((await failure(ops.createFlavor(admin, { name: 'ops-flavor', ramMb: 64, vcpus: 1, diskGb: 0 }))).status, 409);
    await ops.deleteFlavor(admin, made.id);
    assert.equal(await ops.findFlavor(member, 'ops-flavor'), null);
  });

  test('flavors: by id, by name, filtered', async () => {
    assert.equal((await ops.getFlavor(member, '42')).name, 'm1.nano');
    assert.equal((await ops.findFlavor(member, 'm1.tiny'))?.id, '1');
    assert.equal((await ops.findFlavor(member, '84'))?.name, 'm1.micro');
    assert.equal(await ops.findFlavor(member, 'no-such-flavor'), null);
    assert.ok((await ops.listFlavors(member, { minRamMb: 512 })).every((f) => f.ramMb >= 512));
    assert.equal((await failure(ops.getFlavor(member, 'nope'))).status, 404);
  });

  test('servers: create, wait, find, metadata, resize, stop, delete; a reader and the instances quota refuse', async () => {
    const request = { name: 'ops-server', imageId: c.imageId, flavorId: '42', networks: [{ networkId: c.privateNetwork }], metadata: { role: 'web' } };
    const refused = await failure(ops.createServers(reader, request));
    const overRest = await c.call('POST', '/servers', {
      token: readerToken,
      body: { server: { name: 'r', imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }] } },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.message, novaError(overRest, 403, 'forbidden'));

    const created = await ops.createServers(member, request);
    assert.equal(created.servers.length, 1);
    const id = created.servers[0]!.id;
    const active = await ops.waitForServer(member, id, ['ACTIVE']);
    assert.equal(active?.status, 'ACTIVE');
    assert.deepEqual(Object.keys(active?.addresses ?? {}), ['private']);
    assert.equal((await c.call('GET', `/servers/${id}`)).body.server.name, 'ops-server');
    assert.equal((await ops.findServer(member, 'ops-server'))?.id, id);
    assert.equal(await ops.findServer(member, 'ops-serv'), null);
    assert.deepEqual(
      (await ops.listServers(reader)).map((s) => s.id),
      [id],
    );

    assert.deepEqual(await ops.setServerMetadata(member, id, { tier: '1' }), { role: 'web', tier: '1' });
    assert.equal((await failure(ops.setServerMetadata(reader, id, { x: 'y' }))).status, 403);
    await ops.deleteServerMetadata(member, id, 'role');
    assert.deepEqual(await ops.getServerMetadata(member, id), { tier: '1' });

    await ops.resizeServer(member, id, '84');
    assert.equal((await ops.waitForServer(member, id, ['VERIFY_RESIZE']))?.flavorId, '84');
    await ops.confirmServerResize(member, id);
    assert.equal((await ops.waitForServer(member, id, ['ACTIVE']))?.flavorId, '84');
    assert.equal((await failure(ops.resizeServer(member, id, '84'))).status, 400);

    assert.equal((await c.call('PUT', `/os-quota-sets/${projectId}`, { token: c.admin, body: { quota_set: { instances: 1 } } })).status, 200);
    const overQuota = await failure(ops.createServers(member, { ...request, name: 'second' }));
    assert.equal(overQuota.status, 403);
    assert.match(overQuota.message, /Quota exceeded for instances/);

    await ops.stopServer(member, id);
    assert.equal((await ops.waitForServer(member, id, ['SHUTOFF']))?.status, 'SHUTOFF');
    assert.equal((await failure(ops.stopServer(member, id))).status, 409);
    await ops.deleteServer(member, id);
    assert.equal(await ops.waitForServer(member, id, ['DELETED']), null);
    assert.equal((await failure(ops.getServer(member, id))).status, 404);
  });
});

/**
 * Secure RBAC: a user with only the `reader` role on project demo sees the
 * project's servers, flavors and their own key pairs, and every compute
 * write is 403 (Nova's "Policy doesn't allow ..."), with nothing changed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: a project reader cannot write', () => {
  let c: ComputeCloud;
  let reader: string;
  let serverId: string;
  let groupId: string;
  before(async () => {
    c = await startComputeCloud();
    const identity = (method: string, path: string, body?: unknown) =>
      c.cloud.request(method, `/identity/v3${path}`, { token: c.admin, ...(body !== undefined ? { body } : {}) });
    const project = (await identity('GET', '/projects?name=demo')).body.projects[0].id;
    const role = (await identity('GET', '/roles?name=reader')).body.roles[0].id;
    const user = (await identity('POST', '/users', { user: { name: 'watcher', password: 'watcher-pw-1', domain_id: 'default' } })).body.user.id;
    assert.equal((await identity('PUT', `/projects/${project}/users/${user}/roles/${role}`)).status, 204);
    reader = await c.cloud.token({ id: user, password: 'watcher-pw-1' }, { project: { id: project } });

    const created = await c.call('POST', '/servers', {
      body: { server: { name: 'watched', imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }], metadata: { k: 'v' } } },
    });
    assert.equal(created.status, 202, created.text);
    serverId = created.body.server.id;
    await c.waitFor(serverId, 'ACTIVE');
    assert.equal((await c.call('PUT', `/servers/${serverId}/tags/t`, { version: '2.26' })).status, 201);
    const group = await c.call('POST', '/os-server-groups', { version: '2.64', body: { server_group: { name: 'g', policy: 'affinity' } } });
    groupId = group.body.server_group.id;
    assert.equal((await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'demo-key' } } })).status, 200);
  });
  after(() => c.close());

  const asReader = (method: string, path: string, body?: unknown, version = '2.79') =>
    c.call(method, path, { token: reader, version, ...(body !== undefined ? { body } : {}) });

  test('reads of the project: servers, flavors, metadata, tags, groups, interfaces, actions, limits', async () => {
    const reads = [
      '/servers',
      '/servers/detail',
      `/servers/${serverId}`,
      '/flavors',
      '/flavors/detail',
      '/flavors/42',
      '/os-keypairs',
      `/servers/${serverId}/metadata`,
      `/servers/${serverId}/metadata/k`,
      `/servers/${serverId}/tags`,
      '/os-server-groups',
      `/os-server-groups/${groupId}`,
      `/servers/${serverId}/os-interface`,
      `/servers/${serverId}/os-volume_attachments`,
      `/servers/${serverId}/os-instance-actions`,
      '/limits',
      '/os-availability-zone',
    ];
    for (const path of reads) {
      const response = await asReader('GET', path);
      assert.equal(response.status, 200, `${path}: ${response.text}`);
    }
    assert.deepEqual(
      (await asReader('GET', '/servers')).body.servers.map((s: { id: string }) => s.id),
      [serverId],
    );
  });

  test('every write of the project is 403 and changes nothing', async () => {
    const server = `/servers/${serverId}`;
    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/servers', { server: { name: 'r', imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }] } }],
      ['PUT', server, { server: { name: 'renamed' } }],
      ['DELETE', server],
      ['POST', `${server}/metadata`, { metadata: { a: 'b' } }],
      ['PUT', `${server}/metadata`, { metadata: { a: 'b' } }],
      ['PUT', `${server}/metadata/k`, { meta: { k: 'w' } }],
      ['DELETE', `${server}/metadata/k`],
      ['PUT', `${server}/tags`, { tags: ['x'] }],
      ['PUT', `${server}/tags/x`],
      ['DELETE', `${server}/tags/t`],
      ['DELETE', `${server}/tags`],
      ['POST', '/os-server-groups', { server_group: { name: 'r', policy: 'affinity' } }],
      ['DELETE', `/os-server-groups/${groupId}`],
      ['POST', `${server}/os-interface`, { interfaceAttachment: { net_id: c.privateNetwork } }],
      ['DELETE', `${server}/os-interface/00000000-0000-0000-0000-000000000000`],
      ['POST', `${server}/os-volume_attachments`, { volumeAttachment: { volumeId: '00000000-0000-0000-0000-000000000000' } }],
      ['DELETE', `${server}/os-volume_attachments/00000000-0000-0000-0000-000000000000`],
      [
        'PUT',
        `${server}/os-volume_attachments/00000000-0000-0000-0000-000000000000`,
        { volumeAttachment: { volumeId: '00000000-0000-0000-0000-000000000001' } },
      ],
    ];
    const actions: Record<string, unknown> = {
      reboot: { type: 'SOFT' },
      'os-stop': null,
      'os-start': null,
      pause: null,
      unpause: null,
      suspend: null,
      resume: null,
      lock: null,
      unlock: null,
      rescue: null,
      unrescue: null,
      shelve: null,
      unshelve: null,
      shelveOffload: null,
      resize: { flavorRef: '84' },
      confirmResize: null,
      revertResize: null,
      rebuild: { imageRef: c.imageId },
      createImage: { name: 'snap' },
      createBackup: { name: 'b', backup_type: 'daily', rotation: 1 },
      changePassword: { adminPass: 'pw' },
      trigger_crash_dump: null,
      'os-getConsoleOutput': {},
      addSecurityGroup: { name: 'default' },
      removeSecurityGroup: { name: 'default' },
      forceDelete: null,
      migrate: null,
      'os-migrateLive': { host: null, block_migration: 'auto' },
      evacuate: {},
    };
    for (const [name, body] of Object.entries(actions)) writes.push(['POST', `${server}/action`, { [name]: body }]);
    for (const [method, path, body] of writes) {
      const message = novaError(await asReader(method, path, body), 403, 'forbidden');
      assert.match(message, /^Policy doesn't allow os_compute_api:\S+ to be performed\.$/, `${method} ${path} ${JSON.stringify(body)}`);
    }
    const after = (await c.call('GET', server, { version: '2.79' })).body.server;
    assert.equal(after.name, 'watched');
    assert.equal(after.status, 'ACTIVE');
    assert.deepEqual(after.metadata, { k: 'v' });
    assert.deepEqual(after.tags, ['t']);
    assert.equal((await c.call('GET', '/servers')).body.servers.length, 1);
  });

  test("key pairs are the user's own (Nova's default: admin or the owner): another user's are invisible", async () => {
    novaError(await asReader('DELETE', '/os-keypairs/demo-key'), 404, 'itemNotFound');
    novaError(await asReader('GET', '/os-keypairs/demo-key'), 404, 'itemNotFound');
    assert.equal((await c.call('GET', '/os-keypairs/demo-key')).status, 200);
  });
});

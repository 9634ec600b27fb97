/**
 * Nova's proxy APIs before 2.36: os-floating-ips and pools, the
 * addFloatingIp/removeFloatingIp actions (to 2.43), os-volumes and
 * os-snapshots, image metadata (to 2.38) and the image list's filters,
 * os-networks and os-tenant-networks, and the legacy /extensions list; with
 * their error answers and the microversions that remove them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

const MISSING = '9b0c4a6e-1f2d-4e3a-8b7c-6d5e4f3a2b1c';

describe('compute proxies (before 2.36)', () => {
  let c: ComputeCloud;
  let serverId: string;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.volume.backends.file!.volume_driver = 'fake';
    });
    const boot = await c.call('POST', '/servers', {
      body: { server: { name: 'proxied', imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }] } },
    });
    assert.equal(boot.status, 202, boot.text);
    serverId = boot.body.server.id;
    await c.waitFor(serverId, 'ACTIVE');
  });
  after(() => c.close());

  test('os-floating-ips: allocate from a pool, show, list, release; unknown pool and id are 404; gone at 2.36', async () => {
    const pools = await c.call('GET', '/os-floating-ip-pools');
    assert.equal(pools.status, 200, pools.text);
    assert.deepEqual(pools.body.floating_ip_pools, [{ name: 'public' }]);
    const created = await c.call('POST', '/os-floating-ips', { body: { pool: 'public' } });
    assert.equal(created.status, 200, created.text);
    const ip = created.body.floating_ip;
    assert.deepEqual(Object.keys(ip).sort(), ['fixed_ip', 'id', 'instance_id', 'ip', 'pool']);
    assert.equal(ip.pool, 'public');
    assert.equal(ip.instance_id, null);
    const shown = await c.call('GET', `/os-floating-ips/${ip.id}`);
    assert.deepEqual(shown.body.floating_ip, ip);
    const listed = await c.call('GET', '/os-floating-ips');
    assert.ok(listed.body.floating_ips.some((f: { id: string }) => f.id === ip.id));
    // No body: the configured default pool (public).
    const defaulted = await c.call('POST', '/os-floating-ips');
    assert.equal(defaulted.status, 200, defaulted.text);
    assert.equal((await c.call('DELETE', `/os-floating-ips/${defaulted.body.floating_ip.id}`)).status, 202);
    assert.match(novaError(await c.call('POST', '/os-floating-ips', { body: { pool: 'nowhere' } }), 404, 'itemNotFound'), /Floating IP pool not found/);
    assert.match(novaError(await c.call('GET', `/os-floating-ips/${MISSING}`), 404, 'itemNotFound'), /Floating IP not found for ID/);
    novaError(await c.call('DELETE', `/os-floating-ips/${MISSING}`), 404, 'itemNotFound');
    novaError(await c.call('GET', '/os-floating-ips', { version: '2.36' }), 404, 'itemNotFound');
    novaError(await c.call('GET', '/os-floating-ip-pools', { version: '2.36' }), 404, 'itemNotFound');
    novaError(await c.call('POST', '/os-floating-ips', { body: { pool: 'public' }, version: '2.36' }), 404, 'itemNotFound');
    assert.equal((await c.call('DELETE', `/os-floating-ips/${ip.id}`)).status, 202);
    novaError(await c.call('GET', `/os-floating-ips/${ip.id}`), 404, 'itemNotFound');
  });

  test('addFloatingIp / removeFloatingIp: associate, show instance_id, a second address refused, remove; gone at 2.44', async () => {
    const first = (await c.call('POST', '/os-floating-ips', { body: { pool: 'public' } })).body.floating_ip;
    const second = (await c.call('POST', '/os-floating-ips', { body: { pool: 'public' } })).body.floating_ip;
    const action = (body: unknown, version = '2.1') => c.call('POST', `/servers/${serverId}/action`, { body, version });
    assert.equal((await action({ addFloatingIp: { address: first.ip } })).status, 202);
    const shown = (await c.call('GET', `/os-floating-ips/${first.id}`)).body.floating_ip;
    assert.equal(shown.instance_id, serverId);
    assert.ok(shown.fixed_ip);
    // The server's fixed IP already has a floating IP on that network: Neutron refuses, Nova answers 400.
    novaError(await action({ addFloatingIp: { address: second.ip } }), 400, 'badRequest');
    novaError(await action({ addFloatingIp: { address: '0.0.0.0' } }), 404, 'itemNotFound');
    novaError(await action({ addFloatingIp: { address: '' } }), 400, 'badRequest');
    novaError(await action({ addFloatingIp: { address: first.ip, fixed_address: '10.99.99.99' } }), 400, 'badRequest');
    novaError(await action({ removeFloatingIp: { address: second.ip } }), 409, 'conflictingRequest');
    novaError(await action({ removeFloatingIp: { address: '0.0.0.0' } }), 404, 'itemNotFound');
    novaError(await action({ addFloatingIp: { address: first.ip } }, '2.44'), 404, 'itemNotFound');
    assert.equal((await action({ addFloatingIp: { address: first.ip } }, '2.43')).status, 202);
    assert.equal((await action({ removeFloatingIp: { address: first.ip } })).status, 202);
    assert.equal((await c.call('GET', `/os-floating-ips/${first.id}`)).body.floating_ip.instance_id, null);
    for (const ip of [first, second]) await c.call('DELETE', `/os-floating-ips/${ip.id}`);
  });

  test('os-volumes and os-snapshots: Nova camel-case views, create, show, list, delete; 404s; gone at 2.36', async () => {
    const created = await c.call('POST', '/os-volumes', { body: { volume: { size: 1, display_name: 'vol', metadata: { a: 'b' } } } });
    assert.equal(created.status, 200, created.text);
    const volume = created.body.volume;
    assert.match(created.headers.get('location') ?? '', new RegExp(`/os-volumes/${volume.id}$`));
    assert.equal(volume.displayName, 'vol');
    assert.deepEqual(volume.attachments, [{}]);
    assert.deepEqual(volume.metadata, { a: 'b' });
    assert.equal(volume.snapshotId, null);
    let shown = volume;
    for (let i = 0; i < 200 && shown.status !== 'available'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      shown = (await c.call('GET', `/os-volumes/${volume.id}`)).body.volume;
    }
    assert.equal(shown.status, 'available');
    assert.ok((await c.call('GET', '/os-volumes/detail')).body.volumes.some((v: { id: string }) => v.id === volume.id));
    assert.equal((await c.call('GET', '/os-volumes?limit=0')).body.volumes.length, 0);
    novaError(await c.call('GET', `/os-volumes/${MISSING}`), 404, 'itemNotFound');
    novaError(await c.call('GET', '/os-volumes/'), 404, 'itemNotFound');
    novaError(await c.call('POST', '/os-volumes', { body: { volume: { size: 0 } } }), 400, 'badRequest');
    novaError(await c.call('POST', '/os-volumes', { body: { volume: { size: 1, snapshot_id: MISSING } } }), 404, 'itemNotFound');
    novaError(await c.call('GET', '/os-volumes', { version: '2.36' }), 404, 'itemNotFound');

    const snap = await c.call('POST', '/os-snapshots', { body: { snapshot: { volume_id: volume.id, display_name: 'snap', force: 'false' } } });
    assert.equal(snap.status, 200, snap.text);
    assert.deepEqual(Object.keys(snap.body.snapshot).sort(), ['createdAt', 'displayDescription', 'displayName', 'id', 'size', 'status', 'volumeId']);
    const snapshotId = snap.body.snapshot.id;
    assert.ok((await c.call('GET', '/os-snapshots')).body.snapshots.some((s: { id: string }) => s.id === snapshotId));
    novaError(await c.call('GET', `/os-snapshots/${MISSING}`), 404, 'itemNotFound');
    novaError(await c.call('DELETE', `/os-snapshots/${MISSING}`), 404, 'itemNotFound');
    novaError(await c.call('GET', '/os-snapshots', { version: '2.36' }), 404, 'itemNotFound');
    for (let i = 0; i < 200; i++) {
      if ((await c.call('GET', `/os-snapshots/${snapshotId}`)).body.snapshot.status === 'available') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal((await c.call('DELETE', `/os-snapshots/${snapshotId}`)).status, 202);
    for (let i = 0; i < 200 && (await c.call('GET', `/os-snapshots/${snapshotId}`)).status !== 404; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal((await c.call('DELETE', `/os-volumes/${volume.id}`)).status, 202);
    novaError(await c.call('DELETE', `/os-volumes/${MISSING}`), 404, 'itemNotFound');
  });

  test('image metadata: list, set, update, show, delete an item; 404s; gone at 2.39; list filters', async () => {
    const image = (await c.cloud.request('POST', '/image/v2/images', { token: c.admin, body: { name: 'proxied-image', visibility: 'private' } })).body;
    const meta = (path = '', init: { method?: string; body?: unknown; version?: string } = {}) =>
      c.call(init.method ?? 'GET', `/images/${image.id}/metadata${path}`, { token: c.admin, ...init });
    assert.deepEqual((await meta()).body, { metadata: {} });
    assert.deepEqual((await meta('', { method: 'POST', body: { metadata: { os_distro: 'debian', tier: 'a' } } })).body.metadata, {
      os_distro: 'debian',
      tier: 'a',
    });
    assert.deepEqual((await meta('/tier', { method: 'PUT', body: { meta: { tier: 'b' } } })).body, { meta: { tier: 'b' } });
    assert.deepEqual((await meta('/tier')).body, { meta: { tier: 'b' } });
    novaError(await meta('/tier', { method: 'PUT', body: { meta: { other: 'b' } } }), 400, 'badRequest');
    assert.deepEqual((await meta('', { method: 'PUT', body: { metadata: { only: 'this' } } })).body, { metadata: { only: 'this' } });
    assert.deepEqual((await meta()).body, { metadata: { only: 'this' } });
    assert.equal((await meta('/only', { method: 'DELETE' })).status, 204);
    novaError(await meta('/only', { method: 'DELETE' }), 404, 'itemNotFound');
    novaError(await meta('/only'), 404, 'itemNotFound');
    novaError(await c.call('GET', `/images/${MISSING}/metadata`, { token: c.admin }), 404, 'itemNotFound');
    novaError(await meta('', { version: '2.39' }), 404, 'itemNotFound');
    assert.equal((await meta('', { version: '2.38' })).status, 200);

    await meta('', { method: 'POST', body: { metadata: { image_type: 'snapshot' } } });
    const names = async (query: string) =>
      ((await c.call('GET', `/images/detail?${query}`, { token: c.admin })).body.images as Array<{ name: string }>).map((i) => i.name);
    assert.deepEqual(await names('type=snapshot'), ['proxied-image']);
    // Nova hands the status to Glance lower-cased: Glance's own status names match, Nova's SAVING does not.
    assert.deepEqual(await names('name=proxied-image&status=QUEUED'), ['proxied-image']);
    assert.deepEqual(await names('name=proxied-image&status=ACTIVE'), []);
    assert.ok((await names('status=ACTIVE&limit=1')).length === 1);
    assert.deepEqual(await names(`changes-since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`), []);
    novaError(await c.call('GET', `/images?status=ACTIVE&marker=${MISSING}`, { token: c.admin }), 400, 'badRequest');
  });

  test('os-networks and os-tenant-networks: id and label (more null fields for admins); 404; gone at 2.36', async () => {
    const tenant = await c.call('GET', '/os-tenant-networks');
    assert.equal(tenant.status, 200, tenant.text);
    const mine = tenant.body.networks.find((n: { id: string }) => n.id === c.privateNetwork);
    assert.deepEqual(mine, { id: c.privateNetwork, cidr: 'None', label: 'private' });
    assert.deepEqual((await c.call('GET', `/os-tenant-networks/${c.privateNetwork}`)).body.network, mine);
    novaError(await c.call('GET', `/os-tenant-networks/${MISSING}`), 404, 'itemNotFound');
    const nova = (await c.call('GET', `/os-networks/${c.privateNetwork}`)).body.network;
    assert.equal(nova.label, 'private');
    assert.equal(nova.cidr, null);
    assert.equal('bridge' in nova, false);
    const admin = (await c.call('GET', `/os-networks/${c.privateNetwork}`, { token: c.admin })).body.network;
    assert.equal(admin.bridge, null);
    assert.ok((await c.call('GET', '/os-networks')).body.networks.length > 0);
    novaError(await c.call('GET', `/os-networks/${MISSING}`), 404, 'itemNotFound');
    novaError(await c.call('GET', '/os-networks', { version: '2.36' }), 404, 'itemNotFound');
    novaError(await c.call('GET', '/os-tenant-networks', { version: '2.36' }), 404, 'itemNotFound');
  });

  test('os-security-group-rules: a CIDR kept as given (Neutron normalizes only normalized_cidr); a peer group deleted takes its rules; a non-UUID parent is 400', async () => {
    const group = async (name: string) =>
      (await c.call('POST', '/os-security-groups', { body: { security_group: { name, description: name } } })).body.security_group.id as string;
    const parent = await group('proxied-parent');
    const peer = await group('proxied-peer');
    const rule = (body: Record<string, unknown>) =>
      c.call('POST', '/os-security-group-rules', {
        body: { security_group_rule: { parent_group_id: parent, ip_protocol: 'tcp', from_port: 22, to_port: 22, ...body } },
      });
    const cidr = await rule({ cidr: '10.2.3.124/24' });
    assert.equal(cidr.status, 200, cidr.text);
    assert.deepEqual(cidr.body.security_group_rule.ip_range, { cidr: '10.2.3.124/24' });
    const neutron = await c.cloud.request('GET', `/network/v2.0/security-group-rules/${cidr.body.security_group_rule.id}`, { token: c.demo });
    assert.equal(neutron.body.security_group_rule.remote_ip_prefix, '10.2.3.124/24');
    assert.equal(neutron.body.security_group_rule.normalized_cidr, '10.2.3.0/24');
    // The same network written another way is the same rule.
    novaError(await rule({ cidr: '10.2.3.0/24' }), 400, 'badRequest');
    assert.equal((await rule({ group_id: peer })).status, 200);
    assert.equal((await c.call('DELETE', `/os-security-groups/${peer}`)).status, 202);
    const rules = (await c.call('GET', `/os-security-groups/${parent}`)).body.security_group.rules;
    assert.deepEqual(
      rules.map((r: { ip_range: unknown }) => r.ip_range),
      [{ cidr: '10.2.3.124/24' }],
    );
    assert.match(novaError(await rule({ parent_group_id: 'not-a-uuid' }), 400, 'badRequest'), /should be uuid/);
    novaError(await rule({ group_id: 'not-a-uuid' }), 400, 'badRequest');
  });

  test('/extensions: the legacy list at any microversion; one by alias; unknown alias is 404', async () => {
    const list = await c.call('GET', '/extensions', { version: '2.79' });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.extensions.some((e: { name: string }) => e.name === 'Hosts'));
    const consoles = await c.call('GET', '/extensions/os-consoles');
    assert.deepEqual(Object.keys(consoles.body.extension).sort(), ['alias', 'description', 'links', 'name', 'namespace', 'updated']);
    assert.equal(consoles.body.extension.alias, 'os-consoles');
    novaError(await c.call('GET', '/extensions/os-nothing'), 404, 'itemNotFound');
  });
});

/** /os-hosts (Nova's host API before 2.43): listing with zones, a host's resources by project, and the changes that answer 501. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: os-hosts', () => {
  let c: ComputeCloud;
  let host: string;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.compute.fake.hosts = 2;
    });
    const boot = await c.call('POST', '/servers', {
      body: { server: { name: 'on-a-host', imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }] } },
    });
    assert.equal(boot.status, 202, boot.text);
    await c.waitFor(boot.body.server.id, 'ACTIVE');
    host = (await c.call('GET', `/servers/${boot.body.server.id}`, { token: c.admin })).body.server['OS-EXT-SRV-ATTR:host'];
  });
  after(() => c.close());

  const hosts = (query = '', token = c.admin, version = '2.1') => c.call('GET', `/os-hosts${query}`, { token, version });

  test('the list: the control services in `internal`, each compute host in its zone; a zone filter; blank is all', async () => {
    const all = await hosts();
    assert.equal(all.status, 200, all.text);
    const entries: Array<{ host_name: string; service: string; zone: string }> = all.body.hosts;
    assert.deepEqual(
      entries.filter((e) => e.zone === 'internal').map((e) => e.service),
      ['conductor', 'scheduler'],
    );
    const computes = entries.filter((e) => e.service === 'compute');
    assert.equal(computes.length, 2);
    assert.ok(computes.every((e) => e.zone === 'nova' && Object.keys(e).length === 3));
    assert.deepEqual((await hosts('?zone=nova')).body.hosts, computes);
    assert.deepEqual((await hosts('?zone=')).body.hosts, entries);
    assert.deepEqual((await hosts('?zone=xxx')).body.hosts, []);
  });

  test("a host's resources: totals, use now, the flavors summed, then each project's", async () => {
    const shown = await c.call('GET', `/os-hosts/${host}`, { token: c.admin });
    assert.equal(shown.status, 200, shown.text);
    const rows: Array<{ resource: Record<string, unknown> }> = shown.body.host;
    assert.deepEqual(rows.map((r) => r.resource.project).slice(0, 3), ['(total)', '(used_now)', '(used_max)']);
    const flavor = (await c.call('GET', '/flavors/1')).body.flavor;
    const mine = rows.find((r) => !String(r.resource.project).startsWith('('));
    assert.deepEqual(mine?.resource, { host, project: mine?.resource.project, cpu: flavor.vcpus, memory_mb: flavor.ram, disk_gb: flavor.disk });
    assert.ok(rows.every((r) => r.resource.host === host && Number.isInteger(r.resource.cpu)));
    assert.match(novaError(await c.call('GET', '/os-hosts/nonexistent_hostname', { token: c.admin }), 404, 'itemNotFound'), /not mapped to any cell/);
  });

  test('enable, maintenance and power actions: 400 for a bad body, 404 for an unknown host, 501 for a known one', async () => {
    const update = (name: string, body: unknown, token = c.admin) => c.call('PUT', `/os-hosts/${name}`, { token, body });
    novaError(await update(host, { status: 'invalid', maintenance_mode: 'enable' }), 400, 'badRequest');
    novaError(await update(host, { status: 'enable', maintenance_mode: 'invalid' }), 400, 'badRequest');
    novaError(await update(host, {}), 400, 'badRequest');
    novaError(await update(host, { status: 'enable', color: 'red' }), 400, 'badRequest');
    novaError(await update('nonexistent', { status: 'enable', maintenance_mode: 'enable' }), 404, 'itemNotFound');
    novaError(await update(host, { status: 'disable' }), 501, 'notImplemented');
    for (const action of ['reboot', 'shutdown', 'startup']) {
      novaError(await c.call('GET', `/os-hosts/nonexistent/${action}`, { token: c.admin }), 404, 'itemNotFound');
      novaError(await c.call('GET', `/os-hosts/${host}/${action}`, { token: c.admin }), 501, 'notImplemented');
    }
  });

  test('admin only, and gone at 2.43', async () => {
    novaError(await hosts('', c.demo), 403, 'forbidden');
    novaError(await c.call('GET', `/os-hosts/${host}`, { token: c.demo }), 403, 'forbidden');
    novaError(await c.call('PUT', `/os-hosts/${host}`, { token: c.demo, body: { status: 'enable' } }), 403, 'forbidden');
    novaError(await c.call('GET', `/os-hosts/${host}/reboot`, { token: c.demo }), 403, 'forbidden');
    novaError(await hosts('', c.admin, '2.43'), 404, 'itemNotFound');
    assert.equal((await hosts('', c.admin, '2.42')).status, 200);
  });
});

/**
 * The server actions on top of the first engineer's action framework:
 * suspend/resume, changePassword, trigger_crash_dump, rescue/unrescue,
 * shelve/unshelve with Placement, cold and live migration, evacuation and
 * os-interface, with their 409/400/403/404 error paths, on three fake hosts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: suspend, rescue, shelve, migrations, evacuate, interfaces', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.compute.fake.hosts = 3;
    });
  });
  after(() => c.close());

  const boot = async (name: string) => {
    const created = await c.call('POST', '/servers', {
      body: { server: { name, imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }] } },
    });
    assert.equal(created.status, 202, created.text);
    return (await c.waitFor(created.body.server.id, 'ACTIVE')).id as string;
  };
  const action = (id: string, name: string, body: unknown = null, options: { version?: string; token?: string } = {}) =>
    c.call('POST', `/servers/${id}/action`, { body: { [name]: body }, ...options });
  const asAdmin = async (id: string) => (await c.call('GET', `/servers/${id}`, { token: c.admin, version: '2.79' })).body.server;
  const allocations = async (consumer: string) =>
    (await c.cloud.request('GET', `/placement/allocations/${consumer}`, { token: c.admin })).body.allocations as Record<string, unknown>;
  const actionsOf = async (id: string) =>
    (await c.call('GET', `/servers/${id}/os-instance-actions`)).body.instanceActions.map((a: { action: string }) => a.action);

  test('suspend and resume, with 409 on the wrong state and the actions recorded', async () => {
    const id = await boot('suspend-me');
    assert.equal((await action(id, 'suspend')).status, 202);
    const suspended = await c.waitFor(id, 'SUSPENDED');
    assert.equal(suspended['OS-EXT-STS:power_state'], 7);
    const again = novaError(await action(id, 'suspend'), 409, 'conflictingRequest');
    assert.equal(again, `Cannot 'suspend' instance ${id} while it is in vm_state suspended`);
    novaError(await action(id, 'pause'), 409, 'conflictingRequest');
    assert.equal((await action(id, 'resume')).status, 202);
    await c.waitFor(id, 'ACTIVE');
    assert.match(novaError(await action(id, 'resume'), 409, 'conflictingRequest'), /Cannot 'resume' instance .* vm_state active/);
    novaError(await action(id, 'suspend', { x: 1 }), 400, 'badRequest');
    novaError(await action('00000000-0000-4000-8000-000000000000', 'suspend'), 404, 'itemNotFound');
    const recorded = await actionsOf(id);
    assert.ok(recorded.includes('suspend') && recorded.includes('resume'), JSON.stringify(recorded));
    const resume = (await c.call('GET', `/servers/${id}/os-instance-actions`)).body.instanceActions.find((a: { action: string }) => a.action === 'resume');
    const events = (await c.call('GET', `/servers/${id}/os-instance-actions/${resume.request_id}`, { token: c.admin, version: '2.51' })).body.instanceAction
      .events;
    assert.deepEqual(
      events.map((e: { event: string; result: string }) => [e.event, e.result]),
      [['compute_resume_instance', 'Success']],
    );
  });

  test('changePassword and trigger_crash_dump (2.17)', async () => {
    const id = await boot('guest-ops');
    assert.equal((await action(id, 'changePassword', { adminPass: 'n3w-Secret' })).status, 202);
    await c.waitFor(id, 'ACTIVE');
    novaError(await action(id, 'changePassword', {}), 400, 'badRequest');
    novaError(await action(id, 'changePassword', { adminPass: 'x', other: 1 }), 400, 'badRequest');
    novaError(await action(id, 'trigger_crash_dump'), 404, 'itemNotFound');
    assert.equal((await action(id, 'trigger_crash_dump', null, { version: '2.17' })).status, 202);
    const crashed = await c.waitFor(id, 'ACTIVE');
    assert.equal(crashed['OS-EXT-STS:power_state'], 6, 'the NMI crashed the guest');
    const log = await action(id, 'os-getConsoleOutput', {});
    assert.match(log.body.output, /NMI received/);
    assert.equal((await action(id, 'os-stop')).status, 202);
    await c.waitFor(id, 'SHUTOFF');
    assert.match(
      novaError(await action(id, 'changePassword', { adminPass: 'x' }), 409, 'conflictingRequest'),
      /Cannot 'changePassword' instance .* vm_state stopped/,
    );
    novaError(await action(id, 'trigger_crash_dump', null, { version: '2.17' }), 409, 'conflictingRequest');
  });

  test('createBackup keeps the `rotation` newest backups of its type', async () => {
    const id = await boot('backup-me');
    const backups = async () =>
      (await c.cloud.request('GET', `/image/v2/images?instance_uuid=${id}&image_type=backup&sort=created_at:asc`, { token: c.demo })).body.images.map(
        (i: { name: string }) => i.name,
      );
    for (const n of [1, 2, 3]) {
      const response = await action(id, 'createBackup', { name: `daily-${n}`, backup_type: 'daily', rotation: 2 }, { version: n === 3 ? '2.45' : '2.1' });
      assert.equal(response.status, 202, response.text);
      if (n === 3) assert.match(response.body.image_id, /^[0-9a-f-]{36}$/);
      else assert.match(response.headers.get('location') ?? '', /\/image\/v2\/images\//);
      await c.waitFor(id, 'ACTIVE');
    }
    assert.deepEqual(await backups(), ['daily-2', 'daily-3']);
    assert.equal((await action(id, 'createBackup', { name: 'weekly-1', backup_type: 'weekly', rotation: 1 })).status, 202);
    await c.waitFor(id, 'ACTIVE');
    assert.deepEqual((await backups()).sort(), ['daily-2', 'daily-3', 'weekly-1'], 'another type rotates apart');
    novaError(await action(id, 'createBackup', { name: 'x', backup_type: 'daily' }), 400, 'badRequest');
    novaError(await action(id, 'createBackup', { name: 'x', backup_type: 'daily', rotation: -1 }), 400, 'badRequest');
    assert.equal((await action(id, 'suspend')).status, 202);
    await c.waitFor(id, 'SUSPENDED');
    assert.equal((await action(id, 'createBackup', { name: 'while-suspended', backup_type: 'daily', rotation: 2 })).status, 202);
  });

  test('rescue with the admin password, unrescue, and their refusals', async () => {
    const id = await boot('rescue-me');
    const rescued = await action(id, 'rescue', { adminPass: 'R3scue!' });
    assert.equal(rescued.status, 200, rescued.text);
    assert.deepEqual(rescued.body, { adminPass: 'R3scue!' });
    await c.waitFor(id, 'RESCUE');
    novaError(await action(id, 'rescue'), 409, 'conflictingRequest');
    assert.equal((await action(id, 'unrescue')).status, 202);
    await c.waitFor(id, 'ACTIVE');
    novaError(await action(id, 'unrescue'), 409, 'conflictingRequest');
    const generated = await action(id, 'rescue', null);
    assert.equal(generated.status, 200);
    assert.equal(typeof generated.body.adminPass, 'string');
    await c.waitFor(id, 'RESCUE');
    assert.equal((await action(id, 'unrescue')).status, 202);
    await c.waitFor(id, 'ACTIVE');
    novaError(await action(id, 'rescue', { rescue_image_ref: '00000000-0000-4000-8000-000000000000' }), 400, 'badRequest');
  });

  test('shelve offloads at once (Placement freed, snapshot kept), unshelve schedules again', async () => {
    const id = await boot('shelve-me');
    assert.ok(Object.keys(await allocations(id)).length > 0);
    novaError(await action(id, 'shelveOffload'), 403, 'forbidden');
    assert.equal((await action(id, 'shelve')).status, 202);
    const shelved = await c.waitFor(id, 'SHELVED_OFFLOADED');
    assert.equal(shelved['OS-EXT-STS:vm_state'], 'shelved_offloaded');
    assert.equal((await asAdmin(id))['OS-EXT-SRV-ATTR:host'], null);
    assert.deepEqual(await allocations(id), {});
    const images = await c.cloud.request('GET', '/image/v2/images?name=shelve-me-shelved', { token: c.demo });
    assert.equal(images.body.images.length, 1);
    assert.equal(images.body.images[0].status, 'active');
    novaError(await action(id, 'shelve'), 409, 'conflictingRequest');
    novaError(await action(id, 'shelveOffload', null, { token: c.admin }), 409, 'conflictingRequest');
    novaError(await action(id, 'unshelve', { availability_zone: 'nova' }), 400, 'badRequest');

    assert.equal((await action(id, 'unshelve', { availability_zone: 'nova' }, { version: '2.77' })).status, 202);
    await c.waitFor(id, 'ACTIVE');
    assert.match((await asAdmin(id))['OS-EXT-SRV-ATTR:host'], /^nimbus-compute-\d$/);
    assert.equal(Object.keys(await allocations(id)).length, 1);
    assert.equal(
      (await c.cloud.request('GET', '/image/v2/images?name=shelve-me-shelved', { token: c.demo })).body.images.length,
      0,
      'the shelved image is gone',
    );
    novaError(await action(id, 'unshelve'), 409, 'conflictingRequest');
    const ports = await c.cloud.request('GET', `/network/v2.0/ports?device_id=${id}`, { token: c.admin });
    assert.equal(ports.body.ports[0]['binding:host_id'], (await asAdmin(id))['OS-EXT-SRV-ATTR:host']);
    assert.deepEqual((await actionsOf(id)).slice(0, 2), ['unshelve', 'shelve']);
  });

  test('cold migrate to another host, confirm; 2.56 host checks; admin only', async () => {
    const id = await boot('migrate-me');
    const source = (await asAdmin(id))['OS-EXT-SRV-ATTR:host'];
    novaError(await action(id, 'migrate'), 403, 'forbidden');
    novaError(await action(id, 'migrate', { host: source }, { token: c.admin, version: '2.56' }), 400, 'badRequest');
    novaError(await action(id, 'migrate', { host: 'nowhere' }, { token: c.admin, version: '2.56' }), 404, 'itemNotFound');
    novaError(await action(id, 'migrate', { host: 'x' }, { token: c.admin }), 400, 'badRequest');
    assert.equal((await action(id, 'migrate', null, { token: c.admin })).status, 202);
    await c.waitFor(id, 'VERIFY_RESIZE');
    const moved = await asAdmin(id);
    assert.notEqual(moved['OS-EXT-SRV-ATTR:host'], source);
    const migrations = (await c.call('GET', `/os-migrations?instance_uuid=${id}`, { token: c.admin, version: '2.23' })).body.migrations;
    assert.equal(migrations[0].migration_type, 'migration');
    assert.equal(migrations[0].status, 'finished');
    assert.equal(migrations[0].source_compute, source);
    assert.equal(migrations[0].dest_compute, moved['OS-EXT-SRV-ATTR:host']);
    assert.equal((await action(id, 'confirmResize')).status, 204);
    await c.waitFor(id, 'ACTIVE');
    const held = Object.keys(await allocations(id));
    assert.equal(held.length, 1, 'only the destination holds the server');
    const confirmed = (await c.call('GET', `/os-migrations?instance_uuid=${id}`, { token: c.admin })).body.migrations[0];
    assert.equal(confirmed.status, 'confirmed');
  });

  test('live migration: scheduler or forced host (2.30), paused servers too, with checks', async () => {
    const id = await boot('live-me');
    const source = (await asAdmin(id))['OS-EXT-SRV-ATTR:host'];
    novaError(await action(id, 'os-migrateLive', { host: null, block_migration: false }), 403, 'forbidden');
    novaError(await action(id, 'os-migrateLive', { host: null }, { token: c.admin }), 400, 'badRequest');
    novaError(await action(id, 'os-migrateLive', { host: null, block_migration: 'auto' }, { token: c.admin }), 400, 'badRequest');
    novaError(await action(id, 'os-migrateLive', { host: source, block_migration: false }, { token: c.admin }), 400, 'badRequest');
    assert.equal((await action(id, 'os-migrateLive', { host: null, block_migration: 'auto' }, { token: c.admin, version: '2.25' })).status, 202);
    await c.waitFor(id, 'ACTIVE');
    const first = (await asAdmin(id))['OS-EXT-SRV-ATTR:host'];
    assert.notEqual(first, source);
    const [live] = (await c.call('GET', `/os-migrations?migration_type=live-migration&instance_uuid=${id}`, { token: c.admin, version: '2.23' })).body
      .migrations;
    assert.equal(live.status, 'completed');
    assert.equal(live.dest_compute, first);
    assert.equal(Object.keys(await allocations(id)).length, 1);

    assert.equal((await action(id, 'pause')).status, 202);
    await c.waitFor(id, 'PAUSED');
    const target = ['nimbus-compute-1', 'nimbus-compute-2', 'nimbus-compute-3'].find((h) => h !== first) as string;
    assert.equal((await action(id, 'os-migrateLive', { host: target, block_migration: false, force: true }, { token: c.admin, version: '2.30' })).status, 202);
    const paused = await c.waitFor(id, 'PAUSED');
    assert.equal(paused['OS-EXT-STS:power_state'], 3);
    assert.equal((await asAdmin(id))['OS-EXT-SRV-ATTR:host'], target);
    novaError(await action(id, 'os-migrateLive', { host: null, block_migration: false, force: true }, { token: c.admin, version: '2.68' }), 400, 'badRequest');
    assert.equal((await action(id, 'os-stop')).status, 409);
  });

  test('evacuate needs a down host, then rebuilds elsewhere (2.14 answers no password)', async () => {
    const id = await boot('evacuate-me');
    const source = (await asAdmin(id))['OS-EXT-SRV-ATTR:host'];
    assert.match(
      novaError(await action(id, 'evacuate', {}, { token: c.admin, version: '2.14' }), 400, 'badRequest'),
      new RegExp(`Compute service of ${source} is still in use`),
    );
    novaError(await action(id, 'evacuate', {}, { version: '2.14' }), 403, 'forbidden');
    novaError(await action(id, 'evacuate', {}, { token: c.admin }), 400, 'badRequest');
    const down = await c.call('PUT', '/os-services/force-down', {
      token: c.admin,
      version: '2.11',
      body: { host: source, binary: 'nova-compute', forced_down: true },
    });
    assert.equal(down.status, 200, down.text);
    novaError(await action(id, 'evacuate', { host: source }, { token: c.admin, version: '2.14' }), 400, 'badRequest');
    novaError(await action(id, 'evacuate', { host: 'nowhere' }, { token: c.admin, version: '2.14' }), 404, 'itemNotFound');
    const evacuated = await action(id, 'evacuate', {}, { token: c.admin, version: '2.14' });
    assert.equal(evacuated.status, 200, evacuated.text);
    assert.equal(evacuated.text, '');
    await c.waitFor(id, 'ACTIVE');
    const now = (await asAdmin(id))['OS-EXT-SRV-ATTR:host'];
    assert.notEqual(now, source);
    const [record] = (await c.call('GET', `/os-migrations?migration_type=evacuation`, { token: c.admin, version: '2.23' })).body.migrations;
    assert.deepEqual([record.instance_uuid, record.status, record.source_compute, record.dest_compute], [id, 'done', source, now]);
    assert.equal(Object.keys(await allocations(id)).length, 1, 'the dead host no longer holds the server');
    const up = await c.call('PUT', '/os-services/force-down', {
      token: c.admin,
      version: '2.11',
      body: { host: source, binary: 'nova-compute', forced_down: false },
    });
    assert.equal(up.status, 200);
    // Before 2.14 the answer carries the admin password.
    const second = await boot('evacuate-old');
    const secondHost = (await asAdmin(second))['OS-EXT-SRV-ATTR:host'];
    await c.call('PUT', '/os-services/force-down', { token: c.admin, version: '2.11', body: { host: secondHost, binary: 'nova-compute', forced_down: true } });
    const old = await action(second, 'evacuate', { onSharedStorage: false, adminPass: 'Ev4c!' }, { token: c.admin });
    assert.deepEqual(old.body, { adminPass: 'Ev4c!' });
    await c.waitFor(second, 'ACTIVE');
    await c.call('PUT', '/os-services/force-down', { token: c.admin, version: '2.11', body: { host: secondHost, binary: 'nova-compute', forced_down: false } });
  });

  test('server_group_members: a build over the limit of its group is refused (403)', async () => {
    const projects = await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin });
    const project = projects.body.projects[0].id;
    const limited = await c.call('PUT', `/os-quota-sets/${project}`, {
      token: c.admin,
      body: { quota_set: { server_group_members: 1, instances: 50, cores: 100, ram: 512000 } },
    });
    assert.equal(limited.status, 200, limited.text);
    const group = (await c.call('POST', '/os-server-groups', { body: { server_group: { name: 'pair', policies: ['anti-affinity'] } } })).body.server_group;
    const build = (name: string) =>
      c.call('POST', '/servers', {
        body: { server: { name, imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }] }, 'os:scheduler_hints': { group: group.id } },
      });
    const first = await build('member-1');
    assert.equal(first.status, 202, first.text);
    await c.waitFor(first.body.server.id, 'ACTIVE');
    assert.match(novaError(await build('member-2'), 403, 'forbidden'), /Quota exceeded, too many servers in group/);
    assert.deepEqual((await c.call('GET', `/os-server-groups/${group.id}`)).body.server_group.members, [first.body.server.id]);
    await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { server_group_members: 10 } } });
  });

  test('os-interface: list, attach by network and by port, show, detach', async () => {
    const id = await boot('nics');
    const base = `/servers/${id}/os-interface`;
    const listed = await c.call('GET', base);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.interfaceAttachments.length, 1);
    const first = listed.body.interfaceAttachments[0];
    assert.deepEqual(Object.keys(first).sort(), ['fixed_ips', 'mac_addr', 'net_id', 'port_id', 'port_state']);
    assert.equal(first.net_id, c.privateNetwork);

    const attached = await c.call('POST', base, { body: { interfaceAttachment: { net_id: c.privateNetwork } } });
    assert.equal(attached.status, 200, attached.text);
    const added = attached.body.interfaceAttachment;
    assert.match(added.fixed_ips[0].ip_address, /^10\.0\.0\./);
    assert.equal((await c.call('GET', base)).body.interfaceAttachments.length, 2);
    assert.equal((await c.call('GET', `${base}/${added.port_id}`)).body.interfaceAttachment.port_id, added.port_id);
    novaError(await c.call('GET', `${base}/00000000-0000-4000-8000-000000000000`), 404, 'itemNotFound');

    const port = await c.cloud.request('POST', '/network/v2.0/ports', { token: c.demo, body: { port: { network_id: c.privateNetwork, name: 'mine' } } });
    const portId = port.body.port.id;
    const byPort = await c.call('POST', base, { body: { interfaceAttachment: { port_id: portId } } });
    assert.equal(byPort.status, 200, byPort.text);
    novaError(await c.call('POST', base, { body: { interfaceAttachment: { port_id: portId } } }), 409, 'conflictingRequest');
    novaError(await c.call('POST', base, { body: { interfaceAttachment: { port_id: portId, net_id: c.privateNetwork } } }), 400, 'badRequest');
    novaError(await c.call('POST', base, { body: { interfaceAttachment: { fixed_ips: [{ ip_address: '10.0.0.50' }] } } }), 400, 'badRequest');
    novaError(await c.call('POST', base, { body: { interfaceAttachment: { net_id: '00000000-0000-4000-8000-000000000000' } } }), 400, 'badRequest');

    assert.equal((await c.call('DELETE', `${base}/${added.port_id}`)).status, 202);
    assert.equal((await c.cloud.request('GET', `/network/v2.0/ports/${added.port_id}`, { token: c.demo })).status, 404, 'a port Nova made is deleted');
    assert.equal((await c.call('DELETE', `${base}/${portId}`)).status, 202);
    const released = await c.cloud.request('GET', `/network/v2.0/ports/${portId}`, { token: c.demo });
    assert.equal(released.body.port.device_id, '', 'a port the user brought is released');
    novaError(await c.call('DELETE', `${base}/${portId}`), 404, 'itemNotFound');
    assert.equal((await c.call('GET', base)).body.interfaceAttachments.length, 1);
    const recorded = await actionsOf(id);
    assert.ok(recorded.includes('attach_interface') && recorded.includes('detach_interface'));

    assert.equal((await action(id, 'lock')).status, 202);
    novaError(await c.call('POST', base, { body: { interfaceAttachment: { net_id: c.privateNetwork } } }), 409, 'conflictingRequest');
  });
});

describe('compute: shelve that keeps the host (shelved_offload_time -1), then shelveOffload', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.compute.shelved_offload_time = -1;
    });
  });
  after(() => c.close());

  test('SHELVED keeps its host and allocation until an admin offloads it; unshelve from SHELVED powers on', async () => {
    const created = await c.call('POST', '/servers', {
      body: { server: { name: 'keep', imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }] } },
    });
    const id = created.body.server.id as string;
    await c.waitFor(id, 'ACTIVE');
    const action = (name: string, token = c.demo) => c.call('POST', `/servers/${id}/action`, { body: { [name]: null }, token });
    const allocations = async () => Object.keys((await c.cloud.request('GET', `/placement/allocations/${id}`, { token: c.admin })).body.allocations);
    assert.equal((await action('shelve')).status, 202);
    const shelved = await c.waitFor(id, 'SHELVED');
    assert.equal(shelved['OS-EXT-STS:power_state'], 4);
    assert.equal((await allocations()).length, 1, 'a shelved server still holds its host');
    assert.equal((await action('unshelve')).status, 202);
    await c.waitFor(id, 'ACTIVE');
    assert.equal((await action('shelve')).status, 202);
    await c.waitFor(id, 'SHELVED');
    novaError(await action('shelveOffload'), 403, 'forbidden');
    assert.equal((await action('shelveOffload', c.admin)).status, 202);
    await c.waitFor(id, 'SHELVED_OFFLOADED');
    assert.deepEqual(await allocations(), []);
    assert.match(novaError(await action('shelveOffload', c.admin), 409, 'conflictingRequest'), /Cannot 'shelveOffload' instance .* vm_state shelved_offloaded/);
  });
});

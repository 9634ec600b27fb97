import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: servers, build pipeline, actions and their state machine', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud();
  });
  after(() => c.close());

  const create = async (server: Record<string, unknown>, version = '2.1', token?: string) => {
    const body = { server: { imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }], ...server } };
    return c.call('POST', '/servers', { body, version, ...(token ? { token } : {}) });
  };
  const action = (id: string, name: string, body: unknown = null, version = '2.1', token?: string) =>
    c.call('POST', `/servers/${id}/action`, { body: { [name]: body }, version, ...(token ? { token } : {}) });

  test('create answers 202 in BUILD; the build schedules, claims, makes a port and spawns: ACTIVE with addresses', async () => {
    const created = await create({ name: 'web-1', metadata: { role: 'web' }, adminPass: 'S3cret!' });
    assert.equal(created.status, 202, created.text);
    assert.equal(created.body.server.adminPass, 'S3cret!');
    assert.match(created.headers.get('location') ?? '', /\/compute\/v2\.1\/servers\//);
    const id = created.body.server.id;
    const early = await c.call('GET', `/servers/${id}`);
    assert.ok(['BUILD', 'ACTIVE'].includes(early.body.server.status));
    const server = await c.waitFor(id, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:vm_state'], 'active');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
    const [address] = server.addresses.private;
    assert.equal(address['OS-EXT-IPS:type'], 'fixed');
    assert.match(address.addr, /^10\.0\.0\./);
    assert.deepEqual(server.metadata, { role: 'web' });
    assert.deepEqual(server.security_groups, [{ name: 'default' }]);
    // The port is the network service's, bound to the server's host.
    const ports = await c.cloud.request('GET', `/network/v2.0/ports?device_id=${id}`, { token: c.admin });
    assert.equal(ports.body.ports.length, 1);
    assert.equal(ports.body.ports[0]['binding:host_id'], 'nimbus-compute');
    // Placement holds the flavor's resources for the server.
    const allocations = await c.cloud.request('GET', `/placement/allocations/${id}`, { token: c.admin });
    const [amounts] = Object.values(allocations.body.allocations) as Array<{ resources: Record<string, number> }>;
    assert.deepEqual(amounts?.resources, { VCPU: 1, MEMORY_MB: 128, DISK_GB: 1 });
    // Non-admins never see the host attributes; admins do.
    assert.equal(server['OS-EXT-SRV-ATTR:host'], undefined);
    const asAdmin = await c.call('GET', `/servers/${id}`, { token: c.admin, version: '2.3' });
    assert.equal(asAdmin.body.server['OS-EXT-SRV-ATTR:host'], 'nimbus-compute');
    assert.equal(asAdmin.body.server['OS-EXT-SRV-ATTR:hostname'], 'web-1');
  });

  test('without networks (2.1) or with "auto" (2.37) the project\'s only network is attached; "none" attaches nothing', async () => {
    const implicit = await c.call('POST', '/servers', { body: { server: { name: 'implicit', imageRef: c.imageId, flavorRef: '42' } } });
    const auto = await c.call('POST', '/servers', {
      version: '2.37',
      body: { server: { name: 'auto', imageRef: c.imageId, flavorRef: '42', networks: 'auto' } },
    });
    const none = await c.call('POST', '/servers', {
      version: '2.37',
      body: { server: { name: 'none', imageRef: c.imageId, flavorRef: '42', networks: 'none' } },
    });
    for (const response of [implicit, auto]) {
      const server = await c.waitFor(response.body.server.id, 'ACTIVE');
      assert.equal(server.addresses.private.length, 1);
    }
    assert.deepEqual((await c.waitFor(none.body.server.id, 'ACTIVE')).addresses, {});
    for (const response of [implicit, auto, none]) await c.call('DELETE', `/servers/${response.body.server.id}`);
    for (const response of [implicit, auto, none]) await c.waitFor(response.body.server.id, 'DELETED');
  });

  test('views follow the microversion: flavor link (2.1) vs embedded (2.47), locked 2.9, description 2.19, tags 2.26, locked_reason 2.73', async () => {
    const created = await create({ name: 'views', description: 'd', tags: ['a', 'b'] }, '2.52');
    const id = created.body.server.id;
    await c.waitFor(id, 'ACTIVE');
    const base = (await c.call('GET', `/servers/${id}`)).body.server;
    assert.deepEqual(Object.keys(base.flavor).sort(), ['id', 'links']);
    for (const key of ['locked', 'description', 'tags', 'locked_reason']) assert.equal(key in base, false, key);
    const v247 = (await c.call('GET', `/servers/${id}`, { version: '2.47' })).body.server;
    assert.equal(v247.flavor.original_name, 'm1.nano');
    assert.equal(v247.locked, false);
    assert.equal(v247.description, 'd');
    assert.deepEqual(v247.tags, ['a', 'b']);
    assert.equal('locked_reason' in v247, false);
    assert.equal((await c.call('GET', `/servers/${id}`, { version: '2.73' })).body.server.locked_reason, null);
    novaError(await create({ name: 'x', description: 'd' }, '2.18'), 400, 'badRequest');
    novaError(await create({ name: 'x', tags: ['a'] }, '2.51'), 400, 'badRequest');
  });

  test('create refuses bad input with 400 (Nova messages) and over-quota with 403', async () => {
    novaError(await create({ name: 12345 }), 400, 'badRequest');
    novaError(await create({ name: '' }), 400, 'badRequest');
    novaError(await create({ name: 'a'.repeat(256) }), 400, 'badRequest');
    novaError(await create({ name: 'x', flavorRef: '-1' }), 400, 'badRequest');
    novaError(await create({ name: 'x', imageRef: '-1' }), 400, 'badRequest');
    novaError(await create({ name: 'x', networks: [{ uuid: 'a-b-c-d-e-f-g-h-i-j', fixed_ip: '10.0.1.1' }] }), 400, 'badRequest');
    novaError(await create({ name: 'x', networks: [{ uuid: '00000000-0000-0000-0000-000000000000' }] }), 400, 'badRequest');
    novaError(await create({ name: 'x', accessIPv6: '1.1.1.1' }), 400, 'badRequest');
    novaError(await create({ name: 'x', metadata: { ['a'.repeat(260)]: 'b' } }), 400, 'badRequest');
    novaError(await create({ name: 'x', key_name: 'nope' }), 400, 'badRequest');
    novaError(await create({ name: 'x', user_data: 'not base64 !!' }), 400, 'badRequest');
    novaError(await create({ name: 'x', availability_zone: 'mars' }), 400, 'badRequest');
    novaError(
      await create({ name: 'x', block_device_mapping_v2: [{ source_type: 'volume', destination_type: 'volume', uuid: 'v', boot_index: 0 }] }),
      400,
      'badRequest',
    );
    novaError(await create({ name: 'x', networks: 'auto' }, '2.36'), 400, 'badRequest');
    novaError(await c.call('POST', '/servers', { version: '2.37', body: { server: { name: 'x', imageRef: c.imageId, flavorRef: '42' } } }), 400, 'badRequest');
    assert.match(novaError(await create({ name: 'x', min_count: 11 }), 403, 'forbidden'), /Quota exceeded for instances/);
  });

  test('list and detail: filters, sort, limit/marker with links, 400 on bad limit and changes-since, deleted for admins', async () => {
    const a = (await create({ name: 'filter-alpha' })).body.server.id;
    const b = (await create({ name: 'filter-beta', flavorRef: '84' })).body.server.id;
    await c.waitFor(a, 'ACTIVE');
    await c.waitFor(b, 'ACTIVE');
    const names = async (query: string, version = '2.1') =>
      (await c.call('GET', `/servers/detail?${query}`, { version })).body.servers.map((s: { name: string }) => s.name);
    assert.deepEqual(await names('name=filter-al'), ['filter-alpha']);
    assert.deepEqual(await names('name=^filter-.*&flavor=84'), ['filter-beta']);
    assert.deepEqual(await names('name=filter&sort_key=display_name&sort_dir=asc'), ['filter-alpha', 'filter-beta']);
    assert.deepEqual(await names('status=SHUTOFF&name=filter'), []);
    assert.deepEqual(await names('status=nonexisting'), []);
    assert.deepEqual(await names('flavor=9999'), []);
    const ip = (await c.call('GET', `/servers/${a}`)).body.server.addresses.private[0].addr;
    assert.deepEqual(await names(`ip=^${ip.replaceAll('.', '\\.')}$`), ['filter-alpha']);
    const page = await c.call('GET', '/servers?limit=1');
    assert.equal(page.body.servers.length, 1);
    assert.match(page.body.servers_links[0].href, /marker=/);
    assert.deepEqual(Object.keys(page.body.servers[0]).sort(), ['id', 'links', 'name']);
    novaError(await c.call('GET', '/servers?limit=-1'), 400, 'badRequest');
    novaError(await c.call('GET', '/servers?limit=abc'), 400, 'badRequest');
    novaError(await c.call('GET', '/servers?changes-since=yesterday'), 400, 'badRequest');
    novaError(await c.call('GET', '/servers?marker=nope'), 400, 'badRequest');
    assert.deepEqual(await names('changes-since=2099-01-01T00:00:00Z'), []);
    // The change filters agree with the `updated` shown (to the second), whatever milliseconds the store keeps.
    const updated = (await c.call('GET', `/servers/${a}`)).body.server.updated as string;
    assert.ok((await names(`name=filter-alpha&changes-before=${updated}`, '2.66')).includes('filter-alpha'));
    assert.ok((await names(`name=filter-alpha&changes-since=${updated}`)).includes('filter-alpha'));
    const justAfter = updated.replace('Z', '.001Z');
    assert.deepEqual(await names(`name=filter-alpha&changes-since=${justAfter}`), []);
    // Admins see every project with all_tenants, and deleted servers with deleted=true.
    assert.equal((await c.call('GET', '/servers?name=filter', { token: c.admin })).body.servers.length, 0);
    assert.equal((await c.call('GET', '/servers?name=filter&all_tenants=1', { token: c.admin })).body.servers.length, 2);
    // A member asking for every project is refused, not answered with its own servers.
    novaError(await c.call('GET', '/servers/detail?all_tenants=1'), 403, 'forbidden');
    assert.equal((await c.call('GET', '/servers?name=filter&all_tenants=0')).body.servers.length, 2);
    assert.equal((await c.call('DELETE', `/servers/${b}`)).status, 204);
    await c.waitFor(b, 'DELETED');
    assert.deepEqual(await names('name=filter'), ['filter-alpha']);
    const deleted = await c.call('GET', '/servers/detail?deleted=true&all_tenants=1&name=filter', { token: c.admin });
    assert.deepEqual(
      deleted.body.servers.map((s: { status: string }) => s.status),
      ['DELETED'],
    );
  });

  test('update name, description (2.19), access IPs; 400 for bad values; metadata and tags APIs', async () => {
    const id = (await create({ name: 'upd' })).body.server.id;
    await c.waitFor(id, 'ACTIVE');
    const updated = await c.call('PUT', `/servers/${id}`, {
      version: '2.19',
      body: { server: { name: 'upd-2', description: 'new', accessIPv4: '1.2.3.4', accessIPv6: '0000:0000:0000:0000:0000:babe:220.12.22.2' } },
    });
    assert.equal(updated.body.server.accessIPv6, '::babe:dc0c:1602');
    assert.equal(updated.body.server['OS-EXT-STS:vm_state'], undefined);
    assert.deepEqual(Object.keys(updated.body.server.addresses.private[0]).sort(), ['addr', 'version']);
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.server.name, 'upd-2');
    assert.equal(updated.body.server.description, 'new');
    assert.equal(updated.body.server.accessIPv4, '1.2.3.4');
    novaError(await c.call('PUT', `/servers/${id}`, { body: { server: { name: '' } } }), 400, 'badRequest');
    novaError(await c.call('PUT', `/servers/${id}`, { body: { server: { name: 'a'.repeat(256) } } }), 400, 'badRequest');
    novaError(await c.call('PUT', '/servers/00000000-0000-0000-0000-000000000000', { body: { server: { name: 'x' } } }), 404, 'itemNotFound');
    assert.deepEqual((await c.call('POST', `/servers/${id}/metadata`, { body: { metadata: { a: '1' } } })).body.metadata, { a: '1' });
    assert.deepEqual((await c.call('PUT', `/servers/${id}/metadata/b`, { body: { meta: { b: '2' } } })).body.meta, { b: '2' });
    assert.deepEqual((await c.call('GET', `/servers/${id}/metadata`)).body.metadata, { a: '1', b: '2' });
    assert.equal((await c.call('DELETE', `/servers/${id}/metadata/a`)).status, 204);
    novaError(await c.call('GET', `/servers/${id}/metadata/a`), 404, 'itemNotFound');
    novaError(await c.call('GET', `/servers/${id}/tags`), 404, 'itemNotFound');
    assert.equal((await c.call('PUT', `/servers/${id}/tags/t1`, { version: '2.26' })).status, 201);
    assert.equal((await c.call('PUT', `/servers/${id}/tags/t1`, { version: '2.26' })).status, 204);
    assert.deepEqual((await c.call('PUT', `/servers/${id}/tags`, { version: '2.26', body: { tags: ['x', 'y'] } })).body.tags, ['x', 'y']);
    assert.equal((await c.call('GET', `/servers/${id}/tags/x`, { version: '2.26' })).status, 204);
    novaError(await c.call('GET', `/servers/${id}/tags/t1`, { version: '2.26' }), 404, 'itemNotFound');
    const tagged = await c.call('GET', '/servers?tags=x,y', { version: '2.26' });
    assert.deepEqual(
      tagged.body.servers.map((s: { id: string }) => s.id),
      [id],
    );
    assert.equal((await c.call('DELETE', `/servers/${id}/tags`, { version: '2.26' })).status, 204);
    assert.deepEqual((await c.call('GET', `/servers/${id}/tags`, { version: '2.26' })).body.tags, []);
  });

  test('actions walk the state machine and answer 409 in the wrong state; each is an instance action with events', async () => {
    const id = (await create({ name: 'acts' })).body.server.id;
    await c.waitFor(id, 'ACTIVE');
    assert.equal((await action(id, 'os-stop')).status, 202);
    await c.waitFor(id, 'SHUTOFF');
    assert.match(novaError(await action(id, 'os-stop'), 409, 'conflictingRequest'), /Cannot 'stop' instance .* while it is in vm_state stopped/);
    novaError(await action(id, 'pause'), 409, 'conflictingRequest');
    assert.equal((await action(id, 'os-start')).status, 202);
    await c.waitFor(id, 'ACTIVE');
    assert.equal((await action(id, 'reboot', { type: 'SOFT' })).status, 202);
    await c.waitFor(id, 'ACTIVE');
    novaError(await action(id, 'reboot', { type: 'GENTLE' }), 400, 'badRequest');
    assert.equal((await action(id, 'pause')).status, 202);
    await c.waitFor(id, 'PAUSED');
    novaError(await action(id, 'os-start'), 409, 'conflictingRequest');
    assert.equal((await action(id, 'unpause')).status, 202);
    await c.waitFor(id, 'ACTIVE');
    const console = await action(id, 'os-getConsoleOutput', { length: 2 });
    assert.equal(console.status, 200);
    assert.equal(console.body.output.split('\n').length, 2);
    assert.match(console.body.output, /login:/);
    novaError(await action(id, 'noSuchAction'), 400, 'badRequest');
    novaError(await action('00000000-0000-0000-0000-000000000000', 'reboot', { type: 'HARD' }), 404, 'itemNotFound');

    const actions = await c.call('GET', `/servers/${id}/os-instance-actions`);
    assert.deepEqual(
      actions.body.instanceActions.map((a: { action: string }) => a.action),
      ['unpause', 'pause', 'reboot', 'start', 'stop', 'create'],
    );
    const createAction = actions.body.instanceActions.at(-1);
    const detail = await c.call('GET', `/servers/${id}/os-instance-actions/${createAction.request_id}`, { token: c.admin });
    assert.deepEqual(
      detail.body.instanceAction.events.map((e: { event: string; result: string }) => [e.event, e.result]),
      [
        ['compute__schedule_instances', 'Success'],
        ['compute__build_and_run_instance', 'Success'],
      ],
    );
    novaError(await c.call('GET', `/servers/${id}/os-instance-actions/req-nope`), 404, 'itemNotFound');
  });

  test('lock: 409 for the owner on actions and delete, admin overrides; reason from 2.73', async () => {
    const id = (await create({ name: 'locked' })).body.server.id;
    await c.waitFor(id, 'ACTIVE');
    assert.equal((await action(id, 'lock', { locked_reason: 'maintenance' }, '2.73')).status, 202);
    const shown = (await c.call('GET', `/servers/${id}`, { version: '2.73' })).body.server;
    assert.equal(shown.locked, true);
    assert.equal(shown.locked_reason, 'maintenance');
    assert.match(novaError(await action(id, 'os-stop'), 409, 'conflictingRequest'), /is locked/);
    novaError(await c.call('DELETE', `/servers/${id}`), 409, 'conflictingRequest');
    novaError(await action(id, 'lock', { locked_reason: 'x' }, '2.72'), 400, 'badRequest');
    assert.equal((await action(id, 'os-stop', null, '2.1', c.admin)).status, 202);
    await c.waitFor(id, 'SHUTOFF');
    assert.equal((await c.call('GET', '/servers?locked=true', { version: '2.73' })).body.servers.length, 1);
    assert.equal((await action(id, 'unlock')).status, 202);
    assert.equal((await c.call('GET', `/servers/${id}`, { version: '2.73' })).body.server.locked, false);
  });

  test('resize moves the old allocation to a migration, then confirm or revert settles it', async () => {
    const id = (await create({ name: 'resize' })).body.server.id;
    await c.waitFor(id, 'ACTIVE');
    const allocationOf = async (consumer: string) => {
      const response = await c.cloud.request('GET', `/placement/allocations/${consumer}`, { token: c.admin });
      return (Object.values(response.body.allocations)[0] as { resources: Record<string, number> } | undefined)?.resources;
    };
    novaError(await action(id, 'resize', { flavorRef: '42' }), 400, 'badRequest');
    novaError(await action(id, 'resize', { flavorRef: 'nope' }), 400, 'badRequest');
    novaError(await action(id, 'resize', { flavorRef: null }), 400, 'badRequest');
    assert.equal((await action(id, 'resize', { flavorRef: '84' })).status, 202);
    const resized = await c.waitFor(id, 'VERIFY_RESIZE');
    assert.equal((await c.call('GET', `/servers/${id}`, { version: '2.47' })).body.server.flavor.original_name, 'm1.micro');
    assert.equal(resized.flavor.original_name, 'm1.micro');
    assert.equal((await allocationOf(id))?.MEMORY_MB, 192);
    const migrations = await c.cloud.request('GET', '/placement/allocations/' + id, { token: c.admin });
    assert.ok(migrations.status === 200);
    novaError(await action(id, 'os-stop'), 409, 'conflictingRequest');
    assert.equal((await action(id, 'revertResize')).status, 202);
    await c.waitFor(id, 'ACTIVE');
    assert.equal((await c.call('GET', `/servers/${id}`, { version: '2.47' })).body.server.flavor.original_name, 'm1.nano');
    assert.equal((await allocationOf(id))?.MEMORY_MB, 128);
    assert.equal((await action(id, 'resize', { flavorRef: '84' })).status, 202);
    await c.waitFor(id, 'VERIFY_RESIZE');
    assert.equal((await action(id, 'confirmResize')).status, 204);
    await c.waitFor(id, 'ACTIVE');
    assert.equal((await allocationOf(id))?.MEMORY_MB, 192);
    novaError(await action(id, 'confirmResize'), 409, 'conflictingRequest');
    const limits = await c.call('GET', '/limits');
    assert.ok(limits.body.limits.absolute.totalRAMUsed >= 192);
  });

  test('rebuild, createImage (Location before 2.45, image_id after) and security groups on the ports', async () => {
    const id = (await create({ name: 'rebuild' })).body.server.id;
    await c.waitFor(id, 'ACTIVE');
    const rebuilt = await action(id, 'rebuild', { imageRef: c.imageId, name: 'rebuilt', adminPass: 'pw' });
    assert.equal(rebuilt.status, 202, rebuilt.text);
    assert.equal(rebuilt.body.server.name, 'rebuilt');
    assert.equal(rebuilt.body.server.adminPass, 'pw');
    await c.waitFor(id, 'ACTIVE');
    const snap = await action(id, 'createImage', { name: 'snap-old' });
    assert.equal(snap.status, 202);
    const imageId = (snap.headers.get('location') ?? '').split('/').pop() as string;
    assert.match(imageId, /^[0-9a-f-]{36}$/);
    await c.waitFor(id, 'ACTIVE');
    const image = await c.cloud.request('GET', `/image/v2/images/${imageId}`, { token: c.demo });
    assert.equal(image.body.status, 'active');
    assert.equal(image.body.instance_uuid, id);
    assert.equal(image.body.image_type, 'snapshot');
    const snapNew = await action(id, 'createImage', { name: 'snap-new' }, '2.45');
    assert.match(snapNew.body.image_id, /^[0-9a-f-]{36}$/);
    await c.waitFor(id, 'ACTIVE');

    const group = await c.cloud.request('POST', '/network/v2.0/security-groups', { token: c.demo, body: { security_group: { name: 'web' } } });
    assert.equal(group.status, 201);
    assert.equal((await action(id, 'addSecurityGroup', { name: 'web' })).status, 202);
    const names = (await c.call('GET', `/servers/${id}/os-security-groups`)).body.security_groups.map((g: { name: string }) => g.name).sort();
    assert.deepEqual(names, ['default', 'web']);
    assert.equal((await action(id, 'removeSecurityGroup', { name: 'web' })).status, 202);
    novaError(await action(id, 'removeSecurityGroup', { name: 'web' }), 400, 'badRequest');
    novaError(await action(id, 'addSecurityGroup', { name: 'nope' }), 404, 'itemNotFound');
    novaError(await c.call('GET', `/servers/${id}/os-security-groups`, { version: '2.36' }), 404, 'itemNotFound');
  });

  test('a spawn failure leaves ERROR with the fault and nothing allocated; delete cleans up', async () => {
    const id = (await create({ name: 'doomed', metadata: { 'fake:fail_spawn': 'disk image corrupt' } })).body.server.id;
    const server = await c.waitFor(id, 'ERROR');
    assert.equal(server.fault.code, 500);
    assert.equal(server.fault.message, 'disk image corrupt');
    const ports = await c.cloud.request('GET', `/network/v2.0/ports?device_id=${id}`, { token: c.admin });
    assert.equal(ports.body.ports.length, 0);
    const allocations = await c.cloud.request('GET', `/placement/allocations/${id}`, { token: c.admin });
    assert.deepEqual(allocations.body.allocations, {});
    assert.equal((await c.call('DELETE', `/servers/${id}`)).status, 204);
    await c.waitFor(id, 'DELETED');
  });

  test('no host with room: ERROR with "No valid host was found"', async () => {
    const flavor = await c.call('POST', '/flavors', { token: c.admin, body: { flavor: { name: 'huge', id: 'huge', ram: 10_000_000, vcpus: 1, disk: 1 } } });
    assert.equal(flavor.status, 200);
    const project = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
    await c.call('PUT', `/os-quota-sets/${project}`, { token: c.admin, body: { quota_set: { ram: -1 } } });
    const id = (await create({ name: 'too-big', flavorRef: 'huge' })).body.server.id;
    const server = await c.waitFor(id, 'ERROR');
    assert.equal(server.fault.message, 'No valid host was found. There are not enough hosts available.');
    assert.equal(server['OS-EXT-STS:vm_state'], 'error');
    await c.call('DELETE', `/servers/${id}`);
    await c.waitFor(id, 'DELETED');
  });

  test('os-security-groups and images proxies at the base microversion, 404 from 2.36', async () => {
    const created = await c.call('POST', '/os-security-groups', { body: { security_group: { name: 'proxy', description: 'via nova' } } });
    assert.equal(created.status, 200, created.text);
    const gid = created.body.security_group.id;
    const rule = await c.call('POST', '/os-security-group-rules', {
      body: { security_group_rule: { parent_group_id: gid, ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr: '10.0.0.0/8' } },
    });
    assert.equal(rule.status, 200, rule.text);
    assert.deepEqual(rule.body.security_group_rule.ip_range, { cidr: '10.0.0.0/8' });
    const shown = await c.call('GET', `/os-security-groups/${gid}`);
    assert.equal(shown.body.security_group.rules.length, 1);
    const listed = await c.call('GET', '/os-security-groups');
    assert.ok(listed.body.security_groups.some((g: { name: string }) => g.name === 'default'));
    const defaultId = listed.body.security_groups.find((g: { name: string }) => g.name === 'default').id;
    novaError(await c.call('DELETE', `/os-security-groups/${defaultId}`), 400, 'badRequest');
    assert.equal(
      (await c.call('PUT', `/os-security-groups/${gid}`, { body: { security_group: { name: 'proxy2', description: 'x' } } })).body.security_group.name,
      'proxy2',
    );
    assert.equal((await c.call('DELETE', `/os-security-groups/${gid}`)).status, 202);
    novaError(await c.call('GET', `/os-security-groups/${gid}`), 404, 'itemNotFound');
    novaError(await c.call('GET', '/os-security-groups', { version: '2.36' }), 404, 'itemNotFound');
    const images = await c.call('GET', '/images/detail');
    const image = images.body.images.find((i: { id: string }) => i.id === c.imageId);
    assert.equal(image.status, 'ACTIVE');
    assert.equal(image.minDisk, 1);
    assert.equal((await c.call('GET', `/images/${c.imageId}`)).body.image.name, 'nimbus-blank-qcow2');
    novaError(await c.call('GET', '/images/00000000-0000-0000-0000-000000000000'), 404, 'itemNotFound');
    novaError(await c.call('GET', '/images', { version: '2.36' }), 404, 'itemNotFound');
  });
});

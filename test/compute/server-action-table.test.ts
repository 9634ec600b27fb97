/**
 * Server actions declared once (api/server-actions*.ts for the request side,
 * the HostWork table for the host side): the table is whole, and the
 * dispatch checks each action's body by its schema for the request's
 * microversion, keeping Nova's statuses (400 bad body, 404 before the
 * action's microversion, 409 wrong state).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serverActionRoutes } from '../../src/compute/api/action-registry.js';
import { hostWorkActions, hostWorkNamed } from '../../src/compute/service/server-action-table.js';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

test('every host action has exactly one route and every route covers 2.1 to the maximum', () => {
  const routes = serverActionRoutes();
  const routed = [...routes.values()].flatMap((e) => (e.route.hostWork ? [e.route.hostWork] : []));
  assert.deepEqual([...routed].sort(), [...hostWorkActions()].sort());
  for (const action of hostWorkActions()) {
    const work = hostWorkNamed(action)!;
    assert.match(work.rule, /^os_compute_api:/, `${action} declares its policy rule`);
    assert.ok(work.accepts.vm.length > 0, `${action} declares the vm_states it accepts`);
    assert.match(work.event, /^compute_/, `${action} declares Nova's event`);
  }
  for (const key of [
    'reboot',
    'os-stop',
    'os-start',
    'createImage',
    'createBackup',
    'os-migrateLive',
    'evacuate',
    'lock',
    'os-getConsoleOutput',
    'forceDelete',
  ]) {
    assert.ok(routes.has(key), `${key} is routed`);
  }
});

describe('compute: server action bodies by schema and microversion', () => {
  let c: ComputeCloud;
  let id: string;
  before(async () => {
    c = await startComputeCloud();
    const created = await c.call('POST', '/servers', {
      body: { server: { name: 'table', imageRef: c.imageId, flavorRef: '42', networks: [{ uuid: c.privateNetwork }] } },
    });
    assert.equal(created.status, 202, created.text);
    id = created.body.server.id;
    await c.waitFor(id, 'ACTIVE');
  });
  after(() => c.close());

  const action = (name: string, body: unknown, version = '2.1', token?: string) =>
    c.call('POST', `/servers/${id}/action`, { body: { [name]: body }, version, ...(token ? { token } : {}) });

  test('malformed envelopes and unknown actions are 400 before any lookup', async () => {
    assert.match(
      novaError(await c.call('POST', `/servers/${id}/action`, { body: { 'os-stop': null, pause: null } }), 400, 'badRequest'),
      /Malformed request body/,
    );
    assert.match(novaError(await c.call('POST', `/servers/${id}/action`, { body: [] }), 400, 'badRequest'), /Malformed request body/);
    assert.match(novaError(await action('levitate', null), 400, 'badRequest'), /There is no such action: levitate/);
    // The body is checked before the server is looked up, as Nova's schema decorators run first.
    novaError(await c.call('POST', '/servers/00000000-0000-0000-0000-000000000000/action', { body: { reboot: { type: 'GENTLE' } } }), 400, 'badRequest');
  });

  test('actions without parameters take null or {} only', async () => {
    for (const bad of [{ a: 1 }, 'x', 5, []]) novaError(await action('pause', bad), 400, 'badRequest');
    novaError(await action('os-start', null), 409, 'conflictingRequest');
    novaError(await action('os-start', {}), 409, 'conflictingRequest');
  });

  test('field checks: types, enums, required keys, unknown keys', async () => {
    novaError(await action('reboot', {}), 400, 'badRequest');
    novaError(await action('reboot', { type: 'SOFT', extra: 1 }), 400, 'badRequest');
    novaError(await action('resize', {}), 400, 'badRequest');
    novaError(await action('resize', { flavorRef: '' }), 400, 'badRequest');
    novaError(await action('createImage', { name: '' }), 400, 'badRequest');
    novaError(await action('createImage', { name: 'x', metadata: { 'bad/key': 'v' } }), 400, 'badRequest');
    novaError(await action('createBackup', { name: 'b', backup_type: 'daily', rotation: -1 }, '2.1', c.admin), 400, 'badRequest');
    novaError(await action('createBackup', { name: 'b', backup_type: 'daily' }, '2.1', c.admin), 400, 'badRequest');
    novaError(await action('os-getConsoleOutput', { length: '-2' }), 400, 'badRequest');
    novaError(await action('os-getConsoleOutput', { length: 'ten' }), 400, 'badRequest');
    novaError(await action('changePassword', { adminPass: '' }), 400, 'badRequest');
    novaError(await action('rebuild', { imageRef: c.imageId, name: ' padded ' }), 400, 'badRequest');
  });

  test('microversion ranges: the body each version admits', async () => {
    assert.match(novaError(await action('trigger_crash_dump', null, '2.16'), 404, 'itemNotFound'), /could not be found/);
    novaError(await action('lock', { locked_reason: 'why' }, '2.72'), 400, 'badRequest');
    novaError(await action('unshelve', { availability_zone: 'nova' }, '2.76'), 400, 'badRequest');
    novaError(await action('migrate', { host: 'nimbus-compute' }, '2.55', c.admin), 400, 'badRequest');
    novaError(await action('rebuild', { imageRef: c.imageId, personality: [] }, '2.57'), 400, 'badRequest');
    novaError(await action('rebuild', { imageRef: c.imageId, description: 'd' }, '2.18'), 400, 'badRequest');
    novaError(await action('os-migrateLive', { host: null, block_migration: 'auto' }, '2.24', c.admin), 400, 'badRequest');
    novaError(await action('os-migrateLive', { host: null, block_migration: 'auto', force: false }, '2.68', c.admin), 400, 'badRequest');
    novaError(await action('os-migrateLive', { host: null, block_migration: false, disk_over_commit: false }, '2.25', c.admin), 400, 'badRequest');
    novaError(await action('evacuate', { host: null }, '2.13', c.admin), 400, 'badRequest');
    novaError(await action('evacuate', { force: true }, '2.68', c.admin), 400, 'badRequest');
  });

  test('a valid body reaches the action: state checks answer 409 with the action name', async () => {
    assert.match(
      novaError(await action('unpause', null), 409, 'conflictingRequest'),
      new RegExp(`Cannot 'unpause' instance ${id} while it is in vm_state active`),
    );
    assert.match(novaError(await action('confirmResize', {}), 409, 'conflictingRequest'), /Cannot 'confirmResize'/);
    // Evacuation of a server whose host is up: Nova's 400, after the body passed its 2.29 schema (force allowed).
    novaError(await action('evacuate', { host: null, force: 'yes' }, '2.29', c.admin), 400, 'badRequest');
    assert.equal((await action('reboot', { type: 'soft' })).status, 202);
    await c.waitFor(id, 'ACTIVE');
    const lock = await action('lock', { locked_reason: 'maintenance' }, '2.73');
    assert.equal(lock.status, 202, lock.text);
    assert.equal((await action('unlock', {})).status, 202);
  });
});

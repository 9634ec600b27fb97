/**
 * Compute agents (docs/cluster.md): one `nimbus start --role api` process and
 * two `nimbus agent compute` processes on one PostgreSQL database. The hosts
 * are the agents' only (os-services, os-hypervisors, Placement); servers
 * built through the API run on the agents' fake hypervisors, spread over
 * both; stop, start and the console log reach the server's agent; an agent
 * killed with SIGKILL reads `down` once its heartbeat is older than
 * service_down_time, and new servers then go to the other host. Resize and
 * cold migration move servers between the agents (the source's guest kept,
 * stopped, until the confirm; a revert goes back to it). The killed agent,
 * started again, destroys the guest of the server evacuated meanwhile.
 * Runs when NIMBUS_TEST_PG_URL names a server where the test may create databases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { PG_URL_ENV } from '../support/databases.js';
import { administerPostgres, postgresSkip } from '../support/postgres-server.js';
import { runNimbusCli, startComputeAgentProcess, startNimbusProcess, type NimbusAgent, type NimbusProcess } from '../support/nimbus-process.js';
import { readResponse, type TestResponse } from '../support/server.js';
import { FAKE_DRIVER_STATE_FILE } from '../../src/compute/drivers/index.js';

const PASSWORD = 'agents-admin-secret';
const DOWN_TIME_S = 4;
/** Heartbeats every second, down after 4 s without one (room for a loaded machine); the fake's operations are quick. */
const COMPUTE = `compute:\n  report_interval: 1\n  service_down_time: ${DOWN_TIME_S}\n  fake:\n    spawn_delay_ms: 20\n    action_delay_ms: 10\n`;
const NOVA = { 'openstack-api-version': 'compute 2.74' };

interface Server {
  id: string;
  status: string;
  flavor: { original_name: string };
  'OS-EXT-STS:power_state': number;
  'OS-EXT-SRV-ATTR:host': string | null;
  'OS-EXT-STS:task_state': string | null;
  fault?: { message: string };
}

describe('compute agents on one PostgreSQL database', { skip: postgresSkip }, () => {
  const baseUrl = process.env[PG_URL_ENV] ?? '';
  const database = `nimbus_a_${randomBytes(4).toString('hex')}`;
  const url = new URL(baseUrl || 'postgres://unset/');
  url.pathname = `/${database}`;
  const root = mkdtempSync(join(tmpdir(), 'nimbus-agents-'));
  const keys = join(root, 'fernet-keys');
  const config = `database:\n  connection: ${url}\n${COMPUTE}`;
  const children: ChildProcess[] = [];
  let api: NimbusProcess;
  let agents: Record<'a' | 'b', NimbusAgent>;
  let token: string;
  let imageRef: string;
  /** The server evacuated from agent-a while it was down. */
  let evacueeId = '';

  const call = async (method: string, path: string, body?: unknown): Promise<TestResponse> =>
    readResponse(
      await fetch(api.url + path, {
        method,
        headers: { 'x-auth-token': token, ...NOVA, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );

  const server = async (id: string): Promise<Server> => {
    const reply = await call('GET', `/compute/v2.1/servers/${id}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return (reply.body as { server: Server }).server;
  };

  /** Polls the server until `status` (fails on ERROR or after `limitMs`). */
  const until = async (id: string, status: string, limitMs = 15_000): Promise<Server> => {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const current = await server(id);
      if (current.status === status) return current;
      if (current.status === 'ERROR') assert.fail(`server ${id} is ERROR: ${current.fault?.message ?? ''}`);
      if (Date.now() > deadline) assert.fail(`server ${id} still ${current.status} after ${limitMs} ms, wanted ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const create = async (name: string, metadata: Record<string, string> = {}): Promise<string> => {
    const reply = await call('POST', '/compute/v2.1/servers', { server: { name, imageRef, flavorRef: '1', networks: 'none', metadata } });
    assert.equal(reply.status, 202, JSON.stringify(reply.body));
    return (reply.body as { server: { id: string } }).server.id;
  };

  /** The guests an agent's fake hypervisor holds (its journal, last entry per server wins): server id → power state. */
  const guests = (agent: 'agent-a' | 'agent-b'): Map<string, number> => {
    const held = new Map<string, number>();
    const file = join(root, agent, FAKE_DRIVER_STATE_FILE);
    if (!existsSync(file)) return held;
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { id: string; domain: { powerState: number } | null };
      if (entry.domain) held.set(entry.id, entry.domain.powerState);
      else held.delete(entry.id);
    }
    return held;
  };

  const placement = async (path: string) => {
    const reply = await readResponse(
      await fetch(`${api.url}/placement${path}`, { headers: { 'x-auth-token': token, 'openstack-api-version': 'placement 1.28' } }),
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body as Record<string, unknown>;
  };
  /** The providers (by name) a consumer's allocations are on. */
  const allocatedOn = async (consumer: string, providers: Map<string, string>): Promise<string[]> => {
    const { allocations } = (await placement(`/allocations/${consumer}`)) as { allocations: Record<string, unknown> };
    return Object.keys(allocations).map((uuid) => [...providers].find(([, id]) => id === uuid)?.[0] ?? uuid);
  };

  const action = async (id: string, body: unknown, status: number) => {
    const reply = await call('POST', `/compute/v2.1/servers/${id}/action`, body);
    assert.equal(reply.status, status, JSON.stringify(reply.body));
  };

  const setService = async (host: string, status: 'enabled' | 'disabled') => {
    const id = (await services()).find((s) => s.host === host)?.id as string;
    const reply = await call('PUT', `/compute/v2.1/os-services/${id}`, { status });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  };

  const services = async () => {
    const reply = await call('GET', '/compute/v2.1/os-services');
    assert.equal(reply.status, 200);
    return (reply.body as { services: Array<{ id: string; host: string; binary: string; state: string; status: string; updated_at: string }> }).services;
  };

  before(async () => {
    await administerPostgres(baseUrl, `CREATE DATABASE ${database}`);
    const identity = `identity:\n  fernet_tokens:\n    key_repository: ${keys}\n  identity:\n    password_hash_rounds: 4\n`;
    writeFileSync(join(root, 'sync.yaml'), `${config}${identity}log:\n  level: warn\n`);
    await runNimbusCli(['manage', 'db', 'sync', '--data-dir', join(root, 'sync'), '--config', join(root, 'sync.yaml')], { NIMBUS_ADMIN_PASSWORD: PASSWORD });
    const [apiProcess, a, b] = await Promise.all([
      startNimbusProcess(join(root, 'api'), { config, identity: `  fernet_tokens:\n    key_repository: ${keys}\n`, args: ['--port', '0', '--role', 'api'] }),
      startComputeAgentProcess(join(root, 'agent-a'), 'agent-a', config),
      startComputeAgentProcess(join(root, 'agent-b'), 'agent-b', config),
    ]);
    api = apiProcess;
    agents = { a, b };
    children.push(api.process, a.process, b.process);
    const auth = await fetch(`${api.url}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password: PASSWORD, domain: { id: 'default' } } } },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      }),
    });
    assert.equal(auth.status, 201);
    token = auth.headers.get('x-subject-token') as string;
    const images = await call('GET', '/image/v2/images?name=nimbus-blank-qcow2');
    imageRef = (images.body as { images: Array<{ id: string }> }).images[0]?.id as string;
    assert.ok(imageRef, 'db sync registered the default image');
  });

  after(async () => {
    const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
    for (const child of running) child.kill('SIGKILL');
    await Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    rmSync(root, { recursive: true, force: true });
    if (baseUrl) await administerPostgres(baseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  test('the hosts are the agents’: os-services, os-hypervisors and Placement list both, and nothing else', async () => {
    const listed = await services();
    assert.deepEqual(listed.map((s) => [s.host, s.binary, s.state, s.status]).sort(), [
      ['agent-a', 'nova-compute', 'up', 'enabled'],
      ['agent-b', 'nova-compute', 'up', 'enabled'],
    ]);
    const hypervisors = await call('GET', '/compute/v2.1/os-hypervisors/detail');
    const detail = (hypervisors.body as { hypervisors: Array<{ hypervisor_hostname: string; state: string; vcpus: number; hypervisor_type: string }> })
      .hypervisors;
    assert.deepEqual(detail.map((h) => [h.hypervisor_hostname, h.state, h.vcpus, h.hypervisor_type]).sort(), [
      ['agent-a', 'up', 64, 'fake'],
      ['agent-b', 'up', 64, 'fake'],
    ]);
    const providers = await readResponse(
      await fetch(`${api.url}/placement/resource_providers`, { headers: { 'x-auth-token': token, 'openstack-api-version': 'placement 1.14' } }),
    );
    const byName = new Map((providers.body as { resource_providers: Array<{ name: string; uuid: string }> }).resource_providers.map((p) => [p.name, p.uuid]));
    assert.deepEqual([...byName.keys()].sort(), ['agent-a', 'agent-b']);
    const inventory = await readResponse(
      await fetch(`${api.url}/placement/resource_providers/${byName.get('agent-a')}/inventories`, { headers: { 'x-auth-token': token } }),
    );
    const inventories = (inventory.body as { inventories: Record<string, { total: number }> }).inventories;
    assert.equal(inventories.VCPU?.total, 64);
    assert.equal(inventories.MEMORY_MB?.total, 262144);
  });

  test('servers become ACTIVE on both agents’ hosts; stop, start and the console log reach the server’s agent', async () => {
    const ids = await Promise.all(['s1', 's2', 's3', 's4'].map((name) => create(name)));
    const active = await Promise.all(ids.map((id) => until(id, 'ACTIVE')));
    assert.deepEqual([...new Set(active.map((s) => s['OS-EXT-SRV-ATTR:host']))].sort(), ['agent-a', 'agent-b']);

    const [first] = active as [Server];
    assert.equal((await call('POST', `/compute/v2.1/servers/${first.id}/action`, { 'os-stop': null })).status, 202);
    await until(first.id, 'SHUTOFF');
    assert.equal((await call('POST', `/compute/v2.1/servers/${first.id}/action`, { 'os-start': null })).status, 202);
    await until(first.id, 'ACTIVE');
    const log = await call('POST', `/compute/v2.1/servers/${first.id}/action`, { 'os-getConsoleOutput': {} });
    assert.equal(log.status, 200, JSON.stringify(log.body));
    assert.match((log.body as { output: string }).output, /\S/);

    const gone = await call('DELETE', `/compute/v2.1/servers/${ids[1]}`);
    assert.equal(gone.status, 204);
    const deadline = Date.now() + 10_000;
    while ((await call('GET', `/compute/v2.1/servers/${ids[1]}`)).status !== 404) {
      assert.ok(Date.now() < deadline, 'the deleted server is gone within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  test('cold migration and resize move a server between the agents’ hosts; confirm cleans the source, revert goes back', async () => {
    const listed = (await placement('/resource_providers')) as { resource_providers: Array<{ name: string; uuid: string }> };
    const providers = new Map(listed.resource_providers.map((p) => [p.name, p.uuid]));
    const before = await until(await create('mover'), 'ACTIVE');
    const source = before['OS-EXT-SRV-ATTR:host'] as 'agent-a' | 'agent-b';
    const other = source === 'agent-a' ? 'agent-b' : 'agent-a';

    await action(before.id, { migrate: null }, 202);
    const moved = await until(before.id, 'VERIFY_RESIZE');
    assert.equal(moved['OS-EXT-SRV-ATTR:host'], other);
    assert.equal(moved['OS-EXT-STS:power_state'], 1, 'a running guest runs on at the destination');
    const migrations = await call('GET', `/compute/v2.1/os-migrations?instance_uuid=${before.id}`);
    const [migration] = (
      migrations.body as { migrations: Array<{ uuid: string; status: string; migration_type: string; source_compute: string; dest_compute: string }> }
    ).migrations;
    assert.deepEqual(
      [migration?.migration_type, migration?.status, migration?.source_compute, migration?.dest_compute],
      ['migration', 'finished', source, other],
    );
    // The migration holds the source allocation, the server the destination's (Nova's migration-based allocations).
    assert.deepEqual(await allocatedOn(before.id, providers), [other]);
    assert.deepEqual(await allocatedOn(migration!.uuid, providers), [source]);
    assert.equal(guests(source).get(before.id), 4, 'the source keeps its guest, shut down, until the confirm');
    assert.equal(guests(other).get(before.id), 1);

    await action(before.id, { confirmResize: null }, 204);
    const confirmed = await until(before.id, 'ACTIVE');
    assert.equal(confirmed['OS-EXT-SRV-ATTR:host'], other);
    assert.deepEqual(await allocatedOn(migration!.uuid, providers), []);
    assert.equal(guests(source).has(before.id), false, 'the confirm destroyed the source guest');
    assert.equal(guests(other).get(before.id), 1);

    // A resize that must leave its host (disabled for the scheduler), then reverted.
    await setService(other, 'disabled');
    await action(before.id, { resize: { flavorRef: '2' } }, 202);
    const resized = await until(before.id, 'VERIFY_RESIZE');
    await setService(other, 'enabled');
    assert.equal(resized['OS-EXT-SRV-ATTR:host'], source);
    assert.notEqual(resized.flavor.original_name, before.flavor.original_name);
    assert.equal(guests(source).get(before.id), 1);
    assert.equal(guests(other).get(before.id), 4);

    await action(before.id, { revertResize: null }, 202);
    for (let done = false; !done; await new Promise((resolve) => setTimeout(resolve, 50))) {
      const current = await until(before.id, 'ACTIVE');
      done = current['OS-EXT-STS:task_state'] === null;
    }
    const reverted = await server(before.id);
    assert.equal(reverted['OS-EXT-SRV-ATTR:host'], other);
    assert.equal(reverted.flavor.original_name, before.flavor.original_name);
    assert.equal(reverted['OS-EXT-STS:power_state'], 1);
    assert.deepEqual(await allocatedOn(before.id, providers), [other]);
    assert.equal(guests(source).has(before.id), false, 'the revert destroyed the destination guest');
    assert.equal(guests(other).get(before.id), 1, 'the source guest runs again');
  });

  test('a killed agent reads down after service_down_time; its build in flight is rescheduled, its server evacuated, new servers go to the other host', async () => {
    // With agent-b disabled, two servers land on agent-a: one ACTIVE, one whose spawn the fake holds for 3 s.
    const serviceB = (await services()).find((s) => s.host === 'agent-b')?.id as string;
    const disable = await call('PUT', `/compute/v2.1/os-services/${serviceB}`, { status: 'disabled' });
    assert.equal(disable.status, 200, JSON.stringify(disable.body));
    const evacuee = await until(await create('evacuee'), 'ACTIVE');
    assert.equal(evacuee['OS-EXT-SRV-ATTR:host'], 'agent-a');
    const held = await create('held', { 'fake:hold_state': '3' });
    for (let spawning = false; !spawning; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const current = await server(held);
      spawning = current['OS-EXT-STS:task_state'] === 'spawning';
      if (spawning) assert.equal(current['OS-EXT-SRV-ATTR:host'], 'agent-a');
    }
    assert.equal((await call('PUT', `/compute/v2.1/os-services/${serviceB}`, { status: 'enabled' })).status, 200);

    agents.a.process.kill('SIGKILL');
    await new Promise((resolve) => agents.a.process.once('exit', resolve));
    const killedAt = Date.now();
    for (;;) {
      const a = (await services()).find((s) => s.host === 'agent-a');
      if (a?.state === 'down') {
        // Nova's updated_at has no zone; it is UTC. Down only once the last heartbeat is service_down_time old.
        const age = Date.now() - Date.parse(`${a.updated_at}Z`);
        assert.ok(age >= DOWN_TIME_S * 1000, `reported down ${age} ms after its last heartbeat`);
        break;
      }
      assert.ok(Date.now() - killedAt < (DOWN_TIME_S + 5) * 1000, `agent-a still ${a?.state} ${Date.now() - killedAt} ms after its kill`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal((await services()).find((s) => s.host === 'agent-b')?.state, 'up');

    const ids = await Promise.all(['after-1', 'after-2'].map((name) => create(name)));
    const placed = await Promise.all([...ids, held].map((id) => until(id, 'ACTIVE', 20_000)));
    assert.deepEqual(
      placed.map((s) => s['OS-EXT-SRV-ATTR:host']),
      ['agent-b', 'agent-b', 'agent-b'],
    );

    const evacuate = await call('POST', `/compute/v2.1/servers/${evacuee.id}/action`, { evacuate: {} });
    assert.equal(evacuate.status, 200, JSON.stringify(evacuate.body));
    for (let moved = false; !moved; await new Promise((resolve) => setTimeout(resolve, 50))) {
      const current = await server(evacuee.id);
      assert.notEqual(current.status, 'ERROR', current.fault?.message);
      moved = current.status === 'ACTIVE' && current['OS-EXT-STS:task_state'] === null;
    }
    assert.equal((await server(evacuee.id))['OS-EXT-SRV-ATTR:host'], 'agent-b');
    evacueeId = evacuee.id;
  });

  test('agent-a back on its data dir destroys the evacuated server’s stale guest and leaves that server alone', async (t) => {
    if (!evacueeId) return t.skip('no server was evacuated');
    assert.equal(guests('agent-a').get(evacueeId), 1, 'the killed agent still held the guest');
    const back = await startComputeAgentProcess(join(root, 'agent-a'), 'agent-a', config);
    children.push(back.process);
    // The agent reports running once its start-up clean-up and power sync are done.
    assert.equal(guests('agent-a').has(evacueeId), false);
    const migrations = await call('GET', `/compute/v2.1/os-migrations?instance_uuid=${evacueeId}&migration_type=evacuation`);
    const statuses = (migrations.body as { migrations: Array<{ status: string }> }).migrations.map((m) => m.status);
    assert.deepEqual(statuses, ['completed']);
    const evacuee = await server(evacueeId);
    assert.deepEqual(
      [evacuee.status, evacuee['OS-EXT-SRV-ATTR:host'], evacuee['OS-EXT-STS:power_state']],
      ['ACTIVE', 'agent-b', 1],
      'the power sync of agent-a did not read the server that lives on agent-b',
    );
    assert.equal(guests('agent-b').get(evacueeId), 1);
  });
});

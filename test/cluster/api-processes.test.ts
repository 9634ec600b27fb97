/**
 * Several API processes on one PostgreSQL database serve one cloud
 * (docs/cluster.md): `nimbus manage db sync` once, then two `nimbus start
 * --role api` child processes sharing the database and a Fernet key
 * directory. Tokens travel between them, identity writes through one are
 * obeyed by the other within a second, a periodic job has one holder, and a
 * kill -9 of one process under load costs the other nothing.
 * Runs when NIMBUS_TEST_PG_URL names a server where the test may create databases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PG_URL_ENV } from '../support/databases.js';
import { administerPostgres, postgresSkip } from '../support/postgres-server.js';
import { runNimbusCli, startNimbusProcess, type NimbusProcess } from '../support/nimbus-process.js';
import { openDatabase } from '../../src/core/db/database.js';
import { clusterSingleton } from '../../src/core/cluster/singleton.js';
import { createLogger } from '../../src/core/logger.js';
import { readResponse, type TestResponse } from '../support/server.js';

const PASSWORD = 'cluster-admin-secret';

type Reply = TestResponse;

async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['x-auth-token'] = options.token;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return readResponse(await fetch(base + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) }));
}

async function issueToken(base: string, user: { name: string } | { id: string }, password: string, project: string): Promise<string> {
  const identity = { methods: ['password'], password: { user: { ...user, password, domain: { id: 'default' } } } };
  const reply = await call(base, 'POST', '/identity/v3/auth/tokens', {
    body: { auth: { identity, scope: { project: { name: project, domain: { id: 'default' } } } } },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.headers.get('x-subject-token') as string;
}

/** Milliseconds until `request` answers `status`, polling every 20 ms; fails past `limitMs`. */
async function msUntil(status: number, request: () => Promise<Reply>, limitMs: number): Promise<number> {
  const began = performance.now();
  for (;;) {
    const reply = await request();
    const elapsed = performance.now() - began;
    if (reply.status === status) return elapsed;
    if (elapsed > limitMs) assert.fail(`still ${reply.status} after ${Math.round(elapsed)} ms, wanted ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const runCli = (args: string[]) => runNimbusCli(args, { NIMBUS_ADMIN_PASSWORD: PASSWORD });

describe('API processes on one PostgreSQL database', { skip: postgresSkip }, () => {
  const baseUrl = process.env[PG_URL_ENV] ?? '';
  const database = `nimbus_c_${randomBytes(4).toString('hex')}`;
  const url = new URL(baseUrl || 'postgres://unset/');
  url.pathname = `/${database}`;
  const root = mkdtempSync(join(tmpdir(), 'nimbus-cluster-'));
  const keys = join(root, 'fernet-keys');
  const config = `database:\n  connection: ${url}\n`;
  const identity = `  fernet_tokens:\n    key_repository: ${keys}\n`;
  const processes: NimbusProcess[] = [];
  let a: NimbusProcess;
  let b: NimbusProcess;
  let admin: string;

  const administer = (statement: string) => administerPostgres(baseUrl, statement);

  before(async () => {
    await administer(`CREATE DATABASE ${database}`);
    const sync = join(root, 'sync');
    writeFileSync(join(root, 'sync.yaml'), `${config}identity:\n${identity}  identity:\n    password_hash_rounds: 4\nlog:\n  level: warn\n`);
    const said = await runCli(['manage', 'db', 'sync', '--data-dir', sync, '--config', join(root, 'sync.yaml')]);
    assert.match(said, /migrated and bootstrapped/);
    process.env.NIMBUS_ADMIN_PASSWORD = PASSWORD;
    const started = await Promise.all(
      ['a', 'b'].map((name) => startNimbusProcess(join(root, name), { config, identity, args: ['--port', '0', '--role', 'api'] })),
    );
    processes.push(...started);
    [a, b] = started as [NimbusProcess, NimbusProcess];
    admin = await issueToken(a.url, { name: 'admin' }, PASSWORD, 'admin');
  });

  after(async () => {
    for (const child of processes) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await Promise.all(
      processes.map((child) =>
        child.process.exitCode === null && child.process.signalCode === null ? new Promise((r) => child.process.once('exit', r)) : undefined,
      ),
    );
    rmSync(root, { recursive: true, force: true });
    if (baseUrl) await administer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  test('a token issued by one process validates at the other, and a revocation at one is refused by the other within 1 s', async () => {
    const shown = await call(b.url, 'GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': admin } });
    assert.equal(shown.status, 200);
    const token = await issueToken(a.url, { name: 'admin' }, PASSWORD, 'admin');
    // Used twice at B, so that B's validated-token cache holds it.
    for (let i = 0; i < 2; i++) assert.equal((await call(b.url, 'GET', '/compute/v2.1/flavors', { token })).status, 200);
    assert.equal((await call(a.url, 'DELETE', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': token } })).status, 204);
    const ms = await msUntil(401, () => call(b.url, 'GET', '/compute/v2.1/flavors', { token }), 1000);
    assert.ok(ms < 1000, `refused after ${ms} ms`);
  });

  test('a user disabled through one process is refused by the other within 1 s', async () => {
    const created = await call(a.url, 'POST', '/identity/v3/users', { token: admin, body: { user: { name: 'cluster-user', password: 'user-secret' } } });
    assert.equal(created.status, 201);
    const userId = created.body.user.id as string;
    const project = (await call(a.url, 'GET', '/identity/v3/projects?name=demo', { token: admin })).body.projects[0].id as string;
    const member = (await call(a.url, 'GET', '/identity/v3/roles?name=member', { token: admin })).body.roles[0].id as string;
    assert.equal((await call(b.url, 'PUT', `/identity/v3/projects/${project}/users/${userId}/roles/${member}`, { token: admin })).status, 204);
    const token = await issueToken(a.url, { id: userId }, 'user-secret', 'demo');
    for (let i = 0; i < 2; i++) assert.equal((await call(a.url, 'GET', '/compute/v2.1/flavors', { token })).status, 200);
    assert.equal((await call(b.url, 'PATCH', `/identity/v3/users/${userId}`, { token: admin, body: { user: { enabled: false } } })).status, 200);
    const ms = await msUntil(401, () => call(a.url, 'GET', '/compute/v2.1/flavors', { token }), 1000);
    assert.ok(ms < 1000, `refused after ${ms} ms`);
  });

  test('a periodic job has one holder among the processes, and a holder that goes away hands it on', async () => {
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const holders = await client.query(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND s.datname = current_database() AND l.objsubid = 1`,
      );
      assert.equal(holders.rows[0].n, 1, 'the task purge lock is held by exactly one process');
    } finally {
      await client.end();
    }
    // The same helper in this process, as two would-be holders of another job.
    const log = createLogger('silent', 'json');
    const one = openDatabase({ connection: url.toString() });
    const two = openDatabase({ connection: url.toString() });
    const first = await clusterSingleton(one, log);
    const second = await clusterSingleton(two, log);
    try {
      assert.equal(await first.holds('cluster-test-job'), true);
      assert.equal(await second.holds('cluster-test-job'), false);
      assert.equal(await first.holds('cluster-test-job'), true, 'a holder keeps holding');
      await first.close();
      assert.equal(await second.holds('cluster-test-job'), true, 'the lock went with the session that held it');
    } finally {
      await second.close();
      await Promise.all([one.close(), two.close()]);
    }
  });

  test('kill -9 of one process under mixed load: the other answers every request and shows every acknowledged write', async () => {
    const acknowledged: string[] = [];
    const failuresAtB: string[] = [];
    let killed = false;
    const TOTAL = 300;
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        if (i === TOTAL / 2) {
          a.process.kill('SIGKILL');
          killed = true;
        }
        if (i % 2 === 0) {
          // Writes through A until it dies; what it acknowledged must survive.
          try {
            const reply = await call(a.url, 'POST', '/identity/v3/projects', { token: admin, body: { project: { name: `load-${i}` } } });
            if (reply.status === 201) acknowledged.push(reply.body.project.id as string);
            else if (!killed) assert.fail(`write ${i} through A answered ${reply.status}`);
          } catch (error) {
            if (!killed) throw error;
          }
        } else {
          const path = i % 4 === 1 ? '/identity/v3/projects?limit=5' : '/compute/v2.1/flavors';
          const reply = await call(b.url, 'GET', path, { token: admin }).catch(
            (error: Error) => ({ status: 0, body: { error: error.message } }) as unknown as Reply,
          );
          if (reply.status !== 200) failuresAtB.push(`${i} ${path}: ${reply.status}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.ok(killed);
    assert.deepEqual(failuresAtB, []);
    assert.ok(acknowledged.length >= 50, `only ${acknowledged.length} writes acknowledged before the kill`);
    for (const id of acknowledged) assert.equal((await call(b.url, 'GET', `/identity/v3/projects/${id}`, { token: admin })).status, 200, id);
  });
});

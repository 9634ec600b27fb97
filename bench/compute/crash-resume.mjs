#!/usr/bin/env node
/**
 * kill -9 in the middle of a build, then restart: the build resumes from its
 * journaled steps and the server ends ACTIVE with exactly one port and one
 * Placement allocation, and no task left unfinished. Not part of `npm test`:
 * the dead process's task lease must expire first (30 s).
 *
 *   npm run build && node bench/compute/crash-resume.mjs
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import Database from 'better-sqlite3';

const root = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-crash-'));
const password = 'crash-test-pw';
const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const base = `http://127.0.0.1:${port}`;

function start() {
  const child = spawn(process.execPath, [join(root, 'dist/nimbus.mjs'), 'start', '--data-dir', dataDir, '--port', String(port)], {
    env: { ...process.env, NIMBUS_ADMIN_PASSWORD: password, NIMBUS_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  return child;
}

async function healthy() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/healthcheck`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

async function token() {
  const response = await fetch(`${base}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password } } },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    }),
  });
  return response.headers.get('x-subject-token');
}

const api = async (t, method, path, body) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-auth-token': t, 'content-type': 'application/json', 'openstack-api-version': 'compute 2.79' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
};

let child = start();
try {
  await healthy();
  let t = await token();
  const image = (await api(t, 'GET', '/image/v2/images?name=nimbus-blank-qcow2')).body.images[0].id;
  const network = (await api(t, 'GET', '/network/v2.0/networks?name=public')).body.networks[0].id;
  const shared = await api(t, 'POST', '/network/v2.0/networks', { network: { name: 'crash-net', shared: true } });
  await api(t, 'POST', '/network/v2.0/subnets', { subnet: { network_id: shared.body.network.id, cidr: '192.168.77.0/24', ip_version: 4 } });
  void network;
  const created = await api(t, 'POST', '/compute/v2.1/servers', {
    server: { name: 'crash', imageRef: image, flavorRef: '42', networks: [{ uuid: shared.body.network.id }], metadata: { 'fake:hold_state': '20' } },
  });
  const id = created.body.server.id;
  for (;;) {
    const shown = await api(t, 'GET', `/compute/v2.1/servers/${id}`);
    if (shown.body.server['OS-EXT-STS:task_state'] === 'spawning') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  console.log('killed -9 while spawning; restarting');
  const began = Date.now();
  child = start();
  await healthy();
  t = await token();
  let status;
  for (let i = 0; i < 1200; i++) {
    status = (await api(t, 'GET', `/compute/v2.1/servers/${id}`)).body.server.status;
    if (status === 'ACTIVE' || status === 'ERROR') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const ports = (await api(t, 'GET', `/network/v2.0/ports?device_id=${id}`)).body.ports.length;
  const allocations = Object.keys((await api(t, 'GET', `/placement/allocations/${id}`)).body.allocations).length;
  const db = new Database(join(dataDir, 'nimbus.db'), { readonly: true });
  const open = db.prepare("select count(*) as n from core_task where status not in ('succeeded', 'failed')").get().n;
  db.close();
  console.log(JSON.stringify({ status, ports, allocations, unfinishedTasks: open, resumedAfterMs: Date.now() - began }));
  if (status !== 'ACTIVE' || ports !== 1 || allocations !== 1 || open !== 0) process.exitCode = 1;
} finally {
  child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}

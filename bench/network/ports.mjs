#!/usr/bin/env node
// bench/network/ports.mjs - Nimbus network: port create rate and list latency
// with many ports. Nimbus only for now: there is no Neutron peer script in
// shared/peers yet, so this reports absolute numbers (compare runs on the
// same machine only) until a peer lands and the ratio can be taken.
//
//   node bench/network/ports.mjs             (after npm run build)
//
// Env: PORTS [10000] C [8] LIST_N [20]
// Starts a fresh server (temp data dir, free port), creates PORTS ports on one
// /16 with concurrency C, then times LIST_N full `GET /v2.0/ports` listings,
// a filtered one (`?device_id=`) and a page (`?limit=100`). Prints JSON lines.
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = new URL('../..', import.meta.url).pathname;
const PORTS = Number(process.env.PORTS ?? 10000);
const C = Number(process.env.C ?? 8);
const LIST_N = Number(process.env.LIST_N ?? 20);

const { defaultConfig } = await import(pathToFileURL(join(ROOT, 'dist/src/config.js')).href);
const { createLogger } = await import(pathToFileURL(join(ROOT, 'dist/src/core/logger.js')).href);
const { startServer } = await import(pathToFileURL(join(ROOT, 'dist/src/server.js')).href);

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-net-'));
const config = defaultConfig();
config.server.data_dir = dataDir;
config.server.port = 0;
const server = await startServer(config, createLogger('silent'));
try {
  const password = readFileSync(join(dataDir, 'admin-password'), 'utf8').trim();
  const auth = await fetch(`${server.url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password } } },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    }),
  });
  const token = auth.headers.get('x-subject-token');
  const call = async (method, path, body) => {
    const response = await fetch(`${server.url}/network${path}`, {
      method,
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
  await call('PUT', `/v2.0/quotas/${(await call('GET', '/v2.0/networks?name=public')).body.networks[0].project_id}`, { quota: { port: -1 } });
  const net = (await call('POST', '/v2.0/networks', { network: { name: 'bench' } })).body.network;
  await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.128.0.0/16', enable_dhcp: false } });

  const started = performance.now();
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < PORTS) {
      const i = next++;
      const r = await call('POST', '/v2.0/ports', { port: { network_id: net.id, device_id: `dev-${i}` } });
      if (r.status !== 201) failures++;
    }
  };
  await Promise.all(Array.from({ length: C }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      test: 'port-create',
      ports: PORTS,
      concurrency: C,
      seconds: Number(seconds.toFixed(2)),
      rate: Number((PORTS / seconds).toFixed(1)),
      failures,
    }),
  );

  for (const [label, path] of [
    ['list-all', '/v2.0/ports'],
    ['list-filtered', '/v2.0/ports?device_id=dev-5000'],
    ['list-page', '/v2.0/ports?limit=100'],
  ]) {
    const times = [];
    for (let i = 0; i < LIST_N; i++) {
      const t = performance.now();
      const r = await call('GET', path);
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const pct = (p) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1));
    console.log(JSON.stringify({ test: label, ports: PORTS, n: LIST_N, p50_ms: pct(0.5), p90_ms: pct(0.9), max_ms: pct(1) }));
  }
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

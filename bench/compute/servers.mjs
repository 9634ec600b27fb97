#!/usr/bin/env node
/**
 * Compute figures (Nimbus only, fake driver with zero delays, in one process):
 * - servers/s from POST /servers to ACTIVE for N servers (C concurrent creates),
 * - GET /servers/detail latency (p50/p99) of a default page (Nova's max_limit,
 *   1000 servers) with N servers, then again once DETAIL_N servers exist
 *   (paged in SQL, so the page should cost about the same),
 * - scheduler decision (select + Placement claim) p50/p99 on SCHED_HOSTS hosts,
 * - RSS after each phase.
 * Writes bench/results/compute-<date>.md.
 *
 *   npm run build && node bench/compute/servers.mjs      # N=1000 DETAIL_N=10000 C=16 HOSTS=100 SCHED_HOSTS=10000
 *   PHASES=scheduler node bench/compute/servers.mjs      # one part only (servers: creates and listings)
 * A run of some phases prints its figures and writes no results file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const { startTestServer } = await import(join(root, 'dist/test/support/server.js'));
const N = Number(process.env.N ?? 1000);
const DETAIL_N = Number(process.env.DETAIL_N ?? 10000);
const C = Number(process.env.C ?? 16);
const HOSTS = Number(process.env.HOSTS ?? 100);
const SCHED_HOSTS = Number(process.env.SCHED_HOSTS ?? 10000);
const DECISIONS = Number(process.env.DECISIONS ?? 200);
const PHASES = (process.env.PHASES ?? 'servers,scheduler').split(',');

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const mib = () => Math.round(process.memoryUsage().rss / 2 ** 20);

async function cloud(hosts) {
  const s = await startTestServer((config) => {
    config.compute.devstack_defaults = true;
    config.compute.fake.hosts = hosts;
    config.compute.fake.spawn_delay_ms = 0;
    config.compute.fake.action_delay_ms = 0;
  });
  const admin = await s.adminToken();
  const project = (await s.request('GET', '/identity/v3/projects?name=admin', { token: admin })).body.projects[0].id;
  await s.request('PUT', `/compute/v2.1/os-quota-sets/${project}`, { token: admin, body: { quota_set: { instances: -1, cores: -1, ram: -1 } } });
  return { s, admin };
}

const results = {};
if (PHASES.includes('servers')) {
  const { s, admin } = await cloud(HOSTS);
  const image = (await s.request('GET', '/image/v2/images?name=nimbus-blank-qcow2', { token: admin })).body.images[0].id;
  const headers = { 'OpenStack-API-Version': 'compute 2.37' };
  let next = 0;
  const createUpTo = async (total) => {
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (next < total) {
          const i = next++;
          const r = await s.request('POST', '/compute/v2.1/servers', {
            token: admin,
            headers,
            body: { server: { name: `b-${i}`, imageRef: image, flavorRef: '42', networks: 'none' } },
          });
          if (r.status !== 202) throw new Error(`create failed: ${r.text}`);
        }
      }),
    );
    for (;;) {
      const building = await s.request('GET', '/compute/v2.1/servers?status=BUILD&limit=1', { token: admin });
      if (building.body.servers.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const detail = async (servers) => {
    const latencies = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const r = await s.request('GET', '/compute/v2.1/servers/detail', { token: admin });
      latencies.push(performance.now() - t);
      if (r.status !== 200 || r.body.servers.length !== Math.min(servers, 1000)) throw new Error(`detail: ${r.status} ${r.body.servers?.length}`);
    }
    return { servers, p50ms: Math.round(pct(latencies, 50)), p99ms: Math.round(pct(latencies, 99)), rssMiB: mib() };
  };
  const began = performance.now();
  await createUpTo(N);
  const seconds = (performance.now() - began) / 1000;
  results.create = { servers: N, concurrency: C, hosts: HOSTS, seconds: +seconds.toFixed(1), perSecond: +(N / seconds).toFixed(1), rssMiB: mib() };
  results.detail = await detail(N);
  await createUpTo(DETAIL_N);
  results.detailLarge = await detail(DETAIL_N);
  await s.close();
}
if (PHASES.includes('scheduler')) {
  const t = performance.now();
  const { s } = await cloud(SCHED_HOSTS);
  const startupSeconds = (performance.now() - t) / 1000;
  const scheduler = s.server.services.compute.internals.runtime.scheduler;
  const flavor = { id: '42', name: 'm1.nano', vcpus: 1, memoryMb: 128, rootGb: 1, ephemeralGb: 0, swap: 0, extraSpecs: {} };
  const times = [];
  for (let i = 0; i < DECISIONS; i++) {
    const id = crypto.randomUUID();
    const began = performance.now();
    await scheduler.selectAndClaim(
      {
        consumerUuid: id,
        serverId: id,
        projectId: 'bench',
        userId: 'bench',
        flavor,
        availabilityZone: null,
        group: null,
        sameHost: [],
        differentHost: [],
        ignoreHosts: [],
      },
      async () => undefined,
    );
    times.push(performance.now() - began);
  }
  results.scheduler = {
    hosts: SCHED_HOSTS,
    decisions: DECISIONS,
    p50ms: Math.round(pct(times, 50)),
    p99ms: Math.round(pct(times, 99)),
    startupSeconds: +startupSeconds.toFixed(1),
    rssMiB: mib(),
  };
  await s.close();
}

console.log(JSON.stringify(results));
if (PHASES.length < 2) process.exit(0);
const date = new Date().toISOString().slice(0, 10);
const out = join(root, `bench/results/compute-${date}.md`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  out,
  `# compute bench, ${date}

Nimbus only (no Nova peer on this machine), fake driver with zero delays, SQLite,
one process on the shared 2-core machine (absolute numbers move with other load).

| figure | value |
| --- | --- |
| servers to ACTIVE | ${results.create.servers} servers, ${results.create.concurrency} concurrent creates, ${results.create.hosts} hosts: ${results.create.seconds} s, **${results.create.perSecond} servers/s** |
| GET /servers/detail (default page: 1000) | ${results.detail.servers} servers: p50 ${results.detail.p50ms} ms, p99 ${results.detail.p99ms} ms |
| GET /servers/detail (default page: 1000) | ${results.detailLarge.servers} servers: p50 ${results.detailLarge.p50ms} ms, **p99 ${results.detailLarge.p99ms} ms** |
| scheduler decision (candidates + filters + weighers + claim) | ${results.scheduler.hosts} hosts: p50 ${results.scheduler.p50ms} ms, **p99 ${results.scheduler.p99ms} ms** (${results.scheduler.decisions} decisions; start-up reporting the hosts ${results.scheduler.startupSeconds} s) |
| RSS | after creates ${results.create.rssMiB} MiB, after listing ${results.detail.rssMiB} MiB, with ${results.detailLarge.servers} servers ${results.detailLarge.rssMiB} MiB, with ${results.scheduler.hosts} hosts ${results.scheduler.rssMiB} MiB |

\`\`\`json
${JSON.stringify(results, null, 2)}
\`\`\`
`,
);
console.log(`wrote ${out}`);

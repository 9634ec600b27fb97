#!/usr/bin/env node
/**
 * State snapshot figures (Nimbus only, fake drivers with zero delays, SQLite,
 * one process): for clouds of SIZES resources made through the APIs (fake
 * servers, networks, volumes, images with bytes, objects, in about equal
 * parts), the time of
 * - save (POST /_nimbus/state/save of the whole cloud),
 * - load of another snapshot (every table and file compared and copied),
 * - reset after a test's small change (a network and an object made), with
 *   the cloud's resources in its bootstrap state, as a seed leaves them.
 * Writes bench/results/state-<date>.md with the machine's load; with
 * DB=postgres (and NIMBUS_TEST_PG_URL, where it may create a database per
 * size) the cloud runs on PostgreSQL and its figures are added to that file.
 *
 *   npm run build && node bench/state/run.mjs      # SIZES=100,1000 REPEAT=5 DB=sqlite
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const POSTGRES = process.env.DB === 'postgres';
const { startTestServer } = await import(join(root, 'dist/test/support/server.js'));
const { startPostgresTestServer } = await import(join(root, 'dist/test/support/postgres-server.js'));
const SIZES = (process.env.SIZES ?? '100,1000').split(',').map(Number);
const REPEAT = Number(process.env.REPEAT ?? 5);
const CONCURRENCY = 8;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (ms) => Math.round(ms * 10) / 10;

async function timed(work) {
  const began = performance.now();
  await work();
  return performance.now() - began;
}

/** Runs `count` calls of `make(i)`, CONCURRENCY at a time. */
async function many(count, make) {
  let next = 0;
  const worker = async () => {
    while (next < count) await make(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function expectStatus(response, status, what) {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${response.text}`);
  return response;
}

async function populate(s, admin, project, total) {
  const per = Math.floor(total / 5);
  const image = (await s.request('GET', '/image/v2/images?name=nimbus-blank-qcow2', { token: admin })).body.images[0].id;
  const nova = { 'OpenStack-API-Version': 'compute 2.37' };
  const bytes = new Uint8Array(64 * 1024).fill(1);
  const put = (path, body) => fetch(`${s.url}${path}`, { method: 'PUT', headers: { 'x-auth-token': admin, 'content-type': 'application/octet-stream' }, body });
  await put(`/object-store/v1/AUTH_${project}/bench`);
  await many(per, async (i) => {
    await expectStatus(await s.request('POST', '/network/v2.0/networks', { token: admin, body: { network: { name: `net-${i}` } } }), 201, 'network');
    await expectStatus(
      await s.request('POST', `/volume/v3/${project}/volumes`, { token: admin, body: { volume: { size: 1, name: `vol-${i}` } } }),
      202,
      'volume',
    );
    const created = await s.request('POST', '/image/v2/images', { token: admin, body: { name: `img-${i}`, disk_format: 'raw', container_format: 'bare' } });
    if ((await put(`/image/v2/images/${created.body.id}/file`, bytes)).status !== 204) throw new Error('image upload');
    if ((await put(`/object-store/v1/AUTH_${project}/bench/obj-${i}`, bytes)).status !== 201) throw new Error('object upload');
    const server = { name: `vm-${i}`, imageRef: image, flavorRef: '1', networks: 'none' };
    await expectStatus(await s.request('POST', '/compute/v2.1/servers', { token: admin, headers: nova, body: { server } }), 202, 'server');
  });
}

async function measure(total) {
  const s = await (POSTGRES ? startPostgresTestServer : startTestServer)((config) => {
    config.compute.devstack_defaults = true;
    config.compute.fake.hosts = 4;
    config.compute.fake.spawn_delay_ms = 0;
    config.compute.fake.action_delay_ms = 0;
  });
  try {
    const admin = await s.adminToken();
    const project = (await s.request('GET', '/identity/v3/projects?name=admin', { token: admin })).body.projects[0].id;
    const unlimited = { quota_set: { instances: -1, cores: -1, ram: -1 } };
    await s.request('PUT', `/compute/v2.1/os-quota-sets/${project}`, { token: admin, body: unlimited });
    await s.request('PUT', `/volume/v3/${project}/os-quota-sets/${project}`, { token: admin, body: { quota_set: { volumes: -1, gigabytes: -1 } } });
    await s.request('PUT', `/network/v2.0/quotas/${project}`, { token: admin, body: { quota: { network: -1 } } });
    const populating = await timed(() => populate(s, admin, project, total));
    const control = async (path, body) =>
      expectStatus(await s.request('POST', `/_nimbus${path}`, { token: admin, body }), path.endsWith('save') ? 201 : 204, path);

    // The builds and volume creations populating queued run on; a save waits for them (409 after 30 s each time).
    for (let i = 0; (await s.request('POST', '/_nimbus/state/save', { token: admin, body: { name: 'cloud' } })).status !== 201; i++) {
      if (i === 20) throw new Error('the cloud never went quiet for a save');
    }
    const save = [];
    for (let i = 0; i < REPEAT; i++) save.push(await timed(() => control('/state/save', { name: 'cloud' })));
    await s.server.saveBootstrapState();
    await control('/state/save', { name: 'other' });
    const load = [];
    for (let i = 0; i < REPEAT; i++) load.push(await timed(() => control('/state/load', { name: i % 2 ? 'other' : 'cloud' })));
    await control('/state/reset');
    const reset = [];
    for (let i = 0; i < REPEAT; i++) {
      await s.request('POST', '/network/v2.0/networks', { token: admin, body: { network: { name: `test-${i}` } } });
      await fetch(`${s.url}/object-store/v1/AUTH_${project}/bench/test-${i}`, { method: 'PUT', headers: { 'x-auth-token': admin }, body: 'x' });
      reset.push(await timed(() => control('/state/reset')));
    }
    const listed = (await s.request('GET', '/_nimbus/state', { token: admin })).body.snapshots;
    return {
      resources: total,
      populateSeconds: Math.round(populating / 1000),
      snapshotBytes: listed.find((x) => x.name === 'cloud').size,
      saveMs: round(median(save)),
      loadMs: round(median(load)),
      resetMs: round(median(reset)),
      samples: { save: save.map(round), load: load.map(round), reset: reset.map(round) },
    };
  } finally {
    await s.close();
  }
}

const loadBefore = loadavg();
const results = [];
for (const size of SIZES) results.push(await measure(size));
const loadAfter = loadavg();

const date = new Date().toISOString().slice(0, 10);
const rows = results.map(
  (r) => `| ${r.resources} | ${r.saveMs} ms | ${r.loadMs} ms | **${r.resetMs} ms** | ${(r.snapshotBytes / 2 ** 20).toFixed(1)} MiB | ${r.populateSeconds} s |`,
);
const machine = `${cpus().length} cores, load average ${loadBefore.map((l) => l.toFixed(1)).join(' / ')} at the start and
${loadAfter.map((l) => l.toFixed(1)).join(' / ')} at the end (shared with other work: absolute numbers move with it)`;
const table = `| resources | save | load | reset | snapshot | populating |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`;
const json = `\`\`\`json
${JSON.stringify(results, null, 2)}
\`\`\``;
const file = join(root, `bench/results/state-${date}.md`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
if (POSTGRES) {
  const section = `
## PostgreSQL

The same cloud on PostgreSQL (a local server on the same machine, its own database); medians of ${REPEAT}.
Machine: ${machine}.
Save copies every table into the snapshot's schema; load empties every table and copies every row back; reset
copies back only the tables a trigger noted as written since (one read of the journal) and those pointing at them,
and looks again only at the files and directories whose inode or time of change differ from those noted at the last sync.
The snapshot's size counts its schema's tables with the files.

${table}

${json}
`;
  appendFileSync(file, section);
  console.log(section);
} else {
  const report = `# state snapshot bench, ${date}

Nimbus only, fake drivers with zero delays, SQLite, one process; medians of ${REPEAT}.
Machine: ${machine}.
Resources: fake servers, networks, 1 GiB volumes, images of 64 KiB and objects of 64 KiB, in equal parts.

- save: the whole cloud (every table by VACUUM INTO; image and object files by hard link, volumes copied keeping holes).
- load: alternately two snapshots, so every table is copied and every file compared.
- reset: back to the bootstrap state (which holds the resources) after a test made a network and an object:
  only the tables written and the files changed since are copied back.

${table}

${json}
`;
  writeFileSync(file, report);
  console.log(report);
}

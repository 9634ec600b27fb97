#!/usr/bin/env node
/**
 * The real QEMU driver's control-plane overhead and capacity (root; ~5 min):
 * - boot-to-console-marker through Nimbus (POST /servers → the guest's
 *   NIMBUS-GUEST-BOOT line, then NIMBUS-GUEST-READY, read with
 *   os-getConsoleOutput) against the same image booted by a bare
 *   `qemu-system-x86_64` command (same accelerator, memory, overlay; the
 *   console read from its file), alternating, RUNS times each; medians and
 *   the ratio. Both guests have no NIC (`networks: none`), so neither waits
 *   for DHCP: the figures are QEMU start, firmware, kernel and init.
 * - capacity: CAPACITY guests booted at once through Nimbus; seconds until all
 *   are READY, RSS per QEMU process, idle CPU of all guests, and how many such
 *   guests the free memory would hold.
 * Writes bench/results/real-<date>.md.
 *
 *   npm run build && sudo node bench/real/boot.mjs        # RUNS=3 CAPACITY=6
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const { startTestServer } = await import(join(root, 'dist/test/support/server.js'));
const { guestImage } = await import(join(root, 'dist/test/support/guest-image.js'));
const RUNS = Number(process.env.RUNS ?? 3);
const CAPACITY = Number(process.env.CAPACITY ?? 6);
const MEMORY_MB = 128;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const image = guestImage();

/** Seconds from `start` until `read()` holds each marker. */
async function markerTimes(start, read, markers, timeoutMs = 240_000) {
  const found = {};
  while (Object.keys(found).length < markers.length) {
    if (performance.now() - start > timeoutMs) throw new Error(`markers not seen: ${markers.filter((m) => !(m in found))}`);
    const text = await read();
    for (const marker of markers) if (!(marker in found) && text.includes(marker)) found[marker] = (performance.now() - start) / 1000;
    await sleep(100);
  }
  return found;
}

/** The image booted by hand: an overlay and one QEMU command, as the driver's (TCG, tb-size 32, virtio disk, serial to a file). */
async function bareBoot() {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-bench-bare-'));
  const overlay = join(dir, 'disk.qcow2');
  const log = join(dir, 'console.log');
  const pidFile = join(dir, 'qemu.pid');
  const start = performance.now();
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', image, overlay, '1G']);
  execFileSync('qemu-system-x86_64', [
    '-machine',
    'pc',
    '-accel',
    'tcg,tb-size=32',
    '-m',
    String(MEMORY_MB),
    '-smp',
    '1',
    '-drive',
    `file=${overlay},if=virtio,format=qcow2`,
    '-nic',
    'none',
    '-serial',
    `file:${log}`,
    '-display',
    'none',
    '-monitor',
    'none',
    '-no-reboot',
    '-daemonize',
    '-pidfile',
    pidFile,
  ]);
  try {
    return await markerTimes(start, async () => {
      try {
        return readFileSync(log, 'utf8');
      } catch {
        return '';
      }
    }, ['NIMBUS-GUEST-BOOT', 'NIMBUS-GUEST-READY']);
  } finally {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      /* already gone */
    }
    await sleep(300);
    rmSync(dir, { recursive: true, force: true });
  }
}

const s = await startTestServer((config) => {
  config.compute.compute_driver = 'qemu';
  config.compute.devstack_defaults = true;
  config.compute.qemu.guest_image = image;
  config.compute.qemu.accel = 'tcg';
});
const admin = await s.adminToken();
const project = (await s.request('GET', '/identity/v3/projects?name=admin', { token: admin })).body.projects[0].id;
await s.request('PUT', `/compute/v2.1/os-quota-sets/${project}`, { token: admin, body: { quota_set: { instances: -1, cores: -1, ram: -1 } } });
const imageId = (await s.request('GET', '/image/v2/images?name=nimbus-guest', { token: admin })).body.images[0].id;
const headers = { 'OpenStack-API-Version': 'compute 2.37' };

const create = async (name) => {
  const r = await s.request('POST', '/compute/v2.1/servers', {
    token: admin,
    headers,
    body: { server: { name, imageRef: imageId, flavorRef: '42', networks: 'none' } },
  });
  if (r.status !== 202) throw new Error(`create failed: ${r.text}`);
  return r.body.server.id;
};
const consoleOf = (id) => async () =>
  (await s.request('POST', `/compute/v2.1/servers/${id}/action`, { token: admin, body: { 'os-getConsoleOutput': {} } })).body.output ?? '';
const remove = async (id) => {
  await s.request('DELETE', `/compute/v2.1/servers/${id}`, { token: admin });
  while ((await s.request('GET', `/compute/v2.1/servers/${id}`, { token: admin })).status !== 404) await sleep(200);
};

async function nimbusBoot(i) {
  const start = performance.now();
  const id = await create(`bench-${i}`);
  try {
    return await markerTimes(start, consoleOf(id), ['NIMBUS-GUEST-BOOT', 'NIMBUS-GUEST-READY']);
  } finally {
    await remove(id);
  }
}

const bare = [];
const nimbus = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(await bareBoot());
  nimbus.push(await nimbusBoot(i));
  console.log(JSON.stringify({ run: i, bare: bare.at(-1), nimbus: nimbus.at(-1) }));
}
const med = (list, marker) => +median(list.map((r) => r[marker])).toFixed(2);
const boot = {
  bare: { boot: med(bare, 'NIMBUS-GUEST-BOOT'), ready: med(bare, 'NIMBUS-GUEST-READY') },
  nimbus: { boot: med(nimbus, 'NIMBUS-GUEST-BOOT'), ready: med(nimbus, 'NIMBUS-GUEST-READY') },
};

// Capacity: CAPACITY guests at once.
const capacityStart = performance.now();
const ids = await Promise.all(Array.from({ length: CAPACITY }, (_, i) => create(`cap-${i}`)));
const readyTimes = await Promise.all(ids.map((id) => markerTimes(capacityStart, consoleOf(id), ['NIMBUS-GUEST-READY'], 600_000)));
const qemuPids = readdirSync('/proc')
  .filter((p) => /^\d+$/.test(p))
  .filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(s.dataDir) && readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('qemu');
    } catch {
      return false;
    }
  });
await sleep(5000);
const rssMiB = qemuPids.map((p) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024);
const cpuTicks = () =>
  qemuPids.reduce((sum, p) => {
    const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    return sum + Number(f[11]) + Number(f[12]);
  }, 0);
const before = cpuTicks();
await sleep(10_000);
const idleCpuPercent = ((cpuTicks() - before) / 100 / 10) * 100;
const available = Number(/MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024;
const perGuest = rssMiB.reduce((a, b) => a + b, 0) / Math.max(1, rssMiB.length);
const capacity = {
  guests: CAPACITY,
  allReadySeconds: +Math.max(...readyTimes.map((t) => t['NIMBUS-GUEST-READY'])).toFixed(1),
  rssPerGuestMiB: Math.round(perGuest),
  idleCpuAllGuestsPercentOfCore: +idleCpuPercent.toFixed(1),
  memAvailableMiB: Math.round(available),
  moreGuestsByMemory: Math.floor(available / perGuest),
};
await Promise.all(ids.map(remove));
await s.close();

const date = new Date().toISOString().slice(0, 10);
const out = join(root, 'bench', 'results', `real-${date}.md`);
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const ratio = (a, b) => (a / b).toFixed(2);
writeFileSync(
  out,
  `# real drivers: boot to console marker, ${date}\n\n` +
    `QEMU ${execFileSync('qemu-system-x86_64', ['--version']).toString().split('\n')[0]}, TCG (KVM hangs here), ${MEMORY_MB} MiB, 1 vCPU, the image of scripts/build-guest-image, no NIC; ` +
    `load average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}. Medians of ${RUNS} alternating runs.\n\n` +
    `| seconds from start to | bare qemu-system-x86_64 | Nimbus (POST /servers, os-getConsoleOutput) | ratio |\n| --- | --- | --- | --- |\n` +
    `| NIMBUS-GUEST-BOOT (init runs) | ${boot.bare.boot} | ${boot.nimbus.boot} | ${ratio(boot.nimbus.boot, boot.bare.boot)} |\n` +
    `| NIMBUS-GUEST-READY (init done; no NIC, so no DHCP wait) | ${boot.bare.ready} | ${boot.nimbus.ready} | ${ratio(boot.nimbus.ready, boot.bare.ready)} |\n\n` +
    `Capacity: ${capacity.guests} guests booted at once were all READY after ${capacity.allReadySeconds} s; RSS ${capacity.rssPerGuestMiB} MiB per QEMU process; ` +
    `idle, all ${capacity.guests} used ${capacity.idleCpuAllGuestsPercentOfCore} % of one core; ${capacity.memAvailableMiB} MiB still available, room for about ${capacity.moreGuestsByMemory} more by memory.\n\n` +
    `Raw: ${JSON.stringify({ bare, nimbus, capacity })}\n`,
);
console.log(readFileSync(out, 'utf8'));
process.exit(0);

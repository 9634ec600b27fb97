// bench/dashboard/pages.mjs - page-ready time of the same views in Nimbus's dashboard and in
// Debian's Horizon, in one run, against one Nimbus. Run by bench/dashboard/run.sh through
// scripts/horizon/run.sh, which exports HORIZON_URL, HORIZON_PID, NIMBUS_URL, NIMBUS_PID and
// NIMBUS_ADMIN_PASSWORD.
//
// Page-ready: from the navigation's start (performance.timeOrigin of the new document) to the
// first table row naming a seeded resource being visible, measured in the page
// (performance.now() when it appears), for a full page load as a user's link or reload makes.
// Server CPU per load: utime+stime of each side's process (/proc/PID/stat) around the load.
// Env: SERVERS [50] VOLUMES [20] NETWORKS [10] RUNS [5] OUT (markdown; JSON beside it).
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const env = (name, fallback) => process.env[name] ?? fallback;
const SERVERS = Number(env('SERVERS', 50));
const VOLUMES = Number(env('VOLUMES', 20));
const NETWORKS = Number(env('NETWORKS', 10));
const RUNS = Number(env('RUNS', 5));
const OUT = env('OUT', '');
const nimbus = env('NIMBUS_URL').replace(/\/$/, '');
const horizon = env('HORIZON_URL').replace(/\/$/, '');
const password = env('NIMBUS_ADMIN_PASSWORD');
const pids = { nimbus: Number(env('NIMBUS_PID')), horizon: Number(env('HORIZON_PID')) };

// The same four views on both sides: path, and the text a ready row carries.
const VIEWS = [
  { name: `Instances (${SERVERS} servers)`, nimbus: '/dashboard/instances', horizon: '/project/instances/', row: 'bench-vm-' },
  { name: `Volumes (${VOLUMES})`, nimbus: '/dashboard/volumes', horizon: '/project/volumes/', row: 'bench-vol-' },
  { name: `Networks (${NETWORKS + 1})`, nimbus: '/dashboard/networks', horizon: '/project/networks/', row: 'bench-net-' },
  { name: 'Overview (usage by instance)', nimbus: '/dashboard/overview', horizon: '/project/', row: 'bench-vm-' },
];

const log = (...args) => console.error('bench:', ...args);
const ticks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss_mib: Math.round(kib('VmRSS') / 1024), peak_rss_mib: Math.round(kib('VmHWM') / 1024) };
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function api(method, path, token, body) {
  const response = await fetch(`${nimbus}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return { body: text ? JSON.parse(text) : {}, headers: response.headers };
}

/** Admin's project gets SERVERS servers on a network, VOLUMES volumes and NETWORKS more networks. */
async function seed() {
  const auth = { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password } } } };
  const issued = await api('POST', '/identity/v3/auth/tokens', undefined, {
    auth: { ...auth, scope: { project: { name: 'admin', domain: { id: 'default' } } } },
  });
  const token = issued.headers.get('x-subject-token');
  const project = issued.body.token.project.id;
  await api('PUT', `/compute/v2.1/os-quota-sets/${project}`, token, { quota_set: { instances: -1, cores: -1, ram: -1 } });
  await api('PUT', `/volume/v3/${project}/os-quota-sets/${project}`, token, { quota_set: { volumes: -1, gigabytes: -1 } });
  await api('PUT', `/network/v2.0/quotas/${project}`, token, { quota: { port: -1, network: -1 } });
  const net = (await api('POST', '/network/v2.0/networks', token, { network: { name: 'bench-net-0' } })).body.network;
  await api('POST', '/network/v2.0/subnets', token, { subnet: { network_id: net.id, ip_version: 4, cidr: '10.30.0.0/22' } });
  for (let i = 1; i <= NETWORKS; i++) await api('POST', '/network/v2.0/networks', token, { network: { name: `bench-net-${i}` } });
  const flavor = (await api('GET', '/compute/v2.1/flavors', token)).body.flavors.find((f) => f.name === 'm1.tiny');
  const image = (await api('GET', '/image/v2/images', token)).body.images[0];
  for (let i = 0; i < SERVERS; i += 10) {
    const batch = Array.from({ length: Math.min(10, SERVERS - i) }, (_, k) =>
      api('POST', '/compute/v2.1/servers', token, {
        server: { name: `bench-vm-${i + k}`, flavorRef: flavor.id, imageRef: image.id, networks: [{ uuid: net.id }] },
      }),
    );
    await Promise.all(batch);
  }
  for (let i = 0; i < VOLUMES; i++) await api('POST', `/volume/v3/${project}/volumes`, token, { volume: { name: `bench-vol-${i}`, size: 1 } });
  for (let tries = 0; ; tries++) {
    const servers = (await api('GET', '/compute/v2.1/servers/detail?name=bench-vm-', token)).body.servers;
    if (servers.filter((s) => s.status === 'ACTIVE').length >= SERVERS) break;
    const failed = servers.find((s) => s.status === 'ERROR');
    if (failed) throw new Error(`server ${failed.name} went to ERROR: ${failed.fault?.message}`);
    if (tries > 600) throw new Error('servers did not all become ACTIVE');
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function signIn(browser, side) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(120_000);
  if (side === 'horizon') {
    await page.goto(`${horizon}/auth/login/`);
    await page.locator('#id_username').fill('admin');
    await page.locator('#id_password').fill(password);
    await Promise.all([page.waitForURL(/\/project\/$/), page.locator('button[type=submit]').click()]);
  } else {
    await page.goto(`${nimbus}/dashboard/`);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
  }
  return page;
}

/** One full load of a view: milliseconds from navigation start to a seeded row visible, and server CPU-ms. */
async function load(page, side, view) {
  const cpu0 = ticks(pids[side]);
  const api0 = ticks(pids.nimbus);
  await page.goto(`${side === 'horizon' ? horizon : nimbus}${view[side]}`, { waitUntil: 'commit' });
  const ready = await page.waitForFunction(
    (text) => {
      const row = [...globalThis.document.querySelectorAll('tbody tr')].find((tr) => tr.textContent.includes(text) && tr.getClientRects().length > 0);
      return row ? performance.now() : null;
    },
    view.row,
    { polling: 'raf' },
  );
  const ms = await ready.jsonValue();
  // Horizon's and the dashboard's follow-up calls (quotas, statuses) count as the view's CPU too.
  await page.waitForLoadState('networkidle');
  // Behind Horizon, the Nimbus process also works: the API calls Horizon's Django makes.
  return { ms, cpu_ms: (ticks(pids[side]) - cpu0) * 10, nimbus_cpu_ms: (ticks(pids.nimbus) - api0) * 10 };
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
const load0 = loadavg();
log(`seeding ${SERVERS} servers, ${VOLUMES} volumes, ${NETWORKS + 1} networks`);
await seed();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
const pages = { horizon: await signIn(browser, 'horizon'), nimbus: await signIn(browser, 'nimbus') };
const samples = [];
for (let run = 0; run <= RUNS; run++) {
  // Run 0 is the warm-up (first loads: Django's templates, the browser's cache); sides alternate first.
  const order = run % 2 ? ['nimbus', 'horizon'] : ['horizon', 'nimbus'];
  for (const view of VIEWS) {
    for (const side of order) {
      const sample = await load(pages[side], side, view);
      samples.push({ run, side, view: view.name, ...sample, load1: loadavg()[0] });
      log(`run ${run} ${side} ${view.name}: ${sample.ms.toFixed(0)} ms, ${sample.cpu_ms} CPU-ms`);
    }
  }
}
await browser.close();

const rows = VIEWS.map((view) => {
  const of = (side, key) => median(samples.filter((s) => s.run > 0 && s.side === side && s.view === view.name).map((s) => s[key]));
  const first = (side) => samples.find((s) => s.run === 0 && s.side === side && s.view === view.name).ms;
  return {
    view: view.name,
    horizon_ms: of('horizon', 'ms'),
    nimbus_ms: of('nimbus', 'ms'),
    horizon_cpu_ms: of('horizon', 'cpu_ms'),
    nimbus_cpu_behind_horizon_ms: of('horizon', 'nimbus_cpu_ms'),
    nimbus_cpu_ms: of('nimbus', 'cpu_ms'),
    horizon_first_ms: first('horizon'),
    nimbus_first_ms: first('nimbus'),
  };
});
const result = {
  date: new Date().toISOString(),
  cores: (await import('node:os')).cpus().length,
  loadavg_start: load0,
  loadavg_end: loadavg(),
  runs: RUNS,
  servers: SERVERS,
  horizon_version: env('HORIZON_VERSION', '?'),
  memory: { horizon: memory(pids.horizon), nimbus: memory(pids.nimbus) },
  rows,
  samples,
};
const f = (n) => Math.round(n).toLocaleString('en');
const md = [
  `# Dashboard page-ready time: Nimbus's dashboard vs Horizon (${result.date.slice(0, 10)})`,
  '',
  `Debian's openstack-dashboard ${result.horizon_version} (Django runserver, one process with threads, sessions in local memory)`,
  `and Nimbus's \`/dashboard\` (served by the Nimbus process), the same Nimbus behind both, admin in project admin,`,
  `Chromium headless through playwright-core. Median of ${RUNS} full page loads per view after one warm-up load (the`,
  `"first" columns), sides alternating. Page-ready: navigation start to the first row naming a seeded resource visible.`,
  `Server CPU: utime+stime of Horizon's Django process / of the Nimbus process during one load (10 ms ticks);`,
  `"API CPU behind Horizon" is the Nimbus process's during a Horizon load (the API calls Django makes).`,
  '',
  `**Shared machine**: ${result.cores} cores used by several engineers at once; load average ${load0.join(' ')} at the start,`,
  `${result.loadavg_end.join(' ')} at the end. Absolute times move with the load; the ratio within the run is the figure.`,
  '',
  '| view | Horizon ms | Nimbus ms | Horizon/Nimbus | Horizon CPU-ms | API CPU-ms behind Horizon | Nimbus CPU-ms | first load Horizon / Nimbus ms |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.view} | ${f(r.horizon_ms)} | ${f(r.nimbus_ms)} | ${(r.horizon_ms / r.nimbus_ms).toFixed(1)}x | ${f(r.horizon_cpu_ms)} | ${f(r.nimbus_cpu_behind_horizon_ms)} | ${f(r.nimbus_cpu_ms)} | ${f(r.horizon_first_ms)} / ${f(r.nimbus_first_ms)} |`,
  ),
  '',
  `Memory after the runs: Horizon RSS ${result.memory.horizon.rss_mib} MiB (peak ${result.memory.horizon.peak_rss_mib}),`,
  `Nimbus RSS ${result.memory.nimbus.rss_mib} MiB (peak ${result.memory.nimbus.peak_rss_mib}; the whole cloud: every API, the`,
  `database and the dashboard's static files).`,
  '',
].join('\n');
if (OUT) {
  writeFileSync(OUT, md);
  writeFileSync(OUT.replace(/\.md$/, '.json'), JSON.stringify(result, null, 1) + '\n');
  log(`wrote ${OUT}`);
}
process.stdout.write(md);

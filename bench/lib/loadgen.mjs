#!/usr/bin/env node
// Bounded-count, fixed-concurrency HTTP load generator (Node >= 18, no deps).
// Copied from the team's shared/peers/loadgen.mjs so benches run from the project.
// Loopback only: refuses any host outside 127.0.0.0/8, localhost or ::1.
//
//   node loadgen.mjs --url http://127.0.0.1:8080 --method PUT \
//     --path '/v1/AUTH_test/bench/o-{i}' --size 4096 --count 2000 -c 16 \
//     -H 'X-Auth-Token: AUTH_tk...' [--body-file f | --body '{"json":1}'] \
//     [--mod N] [--offset N] [--warmup N] [--expect 201] [--label name]
//     [--duration SECS]   run for SECS instead of --count requests (the count
//                         is then what completed; a slow server gets as long as a fast one)
//
// {i} in --path becomes the request index (offset + i, modulo --mod if given).
// Prints one JSON line: rps, MB/s, latency p50/p90/p99/max in ms, status counts.
import http from 'node:http';
import fs from 'node:fs';

const argv = process.argv.slice(2);
const opt = { method: 'GET', count: 1000, concurrency: 16, warmup: 0, offset: 0, headers: {} };
for (let k = 0; k < argv.length; k++) {
  const a = argv[k],
    v = () => argv[++k];
  switch (a) {
    case '--url':
      opt.url = v();
      break;
    case '--method':
    case '-m':
      opt.method = v().toUpperCase();
      break;
    case '--path':
      opt.path = v();
      break;
    case '--size':
      opt.size = Number(v());
      break;
    case '--count':
    case '-n':
      opt.count = Number(v());
      break;
    case '--concurrency':
    case '-c':
      opt.concurrency = Number(v());
      break;
    case '--header':
    case '-H': {
      const h = v();
      const i = h.indexOf(':');
      opt.headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
      break;
    }
    case '--body':
      opt.body = Buffer.from(v());
      break;
    case '--body-file':
      opt.body = fs.readFileSync(v());
      break;
    case '--mod':
      opt.mod = Number(v());
      break;
    case '--offset':
      opt.offset = Number(v());
      break;
    case '--duration':
      opt.duration = Number(v());
      break;
    case '--warmup':
      opt.warmup = Number(v());
      break;
    case '--expect':
      opt.expect = Number(v());
      break;
    case '--label':
      opt.label = v();
      break;
    case '--cpu-pids':
      opt.cpuPids = v().split(/[ ,]+/).filter(Boolean).map(Number);
      break;
    default:
      throw new Error('unknown arg ' + a);
  }
}
const base = new URL(opt.url);
if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(base.hostname)) {
  console.error('refusing non-loopback target ' + base.hostname);
  process.exit(2);
}
if (opt.size && !opt.body) opt.body = Buffer.alloc(opt.size, 0x61);
const agent = new http.Agent({ keepAlive: true, maxSockets: opt.concurrency });

function one(i) {
  const idx = opt.mod ? (opt.offset + i) % opt.mod : opt.offset + i;
  const path = (opt.path || base.pathname).replaceAll('{i}', String(idx));
  const headers = { ...opt.headers };
  if (opt.body) headers['Content-Length'] = opt.body.length;
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || 80, method: opt.method, path, headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes }));
      res.on('error', (e) => resolve({ status: 'ERR:' + e.code, ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes }));
    });
    req.on('error', (e) => resolve({ status: 'ERR:' + (e.code || e.message), ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: 0 }));
    req.setTimeout(120000, () => req.destroy(new Error('timeout')));
    req.end(opt.body);
  });
}

/** n requests, or as many as start before `untilNs` (hrtime) when given. */
async function run(n, offset, untilNs) {
  const lat = [];
  const statuses = {};
  let next = 0;
  let bytesIn = 0;
  const t0 = process.hrtime.bigint();
  async function worker() {
    while (true) {
      if (untilNs !== undefined ? process.hrtime.bigint() >= untilNs : next >= n) return;
      const i = next++;
      const r = await one(offset + i);
      lat.push(r.ms);
      bytesIn += r.bytes;
      statuses[r.status] = (statuses[r.status] || 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: untilNs !== undefined ? opt.concurrency : Math.min(opt.concurrency, n) }, worker));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return { lat, statuses, secs, bytesIn, count: next };
}

// Server CPU accounting: utime+stime (clock ticks, 100/s on Linux) of the given
// PIDs and their direct children, read from /proc; noise-robust cost per request.
function serverTicks() {
  if (!opt.cpuPids) return 0;
  const pids = new Set(opt.cpuPids);
  for (const p of opt.cpuPids) {
    try {
      for (const t of fs.readdirSync(`/proc/${p}/task`))
        for (const c of fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean)) pids.add(Number(c));
    } catch {
      /* the process ended: no children to count */
    }
  }
  let ticks = 0;
  for (const p of pids) {
    try {
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]);
    } catch {
      /* the process ended: its ticks are gone */
    }
  }
  return ticks;
}
if (opt.warmup) await run(opt.warmup, 1e9); // warmup uses distinct indices
const load1 = Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
const tick0 = serverTicks();
const cpu0 = process.cpuUsage();
const until = opt.duration ? process.hrtime.bigint() + BigInt(Math.round(opt.duration * 1e9)) : undefined;
const { lat, statuses, secs, bytesIn, count } = await run(opt.count, 0, until);
opt.count = count;
const serverCpuMs = (serverTicks() - tick0) * 10;
const cpuC = process.cpuUsage(cpu0);
lat.sort((a, b) => a - b);
const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
const bytesOut = (opt.body ? opt.body.length : 0) * opt.count;
const ok = Object.entries(statuses)
  .filter(([s]) => (opt.expect ? Number(s) === opt.expect : Number(s) >= 200 && Number(s) < 300))
  .reduce((a, [, c]) => a + c, 0);
const out = {
  label: opt.label,
  method: opt.method,
  count: opt.count,
  concurrency: opt.concurrency,
  size: opt.body ? opt.body.length : undefined,
  secs: +secs.toFixed(3),
  rps: +(opt.count / secs).toFixed(1),
  MBps: +((bytesOut + bytesIn) / secs / 1048576).toFixed(1),
  p50_ms: +pct(50).toFixed(2),
  p90_ms: +pct(90).toFixed(2),
  p99_ms: +pct(99).toFixed(2),
  max_ms: +lat[lat.length - 1].toFixed(2),
  ok,
  statuses,
  server_cpu_ms_per_req: opt.cpuPids ? +(serverCpuMs / opt.count).toFixed(2) : undefined,
  server_cores_busy: opt.cpuPids ? +(serverCpuMs / 1000 / secs).toFixed(2) : undefined,
  client_cores_busy: +((cpuC.user + cpuC.system) / 1e6 / secs).toFixed(2),
  loadavg1_before: load1,
};
console.log(JSON.stringify(out));
agent.destroy();
if (ok !== opt.count) process.exitCode = 1;

#!/usr/bin/env node
// Medians and ratios over stacks.mjs results, and the markdown table.
// Re-render a saved run:   node bench/orchestration/report.mjs bench/results/orchestration-<date>.json
import { readFileSync } from 'node:fs';
import { median } from '../lib/stats.mjs';

const round = (x, digits = 2) => (x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits);
const medianOf = (rows, pick) => {
  const values = rows.map(pick).filter((v) => typeof v === 'number');
  return values.length ? round(median(values), 3) : undefined;
};
const supportCpu = (phase, target) => Object.keys(target.support_groups ?? {}).reduce((sum, k) => sum + (phase.cpu_s[k] ?? 0), 0);

/** Per case and target: medians of seconds and CPU seconds, the engine's memory with many stacks. */
export function summarize(report) {
  const byName = Object.fromEntries(report.targets.map((t) => [t.name, t]));
  const summary = [];
  for (const caseName of [...new Set(report.results.map((r) => r.case))]) {
    for (const target of report.targets) {
      const all = report.results.filter((r) => r.case === caseName && r.target === target.name);
      if (!all.length) continue;
      const ok = all.filter((r) => !r.error && !r.skipped);
      const row = { case: caseName, target: target.name, runs: all.length, errors: all.filter((r) => r.error).map((r) => r.error) };
      for (const phase of ['create', 'delete']) {
        row[`${phase}_s`] = medianOf(ok, (r) => r[phase].seconds);
        row[`${phase}_server_cpu_s`] = medianOf(ok, (r) => r[phase].server_cpu_s);
        row[`${phase}_support_cpu_s`] = medianOf(ok, (r) => supportCpu(r[phase], byName[target.name]));
      }
      const memory = ok.find((r) => r.memory_with_stacks)?.memory_with_stacks;
      if (memory) {
        // The servers' whole footprint: heat-api + heat-engine against the one Nimbus process.
        const servers = Object.keys(target.cpu_groups).map((k) => memory[k]);
        Object.assign(row, {
          engine_rss_kib: memory[target.engine_group].rss_kib,
          servers_rss_kib: servers.reduce((sum, m) => sum + m.rss_kib, 0),
          servers_pss_kib: servers.reduce((sum, m) => sum + m.pss_kib, 0),
        });
      }
      summary.push(row);
    }
  }
  return summary;
}

const cell = (v) => (v === undefined ? 'n/a' : String(v));
const ratio = (reference, other) => (reference === undefined || other === undefined || other === 0 ? 'n/a' : `${round(reference / other, 1)}x`);

export function renderMarkdown(report) {
  const [reference, ...others] = report.targets.map((t) => t.name);
  const lines = [
    `# Orchestration: stack create/delete, ${report.targets.map((t) => t.name).join(' vs ')} (${report.date})`,
    '',
    `Machine: ${report.machine.cores} cores, loadavg at start \`${report.machine.loadavg_start}\`, at end \`${report.machine.loadavg_end}\`` +
      ` (shared with other engineers' builds: absolute seconds move with it; ratios within the run are the figures).`,
    `Settings: cases ${report.settings.cases.join(', ')}; ${report.settings.runs} run(s) of each case up to 100 resources (median), 1 of the others;` +
      ` ${report.settings.concurrency} stacks at a time in manyN; per-operation timeout ${report.settings.timeout_s} s.` +
      (report.settings.skipped?.length ? ` Not run: ${report.settings.skipped.join(', ')}.` : ''),
    ...report.targets.filter((t) => t.unavailable).map((t) => `Not measured: ${t.name} (${t.unavailable}).`),
    '',
    '| case | target | create s | delete s | server CPU s (create / delete) | support CPU s (create / delete) | errors |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of report.summary) {
    lines.push(
      `| ${row.case} | ${row.target} | ${cell(row.create_s)} | ${cell(row.delete_s)} | ${cell(row.create_server_cpu_s)} / ${cell(row.delete_server_cpu_s)}` +
        ` | ${cell(row.create_support_cpu_s)} / ${cell(row.delete_support_cpu_s)} | ${row.errors.length ? row.errors.length + ': ' + row.errors[0].slice(0, 120) : 0} |`,
    );
  }
  if (others.length) {
    lines.push('', `Ratios ${reference} / other (above 1: the other is faster or lighter):`, '');
    lines.push(
      '| case | other | create time | delete time | server CPU create | server CPU delete | servers RSS / PSS with stacks |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const other of others) {
      for (const ref of report.summary.filter((r) => r.target === reference)) {
        const o = report.summary.find((r) => r.target === other && r.case === ref.case);
        if (!o) continue;
        lines.push(
          `| ${ref.case} | ${other} | ${ratio(ref.create_s, o.create_s)} | ${ratio(ref.delete_s, o.delete_s)} | ${ratio(ref.create_server_cpu_s, o.create_server_cpu_s)}` +
            ` | ${ratio(ref.delete_server_cpu_s, o.delete_server_cpu_s)} | ${ratio(ref.servers_rss_kib, o.servers_rss_kib)} / ${ratio(ref.servers_pss_kib, o.servers_pss_kib)} |`,
        );
      }
    }
  }
  lines.push('', 'Memory (KiB, RSS summed over each process tree; PSS shares forked workers\u2019 common pages):', '');
  lines.push('| target | group | idle RSS | idle PSS | with many stacks RSS | with many stacks PSS |', '| --- | --- | --- | --- | --- | --- |');
  for (const target of report.targets) {
    const many = report.results.find((r) => r.target === target.name && r.memory_with_stacks);
    for (const [group, idle] of Object.entries(report.idle_memory[target.name] ?? {})) {
      const loaded = many?.memory_with_stacks[group];
      lines.push(`| ${target.name} | ${group} | ${idle.rss_kib} | ${idle.pss_kib} | ${cell(loaded?.rss_kib)} | ${cell(loaded?.pss_kib)} |`);
    }
  }
  if (report.meta && Object.keys(report.meta).length) lines.push('', '```json', JSON.stringify(report.meta, null, 1), '```');
  return lines.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  report.summary = summarize(report); // a run saved by an older report.mjs gets today's columns
  process.stdout.write(renderMarkdown(report));
}

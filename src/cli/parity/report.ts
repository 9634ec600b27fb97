/** The parity report as a terminal summary and as the documentation page (docs/parity.md). */
import type { ServiceParity } from './index.js';
import type { ParityStatus } from './probe.js';

const LABEL: Record<ParityStatus, string> = { implemented: 'implemented', partial: 'partial', 'not-implemented': '501', absent: 'absent' };

function counts(service: ServiceParity): Record<ParityStatus, number> {
  const tally: Record<ParityStatus, number> = { implemented: 0, partial: 0, 'not-implemented': 0, absent: 0 };
  for (const operation of service.operations) tally[operation.status] += 1;
  return tally;
}

const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${Math.round((part / whole) * 100)} %`);

const SUMMARY_HEADER = ['service', 'operations', 'implemented', 'partial', '501', 'absent', 'tempest passes'];

function summaryRows(report: ServiceParity[]): string[][] {
  return report.map((service) => {
    const tally = counts(service);
    return [
      service.service,
      String(service.operations.length),
      `${tally.implemented} (${percent(tally.implemented, service.operations.length)})`,
      String(tally.partial),
      String(tally['not-implemented']),
      String(tally.absent),
      service.tempestPasses === null ? '-' : String(service.tempestPasses),
    ];
  });
}

export function summaryTable(report: ServiceParity[]): string {
  const rows = summaryRows(report);
  const header = SUMMARY_HEADER;
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function operationName(operation: ServiceParity['operations'][number]): string {
  const action = operation.action ? ` \`${operation.action}\`` : '';
  return `\`${operation.method} ${operation.path}\`${action}`;
}

export function markdownPage(report: ServiceParity[], generatedOn: string): string {
  const out: string[] = [
    '# Parity with OpenStack',
    '',
    `Generated on ${generatedOn} by \`npm run parity\` (\`nimbus parity --markdown docs/parity.md\`): every operation that each`,
    "service's OpenStack API reference lists, sent once as the cloud admin to a throw-away Nimbus with made-up ids. An",
    'operation is **implemented** when a route takes it (the answer may well be a 404 for the made-up id or a 400 for the',
    'empty body); **partial** when it is served but its api-ref names fields (request or response) that came with a',
    "microversion newer than the newest the service answers (read from the api-ref's parameters.yaml `min_version`s and",
    'the `OpenStack-API-Version` of the answer); **501** when the route says the feature is not implemented; **absent** when',
    'no route serves it, or the `/action` endpoint does not know that action. A finer grain (fields, filters) is what the Tempest',
    "column measures: the tests of Tempest's whole `tempest.api.<service>` suite known to pass (`conformance/expected/`,",
    'each checked by `npm run conformance -- --full <service>`). Alarming (Aodh) publishes no operation list and is not',
    'counted here; its Tempest plugin runs in CI.',
    '',
    `| ${SUMMARY_HEADER.join(' | ')} |`,
    `|${SUMMARY_HEADER.map(() => '---').join('|')}|`,
    ...summaryRows(report).map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
  for (const service of report) {
    out.push(`## ${service.service}`, '', `From ${service.repository}'s API reference at ${service.commit.slice(0, 10)} (${service.date}).`, '');
    out.push('| operation | title | Nimbus |', '|---|---|---|');
    for (const operation of service.operations) {
      const status = operation.reason ? `${LABEL[operation.status]} (${operation.reason})` : LABEL[operation.status];
      out.push(`| ${operationName(operation)} | ${operation.title.replaceAll('|', '\\|')} | ${status.replaceAll('|', '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

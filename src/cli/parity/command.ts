/** `nimbus parity [--service S]... [--markdown FILE] [--json FILE]`: prints the summary, writes the page or the data. */
import { writeFileSync } from 'node:fs';
import { runParity } from './index.js';
import { markdownPage, summaryTable } from './report.js';

export async function parityCommand(options: { services: string[]; markdown?: string; json?: string }): Promise<number> {
  const report = await runParity(options.services);
  console.log(summaryTable(report));
  if (options.markdown) writeFileSync(options.markdown, markdownPage(report, new Date().toISOString().slice(0, 10)));
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 1)}\n`);
  return 0;
}

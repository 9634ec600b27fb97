// Writes docs/parity/api-ref/<service>.json: the operations each service's
// published API reference lists, read from a local git copy of its project
// (a mirror or a clone; nothing is fetched here). Run after `npm run build`:
//
//   node scripts/parity/extract-api-ref.mjs <service> <git-dir> [<ref>]
//
// The JSON names the project, commit and date it was read from, so the
// parity page says how fresh its list is.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApiRef, parseGnocchiRest, uniqueOperations } from '../../dist/src/cli/parity/api-ref.js';
import { PARITY_SOURCES } from '../../dist/src/cli/parity/sources.js';

const [service, gitDir, ref = 'HEAD'] = process.argv.slice(2);
const source = PARITY_SOURCES.find((s) => s.service === service);
if (!source || !gitDir) {
  console.error(`usage: extract-api-ref.mjs <${PARITY_SOURCES.map((s) => s.service).join('|')}> <git-dir> [<ref>]`);
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const [commit, date] = git('log', '-1', '--format=%H %cs', ref).trim().split(' ');
const files = git('ls-tree', '-r', '--name-only', ref)
  .split('\n')
  .filter((file) => source.files.test(file))
  .sort();
const parse = source.format === 'gnocchi-rest' ? parseGnocchiRest : parseApiRef;
const operations = uniqueOperations(files.flatMap((file) => parse(git('show', `${ref}:${file}`)).map((op) => ({ ...op, file }))));
const root = new URL('../../', import.meta.url).pathname;
mkdirSync(join(root, 'docs/parity/api-ref'), { recursive: true });
const out = join(root, 'docs/parity/api-ref', `${service}.json`);
writeFileSync(out, `${JSON.stringify({ service, repository: source.repository, commit, date, operations }, null, 1)}\n`);
console.log(`${out}: ${operations.length} operations from ${files.length} files of ${source.repository} at ${commit.slice(0, 10)} (${date})`);

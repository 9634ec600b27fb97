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
import { dirname, join } from 'node:path';
import { parseApiRef, parseGnocchiRest, parseParameterVersions, uniqueOperations } from '../../dist/src/cli/parity/api-ref.js';
import { PARITY_SOURCES } from '../../dist/src/cli/parity/sources.js';

const [service, gitDir, ref = 'HEAD'] = process.argv.slice(2);
const source = PARITY_SOURCES.find((s) => s.service === service);
if (!source || !gitDir) {
  console.error(`usage: extract-api-ref.mjs <${PARITY_SOURCES.map((s) => s.service).join('|')}> <git-dir> [<ref>]`);
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const [commit, date] = git('log', '-1', '--format=%H %cs', ref).trim().split(' ');
const tree = git('ls-tree', '-r', '--name-only', ref).split('\n');
const files = tree.filter((file) => source.files.test(file)).sort();
const all = new Set(tree);
/** The `min_version`s of the parameters.yaml beside `file`, where there is one. */
const versionsBeside = (file) => {
  const parameters = join(dirname(file), 'parameters.yaml');
  return all.has(parameters) ? parseParameterVersions(git('show', `${ref}:${parameters}`)) : new Map();
};
const parse = (file) => {
  const text = git('show', `${ref}:${file}`);
  return source.format === 'gnocchi-rest' ? parseGnocchiRest(text) : parseApiRef(text, versionsBeside(file));
};
const operations = uniqueOperations(files.flatMap((file) => parse(file).map((op) => ({ ...op, file }))));
const root = new URL('../../', import.meta.url).pathname;
mkdirSync(join(root, 'docs/parity/api-ref'), { recursive: true });
const out = join(root, 'docs/parity/api-ref', `${service}.json`);
writeFileSync(out, `${JSON.stringify({ service, repository: source.repository, commit, date, operations }, null, 1)}\n`);
console.log(`${out}: ${operations.length} operations from ${files.length} files of ${source.repository} at ${commit.slice(0, 10)} (${date})`);

// npm run test:one -- FILE... : builds what changed (scripts/build.mjs), then
// runs only the named tests with node's test runner. FILE is a test's source
// (test/compute/servers.test.ts) or its compiled path (dist/test/...js);
// extra node --test flags pass through (--test-name-pattern "create").
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
if (!args.some((a) => a.endsWith('.ts') || a.endsWith('.js'))) {
  console.error('usage: npm run test:one -- test/<dir>/<name>.test.ts [more files] [node --test flags]');
  process.exit(2);
}

const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const compiled = args.map((arg) => {
  if (!arg.endsWith('.ts')) return arg;
  const js = join('dist', arg.replace(/\.ts$/, '.js'));
  if (!existsSync(join(root, js))) {
    console.error(`test:one: ${arg} has no compiled test at ${js} (is it under src/ or test/ and named *.test.ts?)`);
    process.exit(2);
  }
  return js;
});
const run = spawnSync(process.execPath, ['--test', ...compiled], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);

// The build `npm start`, `npm test` and `npm run test:one` share, and that
// reuses what is up to date: tsc compiles incrementally (its state file lives
// in dist/, so removing dist/ starts afresh), outputs whose source was deleted
// or renamed are removed (else a deleted test would still run from dist/),
// and the bundle is rebuilt only when a compiled module is newer than it.
// `node scripts/build.mjs --clean` starts from an empty dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
if (process.argv.includes('--clean')) rmSync(dist, { recursive: true, force: true });

const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--incremental', '--tsBuildInfoFile', join(dist, '.tsbuildinfo')],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** Compiled modules under dist/{src,test,bench}, with the newest modification time among them. */
function pruneAndFindNewest() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
        continue;
      }
      const compiled = entry.name.match(/^(.*)\.(js|js\.map|d\.ts)$/);
      if (!compiled) continue;
      const source = join(root, relative(dist, dir), `${compiled[1]}.ts`);
      if (!existsSync(source)) {
        rmSync(path);
        continue;
      }
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const top of ['src', 'test', 'bench']) if (existsSync(join(dist, top))) walk(join(dist, top));
  return newest;
}

const newestModule = pruneAndFindNewest();
const bundle = join(dist, 'nimbus.mjs');
if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestModule) {
  const bundled = spawnSync(process.execPath, [join(root, 'scripts/bundle.mjs')], { stdio: 'inherit', cwd: root });
  if (bundled.status !== 0) process.exit(bundled.status ?? 1);
}

// The dashboard (web/) is built by Vite into dist/web, only when a file under web/ is newer than
// its last output: most runs change no web source and skip the few seconds it takes.
function newestUnder(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}
const webIndex = join(dist, 'web', 'index.html');
if (!existsSync(webIndex) || statSync(webIndex).mtimeMs < newestUnder(join(root, 'web'))) {
  const vite = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', join(root, 'web')], {
    stdio: 'inherit',
    cwd: root,
  });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}

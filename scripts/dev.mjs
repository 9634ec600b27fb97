// npm run dev [-- nimbus start flags]: a cloud that follows the code. tsc
// watches the sources and recompiles what changed; node's --watch restarts
// the server (unbundled, dist/src/cli/main.js) when a module it loaded
// changes. Logs are pretty-printed. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const tsc = spawn(
  process.execPath,
  [
    join(root, 'node_modules/typescript/bin/tsc'),
    '-p',
    'tsconfig.json',
    '--watch',
    '--preserveWatchOutput',
    '--incremental',
    '--tsBuildInfoFile',
    'dist/.tsbuildinfo',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'], cwd: root },
);
const server = spawn(process.execPath, ['--watch', 'dist/src/cli/main.js', 'start', '--log-format', 'pretty', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});

let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  tsc.kill('SIGTERM');
  server.kill('SIGTERM');
  process.exitCode = code;
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
tsc.on('exit', (code) => stop(code ?? 0));
server.on('exit', (code) => stop(code ?? 0));

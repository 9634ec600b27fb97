/**
 * The README's promise: `npm pack`, then in an empty folder install the
 * tarball and `npx nimbus start --ephemeral` serves a cloud; `nimbus/testing`
 * imports and type-checks from there too.
 *
 * The install takes the dependencies from npm's cache (`npm ci` filled it;
 * the registry only for what is missing) without install scripts: bcrypt
 * carries its prebuilt binaries, but better-sqlite3's script downloads one
 * from GitHub or compiles SQLite for a minute or two. The project pins the
 * better-sqlite3 this repository installed and gets the binary that install
 * built, so what is tested is this package's contents, not a compiler.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { REPO } from './doc-examples.js';

const run = promisify(execFile);
const SQLITE = join(REPO, 'node_modules', 'better-sqlite3');
const SQLITE_BINARY = join('build', 'Release', 'better_sqlite3.node');

function skipReason(): string | false {
  if (!existsSync(join(REPO, 'dist', 'nimbus.mjs')) || !existsSync(join(REPO, 'dist', 'testing.mjs'))) return 'the bundles are not built (npm run build)';
  if (!existsSync(join(SQLITE, SQLITE_BINARY))) return `this repository's better-sqlite3 has no compiled binary to reuse (${SQLITE_BINARY})`;
  return false;
}
const skip = skipReason();

let project = '';
let packed: string[] = [];

before(async () => {
  if (skip) return;
  project = mkdtempSync(join(tmpdir(), 'nimbus-pack-'));
  const { stdout } = await run('npm', ['pack', REPO, '--json', '--pack-destination', project], { cwd: project });
  const [tarball] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  assert.ok(tarball);
  packed = tarball.files.map((file) => file.path);
  const sqliteVersion = (JSON.parse(readFileSync(join(SQLITE, 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-nimbus', private: true, type: 'module' }));
  const install = ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', `./${tarball.filename}`, `better-sqlite3@${sqliteVersion}`];
  await run('npm', install, { cwd: project, timeout: 120_000 });
  mkdirSync(join(project, 'node_modules', 'better-sqlite3', 'build', 'Release'), { recursive: true });
  copyFileSync(join(SQLITE, SQLITE_BINARY), join(project, 'node_modules', 'better-sqlite3', SQLITE_BINARY));
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the tarball carries the bin, the bundles, the types, the built dashboard and the parity data, and no sources or tests', { skip }, () => {
  for (const file of [
    'bin/nimbus.js',
    'dist/nimbus.mjs',
    'dist/metadata-proxy.js',
    'dist/testing.mjs',
    'dist/testing-types/index.d.ts',
    'dist/web/index.html',
    // `nimbus parity` reads the api-refs' operations and the Tempest expected lists.
    'docs/parity/api-ref/compute.json',
    'conformance/expected/compute.txt',
  ]) {
    assert.ok(packed.includes(file), `${file} is packed`);
  }
  assert.deepEqual(
    packed.filter((file) => /^(src|test|dist\/src|dist\/test)\//.test(file)),
    [],
  );
});

test(
  'npx nimbus start --ephemeral in the installed project serves the APIs and the dashboard, and SIGTERM removes its state',
  { skip, timeout: 120_000 },
  async () => {
    // Its own process group, signalled as a terminal's Ctrl-C or a CI runner's cleanup does: npx itself does not pass SIGTERM on to the command.
    const child = spawn('npx', ['nimbus', 'start', '--ephemeral', '--port', '0', '--fake-hosts', '0', '--log-level', 'warn'], {
      cwd: project,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    // 'close': every process holding the stderr pipe (npx and the nimbus it started) has ended.
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    let stderr = '';
    const ready = await new Promise<{ url: string; dataDir: string }>((resolve, reject) => {
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        const url = /Nimbus is running at (http:\/\/\S+)/.exec(stderr)?.[1];
        const dataDir = /State is ephemeral: (\S+) is removed/.exec(stderr)?.[1];
        if (url && dataDir) resolve({ url, dataDir });
      });
      void exited.then(() => reject(new Error(`npx nimbus ended before it was ready: ${stderr}`)));
    });
    try {
      assert.equal(await (await fetch(`${ready.url}/healthcheck`)).text(), 'OK');
      assert.equal((await fetch(`${ready.url}/identity/v3`)).status, 200);
      const dashboard = await fetch(`${ready.url}/dashboard/`);
      assert.equal(dashboard.status, 200);
      assert.match(await dashboard.text(), /<div id="root">/);
    } finally {
      process.kill(-(child.pid as number), 'SIGTERM');
    }
    await exited;
    assert.equal(existsSync(ready.dataDir), false);
  },
);

test('nimbus/testing from the installed package: typed for TypeScript, and startNimbus runs', { skip }, async () => {
  writeFileSync(
    join(project, 'check.ts'),
    "import { startNimbus, type NimbusCloud, type StartNimbusOptions } from 'nimbus/testing';\n" +
      "const options: StartNimbusOptions = { logLevel: 'silent', fakeHosts: 0 };\n" +
      'const cloud: NimbusCloud = await startNimbus(options);\n' +
      "const token: string = await cloud.token('demo');\n" +
      'console.log(token.length > 0, cloud.identityUrl === `${cloud.url}/identity/v3`);\n' +
      'await cloud.stop();\n',
  );
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const flags = ['--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom'];
  await run(process.execPath, [tsc, ...flags, 'check.ts'], { cwd: project });
  // The same program as JavaScript (type annotations removed) runs against the installed bundle.
  const script = readFileSync(join(project, 'check.ts'), 'utf8')
    .replace(/, type \w+/g, '')
    .replace(/: (NimbusCloud|StartNimbusOptions|string)/g, '');
  writeFileSync(join(project, 'check.mjs'), script);
  const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: project });
  assert.equal(stdout.trim(), 'true true');
});

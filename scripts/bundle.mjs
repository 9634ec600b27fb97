// Bundles the compiled CLI into one ES module (dist/nimbus.mjs) for `npm start`
// and the `nimbus` bin. Loading one file instead of several hundred modules
// cuts start-up by about a third; tests keep running the unbundled tsc output.
// Native modules stay external: they are loaded from node_modules at run time.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const forNode = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' };
const server = {
  ...forNode,
  external: ['better-sqlite3', 'bcrypt', 'pg-native', 'pino-pretty'],
  // Bundled CommonJS dependencies call require(); give the ES module one.
  banner: { js: "import { createRequire as __nimbusRequire } from 'node:module'; const require = __nimbusRequire(import.meta.url);" },
};

await build({ ...server, entryPoints: ['dist/src/cli/main.js'], outfile: 'dist/nimbus.mjs' });

// The linuxbridge driver's metadata proxy runs as its own process inside a
// network namespace (`ip netns exec NS node dist/metadata-proxy.js`); the
// driver looks for it next to the module that starts it, i.e. next to the bundle.
await build({ ...forNode, entryPoints: ['dist/src/network/drivers/linuxbridge/metadata-proxy.js'], outfile: 'dist/metadata-proxy.js' });

// `nimbus/testing` (package.json "exports"): startNimbus for test suites, as its own bundle next to
// the CLI's (in dist/, where the dashboard and the metadata proxy are found), with .d.ts files made
// from src/testing's sources file by file (they name no server type) in dist/testing-types/.
await build({ ...server, entryPoints: ['dist/src/testing/index.js'], outfile: 'dist/testing.mjs' });
mkdirSync('dist/testing-types', { recursive: true });
const publicSources = readdirSync('src/testing').filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
for (const name of publicSources) {
  const { outputText, diagnostics } = ts.transpileDeclaration(readFileSync(join('src/testing', name), 'utf8'), {
    fileName: name,
    compilerOptions: { strict: true },
  });
  if (diagnostics?.length) throw new Error(`src/testing/${name}: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
  writeFileSync(join('dist/testing-types', name.replace(/\.ts$/, '.d.ts')), outputText);
}

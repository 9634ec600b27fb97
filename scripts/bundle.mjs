// Bundles the compiled CLI into one ES module (dist/nimbus.mjs) for `npm start`
// and the `nimbus` bin. Loading one file instead of several hundred modules
// cuts start-up by about a third; tests keep running the unbundled tsc output.
// Native modules stay external: they are loaded from node_modules at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/nimbus.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'bcrypt', 'pg-native'],
  // Bundled CommonJS dependencies call require(); give the ES module one.
  banner: { js: "import { createRequire as __nimbusRequire } from 'node:module'; const require = __nimbusRequire(import.meta.url);" },
  logLevel: 'warning',
});

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
  external: ['better-sqlite3', 'bcrypt', 'pg-native', 'pino-pretty'],
  // Bundled CommonJS dependencies call require(); give the ES module one.
  banner: { js: "import { createRequire as __nimbusRequire } from 'node:module'; const require = __nimbusRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The linuxbridge driver's metadata proxy runs as its own process inside a
// network namespace (`ip netns exec NS node dist/metadata-proxy.js`); the
// driver looks for it next to the module that starts it, i.e. next to the bundle.
await build({
  entryPoints: ['dist/src/network/drivers/linuxbridge/metadata-proxy.js'],
  outfile: 'dist/metadata-proxy.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});

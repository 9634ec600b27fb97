/**
 * Data directories that live no longer than the process: `nimbus start
 * --ephemeral` and `startNimbus()` keep a cloud's state in one. Each is
 * removed when its owner says so, and any left are removed when the process
 * exits (normally, by `process.exit`, or after an uncaught error). A process
 * killed with SIGKILL runs no exit hook: its directory stays in the OS temp
 * dir, named `nimbus-*`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EphemeralDir {
  readonly path: string;
  remove(): void;
}

const live = new Set<string>();

// One exit hook for all directories: a test process may start many clouds, and a listener each would trip Node's leak warning.
function removeLiveDirs(): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
}

export function createEphemeralDir(): EphemeralDir {
  const path = mkdtempSync(join(tmpdir(), 'nimbus-'));
  if (live.size === 0) process.once('exit', removeLiveDirs);
  live.add(path);
  return {
    path,
    remove() {
      live.delete(path);
      if (live.size === 0) process.removeListener('exit', removeLiveDirs);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

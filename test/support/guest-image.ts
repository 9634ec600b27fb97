/**
 * The test guest (scripts/build-guest-image), built once into a cache dir
 * shared by every test process and CI's own build step:
 * `NIMBUS_GUEST_IMAGE_DIR`, else `$TMPDIR/nimbus-guest-image`. The script
 * skips the build when its inputs have not changed.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GUEST_IMAGE_DIR = process.env.NIMBUS_GUEST_IMAGE_DIR ?? join(tmpdir(), 'nimbus-guest-image');

let built: string | null = null;

/** The guest image's path, built (or found up to date) by the project's script. */
export function guestImage(): string {
  if (built) return built;
  const script = join(import.meta.dirname, '..', '..', '..', 'scripts', 'build-guest-image');
  execFileSync(script, [GUEST_IMAGE_DIR], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  built = join(GUEST_IMAGE_DIR, 'nimbus-guest.qcow2');
  return built;
}

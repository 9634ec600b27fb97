/**
 * The declarative seed (`nimbus start --seed FILE`, config `server.seed`):
 * a YAML file of domains, projects, users, flavors, images, networks,
 * volumes, objects, stacks and more, applied through the services' public
 * doors once they are ready, so policy and quotas hold as for API calls.
 * Applying it again changes nothing. The file's shape is checked whole
 * first; any error names the file's line and column, and the server does
 * not start. The format: docs/seed.md.
 */
import { applyCompute } from './compute.js';
import { applyFaults } from './faults.js';
import { applyIdentity } from './identity.js';
import { applyNetwork } from './network.js';
import { applyQuotas } from './quotas.js';
import { SeedRun, type SeedTarget } from './run.js';
import { checkShape } from './schema.js';
import { SeedSource } from './source.js';
import { applyStacks } from './stacks.js';
import { applyStorage } from './storage.js';

export type { SeedTarget } from './run.js';
export { SeedError } from './source.js';

/** What an application did: how many resources it made (0 when the cloud already had them all). */
export interface SeedResult {
  created: number;
}

/**
 * Applies the seed file to a running cloud, in dependency order; throws a
 * SeedError (`seed.yaml:14:5: network 'private' does not exist`) at the
 * first problem, leaving what was made before it (a fixed seed then picks up where it stopped).
 */
export async function applySeed(file: string, target: SeedTarget): Promise<SeedResult> {
  const source = SeedSource.read(file);
  const run = new SeedRun(source, checkShape(source), target, file);
  await applyIdentity(run);
  await applyQuotas(run);
  await applyCompute(run);
  await applyStorage(run);
  await applyNetwork(run);
  await applyStacks(run);
  // Last, so that the seed's own requests never meet its rules.
  applyFaults(run);
  target.log.info({ seed: file, created: run.created }, run.created === 0 ? 'seed: nothing to change' : 'seed applied');
  return { created: run.created };
}

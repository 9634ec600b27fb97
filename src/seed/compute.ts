/**
 * The seed's flavors (made by the operator) and key pairs (made by their
 * user with the user's own token, as key pairs are per user). A generated
 * key pair's private key, which Nova returns once, is written to
 * `<data-dir>/seed-keys/<user>/<key pair>.pem` (mode 0600).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComputeKeypair } from '../compute/operations.js';
import type { SeedRun } from './run.js';

/** Where generated private keys go, under the data directory. */
export const SEED_KEYS_DIR = 'seed-keys';

export async function applyCompute(run: SeedRun): Promise<void> {
  for (const [i, flavor] of (run.seed.flavors ?? []).entries()) {
    const at = ['flavors', i];
    const compute = run.door('compute', at);
    const projects: string[] = [];
    for (const [j, name] of (flavor.projects ?? []).entries()) projects.push((await run.project([...at, 'projects', j], name)).id);
    await run.ensure(
      at,
      'flavor',
      flavor.name,
      () => compute.findFlavor(run.admin, flavor.name),
      () =>
        compute.createFlavor(run.admin, {
          name: flavor.name,
          ramMb: flavor.ram_mb,
          vcpus: flavor.vcpus,
          diskGb: flavor.disk_gb,
          ...(flavor.ephemeral_gb !== undefined && { ephemeralGb: flavor.ephemeral_gb }),
          ...(flavor.swap_mb !== undefined && { swapMb: flavor.swap_mb }),
          ...(flavor.public !== undefined && { isPublic: flavor.public }),
          ...(flavor.description !== undefined && { description: flavor.description }),
          ...(flavor.extra_specs !== undefined && { extraSpecs: flavor.extra_specs }),
          ...(projects.length > 0 && { projects }),
        }),
    );
  }
  for (const [i, keypair] of (run.seed.keypairs ?? []).entries()) {
    const at = ['keypairs', i];
    const compute = run.door('compute', at);
    const project = await keypairProject(run, at, keypair.user, keypair.project);
    const caller = await run.login(at, keypair.user, project);
    const made = await run.ensure<ComputeKeypair & { privateKey?: string }>(
      at,
      'key pair',
      keypair.name,
      () => compute.getKeypair(caller, keypair.name),
      () =>
        compute.createKeypair(caller, {
          name: keypair.name,
          ...(keypair.type !== undefined && { type: keypair.type }),
          ...(keypair.public_key !== undefined && { publicKey: keypair.public_key }),
        }),
    );
    if (made.privateKey !== undefined) writePrivateKey(run.target.dataDir, keypair.user, keypair.name, made.privateKey);
  }
}

/** The project the key pair's user logs in to: the one named, else the user's default project. */
async function keypairProject(run: SeedRun, at: Array<string | number>, userName: string, projectName: string | undefined) {
  if (projectName !== undefined) return run.project([...at, 'project'], projectName);
  const user = await run.user([...at, 'user'], userName);
  const projectId = user.defaultProjectId;
  if (projectId === null) throw run.source.error(at, `key pair needs 'project': user '${userName}' has no default project`);
  return run.step(at, `user '${userName}'`, () => run.identity(at).getProject(run.admin, projectId));
}

function writePrivateKey(dataDir: string, user: string, name: string, privateKey: string): void {
  const folder = join(dataDir, SEED_KEYS_DIR, user);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(join(folder, `${name}.pem`), privateKey, { mode: 0o600 });
}

/** The seed projects' quotas, set through each service's own quota operation (its resource names, its validation, its policy). */
import type { SeedRun } from './run.js';

export async function applyQuotas(run: SeedRun): Promise<void> {
  for (const [i, project] of (run.seed.projects ?? []).entries()) {
    const quotas = project.quotas ?? {};
    const at = ['projects', i, 'quotas'];
    const { id } = await run.project(at, project.name);
    if (quotas.compute) {
      const limits = quotas.compute;
      await run.step([...at, 'compute'], `compute quotas of project '${project.name}'`, () => run.door('compute', at).setQuotas(run.admin, id, limits));
    }
    if (quotas.network) {
      const limits = quotas.network;
      await run.step([...at, 'network'], `network quotas of project '${project.name}'`, () => run.door('network', at).setQuotas(run.admin, id, limits));
    }
    if (quotas.volume) {
      const limits = quotas.volume;
      await run.step([...at, 'volume'], `volume quotas of project '${project.name}'`, () => run.door('volume', at).setQuotas(run.admin, id, limits));
    }
  }
}

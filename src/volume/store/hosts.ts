/** What each project keeps on one backend: the per-host usage Cinder's `os-hosts` show reports. */
import type { VolumeDb } from './db.js';

export interface ProjectUsageOnHost {
  projectId: string;
  volumeCount: number;
  volumeGb: number;
  snapshotCount: number;
  snapshotGb: number;
}

/** `backend` is `host@backend`; volumes record `host@backend#pool`. */
export async function usageOnBackend(db: VolumeDb, backend: string): Promise<ProjectUsageOnHost[]> {
  const volumes = await db
    .selectFrom('cinder_volume')
    .select(['project_id', (eb) => eb.fn.countAll<number | string>().as('count'), (eb) => eb.fn.sum<number | string>('size').as('total')])
    .where((eb) => eb.or([eb('host', '=', backend), eb('host', 'like', `${backend}#%`)]))
    .groupBy('project_id')
    .orderBy('project_id')
    .execute();
  const snapshots = await db
    .selectFrom('cinder_snapshot as s')
    .innerJoin('cinder_volume as v', 'v.id', 's.volume_id')
    .select(['s.project_id', (eb) => eb.fn.countAll<number | string>().as('count'), (eb) => eb.fn.sum<number | string>('s.size').as('total')])
    .where((eb) => eb.or([eb('v.host', '=', backend), eb('v.host', 'like', `${backend}#%`)]))
    .groupBy('s.project_id')
    .execute();
  const snapshotsOf = new Map(snapshots.map((r) => [r.project_id, r]));
  return volumes.map((r) => {
    const snap = snapshotsOf.get(r.project_id);
    return {
      projectId: r.project_id,
      volumeCount: Number(r.count),
      volumeGb: Number(r.total),
      snapshotCount: Number(snap?.count ?? 0),
      snapshotGb: Number(snap?.total ?? 0),
    };
  });
}

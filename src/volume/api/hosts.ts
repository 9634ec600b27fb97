/** `/v3/{project_id}/os-hosts` (admin): the services' hosts, and per-project usage on a cinder-volume host. */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';
import type { ProjectUsageOnHost } from '../store/index.js';
import { begin, type VolumeApi } from './context.js';
import { cinderTime } from './views.js';

export function hostRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { info } = api.ops;
  const base = '/v3/:project_id/os-hosts';

  app.get(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    const hosts = info.hosts(call.ctx).map((s) => ({
      host_name: s.host,
      service: s.binary,
      zone: s.zone,
      'service-status': s.state === 'up' ? 'available' : 'unavailable',
      'service-state': s.status,
      'last-update': cinderTime(s.updated_at),
    }));
    return { hosts };
  });

  app.get<{ Params: { project_id: string; host: string } }>(`${base}/:host`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const host = request.params.host;
    const usage = await info.hostUsage(call.ctx, host);
    if (usage === null) throw notFound.volumeServiceOnHost(host);
    // Cinder reports every figure as a string, a total row first.
    const row = (project: string, volumes: number, volumeGb: number, snapshots: number, snapshotGb: number) => ({
      resource: {
        host,
        project,
        volume_count: String(volumes),
        total_volume_gb: String(volumeGb),
        snapshot_count: String(snapshots),
        total_snapshot_gb: String(snapshotGb),
      },
    });
    const sum = (pick: (u: ProjectUsageOnHost) => number) => usage.reduce((total, u) => total + pick(u), 0);
    return {
      host: [
        row(
          '(total)',
          sum((u) => u.volumeCount),
          sum((u) => u.volumeGb),
          sum((u) => u.snapshotCount),
          sum((u) => u.snapshotGb),
        ),
        ...usage.map((u) => row(u.projectId, u.volumeCount, u.volumeGb, u.snapshotCount, u.snapshotGb)),
      ],
    };
  });
}

/** `/v3/{project_id}/backups`: create, list (summary and detail), show, delete, restore. */
import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../core/http/versioned-body.js';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import type { Backup } from '../store/index.js';
import { parseBool } from './body.js';
import { begin, type VolumeApi } from './context.js';
import { backupCreate, backupRestore } from './schemas.js';
import { cinderTime } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
type Text = string | null | undefined;
type Flag = boolean | string | undefined;
type CreateBody = { Body: { backup: { volume_id: string; name?: Text; description?: Text; container?: Text; incremental?: Flag; force?: Flag } } };
type RestoreBody = IdParams & { Body: { restore?: { volume_id?: Text; name?: Text } | null } | undefined };

const flag = (value: Flag, key: string) => value !== undefined && parseBool(value, key);

export function backupRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { backups } = api.ops;
  const base = '/v3/:project_id/backups';
  const links = (b: Backup) => [
    { href: `${api.root()}/v3/${b.project_id}/backups/${b.id}`, rel: 'self' },
    { href: `${api.root()}/${b.project_id}/backups/${b.id}`, rel: 'bookmark' },
  ];
  const detail = async (b: Backup) => ({
    id: b.id,
    name: b.name,
    description: b.description,
    status: b.status,
    size: b.size,
    volume_id: b.volume_id,
    snapshot_id: null,
    container: b.container,
    availability_zone: b.availability_zone,
    object_count: b.object_count,
    fail_reason: b.fail_reason,
    is_incremental: b.parent_id !== null,
    has_dependent_backups: await backups.hasDependents(b.id),
    created_at: cinderTime(b.created_at),
    updated_at: cinderTime(b.updated_at),
    data_timestamp: cinderTime(b.created_at),
    links: links(b),
  });

  app.post<CreateBody>(base, { schema: { body: backupCreate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = request.body.backup;
    const backup = await backups.create(call.ctx, {
      volume_id: body.volume_id,
      name: body.name ?? null,
      description: body.description ?? null,
      container: body.container ?? null,
      incremental: flag(body.incremental, 'incremental'),
      force: flag(body.force, 'force'),
    });
    return reply.code(202).send({ backup: { id: backup.id, name: backup.name, links: links(backup) } });
  });

  for (const full of [false, true]) {
    app.get(full ? `${base}/detail` : base, async (request, reply) => {
      const call = await begin(api, request, reply);
      const allTenants = querySingle(request.query as QueryInput, 'all_tenants');
      const list = await backups.list(call.ctx, allTenants !== undefined && parseBool(allTenants || 'true', 'all_tenants'));
      return { backups: full ? await Promise.all(list.map(detail)) : list.map((b) => ({ id: b.id, name: b.name, links: links(b) })) };
    });
  }

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { backup: await detail(await backups.get(call.ctx, request.params.id)) };
  });

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await backups.delete(call.ctx, request.params.id);
    return reply.code(202).send();
  });

  app.post<RestoreBody>(`${base}/:id/restore`, async (request, reply) => {
    const call = await begin(api, request, reply);
    // A restore without a body (to a new volume) was always accepted: only a body that came is checked.
    if (request.body !== undefined) validateBody(request, backupRestore);
    const body = request.body?.restore ?? {};
    const restored = await backups.restore(call.ctx, request.params.id, {
      volumeId: body.volume_id ?? null,
      name: body.name ?? null,
    });
    return reply.code(202).send({ restore: { backup_id: request.params.id, volume_id: restored.volumeId, volume_name: restored.volumeName } });
  });
}

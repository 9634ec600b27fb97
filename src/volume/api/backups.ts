/**
 * `/v3/{project_id}/backups`: create (of a volume or one of its snapshots),
 * list (summary and detail), show, update (3.9), delete, restore, the
 * admin's export/import of a backup's record and its `os-reset_status`.
 */
import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../core/http/versioned-body.js';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import type { Backup } from '../store/index.js';
import { parseBool } from './body.js';
import { begin, beginFrom, type Call, type VolumeApi } from './context.js';
import { errors } from '../errors.js';
import { backupCreate, backupImport, backupResetStatus, backupRestore, backupUpdate } from './schemas.js';
import { cinderTime } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
type Text = string | null | undefined;
type Flag = boolean | string | undefined;
type CreateBody = {
  Body: { backup: { volume_id: string; name?: Text; description?: Text; container?: Text; incremental?: Flag; force?: Flag; snapshot_id?: Text } };
};
type UpdateBody = IdParams & { Body: { backup: { name?: Text; description?: Text } } };
type ImportBody = { Body: { 'backup-record': { backup_service: string; backup_url: string } } };
type ActionBody = IdParams & { Body: { 'os-reset_status'?: { status: 'available' | 'error' } } };
type RestoreBody = IdParams & { Body: { restore?: { volume_id?: Text; name?: Text } | null } | undefined };

const flag = (value: Flag, key: string) => value !== undefined && parseBool(value, key);

export function backupRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { backups, backupRecords } = api.ops;
  const base = '/v3/:project_id/backups';
  const links = (b: Backup) => [
    { href: `${api.root()}/v3/${b.project_id}/backups/${b.id}`, rel: 'self' },
    { href: `${api.root()}/${b.project_id}/backups/${b.id}`, rel: 'bookmark' },
  ];
  const summary = (b: Backup) => ({ id: b.id, name: b.name, links: links(b) });
  const detail = async (call: Call, b: Backup) => ({
    id: b.id,
    name: b.name,
    description: b.description,
    status: b.status,
    size: b.size,
    volume_id: b.volume_id,
    snapshot_id: b.snapshot_id,
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
    ...(call.atLeast('3.18') && call.ctx.isAdmin ? { 'os-backup-project-attr:project_id': b.project_id } : {}),
    ...(call.atLeast('3.56') ? { user_id: b.user_id } : {}),
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
      snapshot_id: body.snapshot_id ?? null,
    });
    return reply.code(202).send({ backup: summary(backup) });
  });

  for (const full of [false, true]) {
    app.get(full ? `${base}/detail` : base, async (request, reply) => {
      const call = await begin(api, request, reply);
      const allTenants = querySingle(request.query as QueryInput, 'all_tenants');
      const list = await backups.list(call.ctx, allTenants !== undefined && parseBool(allTenants || 'true', 'all_tenants'));
      return { backups: full ? await Promise.all(list.map((b) => detail(call, b))) : list.map(summary) };
    });
  }

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { backup: await detail(call, await backups.get(call.ctx, request.params.id)) };
  });

  app.put<UpdateBody>(`${base}/:id`, async (request, reply) => {
    const call = await beginFrom(api, request, reply, '3.9');
    validateBody(request, backupUpdate);
    const { name, description } = request.body.backup;
    const changes = { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) };
    return { backup: summary(await backups.update(call.ctx, request.params.id, changes)) };
  });

  app.get<IdParams>(`${base}/:id/export_record`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { 'backup-record': await backupRecords.export(call.ctx, request.params.id) };
  });

  app.post<ImportBody>(`${base}/import_record`, { schema: { body: backupImport } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const backup = await backupRecords.import(call.ctx, request.body['backup-record']);
    return reply.code(201).send({ backup: summary(backup) });
  });

  app.post<ActionBody>(`${base}/:id/action`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = typeof request.body === 'object' && request.body !== null ? request.body : {};
    const name = Object.keys(body)[0] ?? '(none)';
    if (name !== 'os-reset_status') throw errors.noSuchAction(name);
    validateBody(request, backupResetStatus);
    const { status } = (request.body as Required<ActionBody['Body']>)['os-reset_status'];
    await backups.resetStatus(call.ctx, request.params.id, status);
    return reply.code(202).send();
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

/**
 * /servers/{id}/migrations: a server's live migrations in progress (2.23
 * list and show, `uuid` from 2.59, `user_id`/`project_id` from 2.80), force_complete (2.22) and abort by
 * DELETE (2.24). Earlier microversions do not have the routes (404).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestErrors } from '../errors.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { Migration } from '../store/index.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { migrationOwner } from './migrations.js';
import { naiveTime } from './timestamps.js';
import { withBody } from './schema.js';
import { forceComplete } from './schemas/server-migrations.js';

type MigrationParams = { Params: { id: string; migration: string } };

function since(version: Microversion, minimum: string): void {
  if (!atLeast(version, minimum)) throw requestErrors.resourceNotFound();
}

/** Nova's server_migrations output; the copy progress is unknown to Nimbus drivers (null, as Nova for drivers that do not report it). */
function view(migration: Migration, version: Microversion): Record<string, unknown> {
  return {
    created_at: naiveTime(migration.created_at),
    dest_compute: migration.dest_compute,
    dest_host: migration.dest_compute,
    dest_node: migration.dest_node,
    disk_processed_bytes: null,
    disk_remaining_bytes: null,
    disk_total_bytes: null,
    id: migration.id,
    memory_processed_bytes: null,
    memory_remaining_bytes: null,
    memory_total_bytes: null,
    server_uuid: migration.instance_uuid,
    source_compute: migration.source_compute,
    source_node: migration.source_node,
    status: migration.status,
    updated_at: naiveTime(migration.updated_at),
    ...(atLeast(version, '2.59') ? { uuid: migration.uuid } : {}),
    ...(atLeast(version, '2.80') ? migrationOwner(migration) : {}),
  };
}

export function serverMigrationRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/servers/:id/migrations`;

  app.get<{ Params: { id: string } }>(base, async (request) => {
    const version = versionOf(request);
    since(version, '2.23');
    const auth = await api.authenticate(request);
    return { migrations: (await ops.serverMigrations.list(auth, request.params.id)).map((m) => view(m, version)) };
  });

  app.get<MigrationParams>(`${base}/:migration`, async (request) => {
    const version = versionOf(request);
    since(version, '2.23');
    const auth = await api.authenticate(request);
    return { migration: view(await ops.serverMigrations.show(auth, request.params.id, request.params.migration), version) };
  });

  // Before 2.22 the route is not there (404), whoever asks and whatever the body.
  const forceCompleteRoute = { onRequest: async (request: FastifyRequest) => since(versionOf(request), '2.22'), ...withBody(api, forceComplete) };
  app.post<MigrationParams>(`${base}/:migration/action`, forceCompleteRoute, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.serverMigrations.forceComplete(auth, request.params.id, request.params.migration, request.id);
    return reply.code(202).send();
  });

  app.delete<MigrationParams>(`${base}/:migration`, async (request, reply) => {
    const version = versionOf(request);
    since(version, '2.24');
    const auth = await api.authenticate(request);
    await ops.serverMigrations.abort(auth, request.params.id, request.params.migration, request.id, atLeast(version, '2.65'));
    return reply.code(202).send();
  });
}

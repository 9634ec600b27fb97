/**
 * /os-migrations: every server's migrations (admin), with Nova's filters
 * (host, status, instance_uuid, source_compute, migration_type from 2.23),
 * `links` to in-progress live migrations and `migration_type` from 2.23,
 * `uuid`, limit/marker and changes-since from 2.59, changes-before from 2.66,
 * `user_id`/`project_id` (fields and filters) from 2.80.
 */
import type { FastifyInstance } from 'fastify';
import { migrationErrors, requestErrors } from '../errors.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { Migration, MigrationQuery } from '../store/index.js';
import { LIVE_MIGRATION_IN_PROGRESS } from '../service/server-migrations.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { naiveTime } from './timestamps.js';
import * as v from './validate.js';

/** Nova shows flavors' internal integer ids here; ours are the flavor ids, numeric for DevStack's. */
function flavorNumber(id: string | null): number | null {
  return id !== null && /^\d+$/.test(id) ? Number(id) : null;
}

/** The server owner's ids that 2.80 adds to every migration view (both os-migrations and a server's). */
export function migrationOwner(migration: Migration): { user_id: string | null; project_id: string | null } {
  return { user_id: migration.user_id, project_id: migration.project_id };
}

export function migrationView(api: ComputeApi, migration: Migration, version: Microversion) {
  const view: Record<string, unknown> = {
    id: migration.id,
    instance_uuid: migration.instance_uuid,
    status: migration.status,
    source_compute: migration.source_compute,
    source_node: migration.source_node,
    dest_compute: migration.dest_compute,
    dest_node: migration.dest_node,
    dest_host: migration.dest_compute,
    old_instance_type_id: flavorNumber(migration.old_flavor_id),
    new_instance_type_id: flavorNumber(migration.new_flavor_id),
    created_at: naiveTime(migration.created_at),
    updated_at: naiveTime(migration.updated_at),
  };
  if (atLeast(version, '2.23')) {
    view.migration_type = migration.migration_type;
    if (migration.migration_type === 'live-migration' && LIVE_MIGRATION_IN_PROGRESS.includes(migration.status)) {
      const path = `servers/${migration.instance_uuid}/migrations/${migration.id}`;
      view.links = [
        { rel: 'self', href: `${api.root}${V21}/${path}` },
        { rel: 'bookmark', href: `${api.root}/${path}` },
      ];
    }
  }
  if (atLeast(version, '2.59')) view.uuid = migration.uuid;
  if (atLeast(version, '2.80')) Object.assign(view, migrationOwner(migration));
  return view;
}

function changesTime(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw requestErrors.invalidQueryDateTime(field, value);
  return time.toISOString();
}

export function migrationRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  app.get(`${V21}/os-migrations`, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const q = request.query;
    const query: MigrationQuery = {};
    const set = (key: keyof MigrationQuery, param: string) => {
      const value = v.queryValue(q, param);
      if (value !== undefined) query[key] = value;
    };
    set('host', 'host');
    set('status', 'status');
    set('instanceUuid', 'instance_uuid');
    set('sourceCompute', 'source_compute');
    if (atLeast(version, '2.23')) set('migrationType', 'migration_type');
    if (atLeast(version, '2.80')) {
      set('userId', 'user_id');
      set('projectId', 'project_id');
    }
    const page: { limit?: number; marker?: string } = {};
    if (atLeast(version, '2.59')) {
      const since = changesTime(v.queryValue(q, 'changes-since'), 'changes-since');
      if (since !== undefined) query.changesSince = since;
      const limit = v.queryInt(q, 'limit', 0);
      const marker = v.queryValue(q, 'marker');
      if (limit !== undefined) page.limit = limit;
      if (marker !== undefined) page.marker = marker;
    }
    if (atLeast(version, '2.66')) {
      const before = changesTime(v.queryValue(q, 'changes-before'), 'changes-before');
      if (before !== undefined) {
        if (query.changesSince !== undefined && before < query.changesSince) {
          throw migrationErrors.changesSinceAfterBefore();
        }
        query.changesBefore = before;
      }
    }
    const migrations = await ops.migrations.list(auth, query, page);
    const body: Record<string, unknown> = { migrations: migrations.map((m) => migrationView(api, m, version)) };
    const last = migrations.at(-1);
    if (page.limit !== undefined && last && migrations.length === page.limit) {
      const params = new URLSearchParams(q as Record<string, string>);
      params.set('marker', last.uuid);
      body.migrations_links = [{ rel: 'next', href: `${api.root}${V21}/os-migrations?${params.toString()}` }];
    }
    return body;
  });
}

/**
 * `GET /v3/{project_id}/resource_filters` (3.33 on): which query filters each
 * list accepts, as Cinder's default resource_filters.json has them, for the
 * resources this service lists (`cinder list-filters`, the clients'
 * filter checks). Group and group snapshot lists take no filters here, so
 * they are not listed.
 */
import type { FastifyInstance } from 'fastify';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { notFound } from '../errors.js';
import { MESSAGE_FILTERS } from '../store/index.js';
import { begin, type VolumeApi } from './context.js';

const RESOURCE_FILTERS: Record<string, string[]> = {
  volume: ['name', 'status', 'metadata', 'bootable', 'migration_status', 'availability_zone', 'group_id', 'size', 'created_at', 'updated_at'],
  backup: ['name', 'status', 'volume_id'],
  snapshot: ['name', 'status', 'volume_id', 'metadata', 'availability_zone'],
  attachment: ['volume_id', 'status', 'instance_id', 'attach_status'],
  pool: ['name', 'volume_type'],
  volume_type: ['is_public', 'extra_specs'],
  message: [...MESSAGE_FILTERS],
};

const FROM_VERSION = '3.33';

export function resourceFilterRoutes(app: FastifyInstance, api: VolumeApi): void {
  app.get('/v3/:project_id/resource_filters', async (request, reply) => {
    const call = await begin(api, request, reply);
    if (!call.atLeast(FROM_VERSION)) throw notFound.needsVersion(FROM_VERSION);
    const resource = querySingle(request.query as QueryInput, 'resource');
    const names = resource === undefined ? Object.keys(RESOURCE_FILTERS) : Object.keys(RESOURCE_FILTERS).filter((name) => name === resource);
    return { resource_filters: names.map((name) => ({ resource: name, filters: RESOURCE_FILTERS[name] })) };
  });
}

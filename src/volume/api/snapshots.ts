/** `/v3/{project_id}/snapshots`: create, list, show, update, delete, metadata, admin actions. */
import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import { notFound } from '../errors.js';
import { entity, isObject, optBool, optString, reqString, stringMap } from './body.js';
import { metadataRoutes } from './metadata.js';
import { begin, type VolumeApi } from './context.js';
import { pageLinks, snapshotListRequest } from './list-query.js';
import { snapshotView } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };

export function snapshotRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { snapshots } = api.ops;
  const base = '/v3/:project_id/snapshots';

  app.post(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = entity(request.body, 'snapshot');
    const snapshot = await snapshots.create(
      call.ctx,
      {
        // Cinder looks the volume up before validating: a missing id is "Volume None could not be found".
        volume_id: optString(body, 'volume_id') ?? 'None',
        name: optString(body, 'name') ?? optString(body, 'display_name') ?? null,
        description: optString(body, 'description') ?? optString(body, 'display_description') ?? null,
        ...(body.metadata !== undefined && body.metadata !== null ? { metadata: stringMap(body.metadata, 'metadata') } : {}),
        force: optBool(body, 'force') ?? false,
      },
      { inUseAllowed: call.atLeast('3.66') },
    );
    return reply.code(202).send({ snapshot: snapshotView(call, snapshot, false) });
  });

  for (const detail of [false, true]) {
    app.get(detail ? `${base}/detail` : base, async (request, reply) => {
      const call = await begin(api, request, reply);
      const listing = snapshotListRequest(request);
      const page = await snapshots.list(call.ctx, listing);
      const links = pageLinks(call.url, page, listing.params.limit);
      return { snapshots: page.rows.map((s) => snapshotView(call, s, detail)), ...(links ? { snapshots_links: links } : {}) };
    });
  }

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { snapshot: snapshotView(call, await snapshots.get(call.ctx, request.params.id), true) };
  });

  app.put<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = entity(request.body, 'snapshot');
    const changes: { name?: string | null; description?: string | null } = {};
    const name = optString(body, 'name') ?? optString(body, 'display_name');
    if (name !== undefined) changes.name = name;
    const description = optString(body, 'description', 65535) ?? optString(body, 'display_description', 65535);
    if (description !== undefined) changes.description = description;
    if (Object.keys(changes).length === 0) throw new BadRequest('Invalid input received: name or description must be given.');
    return { snapshot: snapshotView(call, await snapshots.update(call.ctx, request.params.id, changes), false) };
  });

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await snapshots.delete(call.ctx, request.params.id);
    return reply.code(202).send();
  });

  app.post<IdParams>(`${base}/:id/action`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = isObject(request.body) ? request.body : {};
    if (isObject(body['os-reset_status'])) {
      await snapshots.resetStatus(call.ctx, request.params.id, reqString(body['os-reset_status'], 'status'));
    } else if ('os-force_delete' in body) {
      await snapshots.delete(call.ctx, request.params.id, true);
    } else {
      throw new BadRequest(`There is no such action: ${Object.keys(body)[0] ?? '(none)'}`);
    }
    return reply.code(202).send();
  });

  metadataRoutes(app, api, base, {
    metadata: (ctx, id) => snapshots.metadata(ctx, id),
    setMetadata: (ctx, id, values, replace) => snapshots.setMetadata(ctx, id, values, replace),
    deleteMetadata: (ctx, id, key) => snapshots.deleteMetadata(ctx, id, key),
    missingKey: (id, key) => notFound.snapshotMetadata(id, key),
  });
}

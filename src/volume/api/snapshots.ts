/** `/v3/{project_id}/snapshots`: create, list, show, update, delete, metadata, admin actions. */
import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../core/http/versioned-body.js';
import { errors, notFound } from '../errors.js';
import { parseBool } from './body.js';
import { metadataRoutes } from './metadata.js';
import { begin, type VolumeApi } from './context.js';
import { pageLinks, snapshotListRequest } from './list-query.js';
import { snapshotActions, snapshotCreate, snapshotUpdate } from './schemas.js';
import { snapshotView } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
type Text = string | null | undefined;
type Names = { name?: Text; display_name?: Text; description?: Text; display_description?: Text };
type CreateBody = { Body: { snapshot: Names & { volume_id?: Text; force?: boolean | string; metadata?: Record<string, string> | null } } };
type UpdateBody = IdParams & { Body: { snapshot: Names } };

export function snapshotRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { snapshots } = api.ops;
  const base = '/v3/:project_id/snapshots';

  app.post<CreateBody>(base, { schema: { body: snapshotCreate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = request.body.snapshot;
    const snapshot = await snapshots.create(
      call.ctx,
      {
        // Cinder looks the volume up before validating: a missing id is "Volume None could not be found".
        volume_id: body.volume_id ?? 'None',
        name: body.name ?? body.display_name ?? null,
        description: body.description ?? body.display_description ?? null,
        ...(body.metadata !== undefined && body.metadata !== null ? { metadata: body.metadata } : {}),
        force: body.force === undefined ? false : parseBool(body.force, 'force'),
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

  app.put<UpdateBody>(`${base}/:id`, { schema: { body: snapshotUpdate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = request.body.snapshot;
    const changes: { name?: string | null; description?: string | null } = {};
    const name = body.name ?? body.display_name;
    if (name !== undefined) changes.name = name;
    const description = body.description ?? body.display_description;
    if (description !== undefined) changes.description = description;
    if (Object.keys(changes).length === 0) throw errors.invalidInput('name or description must be given.');
    return { snapshot: snapshotView(call, await snapshots.update(call.ctx, request.params.id, changes), false) };
  });

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await snapshots.delete(call.ctx, request.params.id);
    return reply.code(202).send();
  });

  app.post<IdParams>(`${base}/:id/action`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const name = Object.keys(body)[0] ?? '(none)';
    const schema = snapshotActions[name];
    if (!schema) throw errors.noSuchAction(name);
    validateBody(request, schema);
    if (name === 'os-reset_status') {
      await snapshots.resetStatus(call.ctx, request.params.id, (body[name] as { status: string }).status);
    } else if (name === 'os-update_snapshot_status') {
      const { status, progress } = body[name] as { status: string; progress?: string };
      await snapshots.updateStatus(call.ctx, request.params.id, status, progress);
    } else {
      await snapshots.delete(call.ctx, request.params.id, true);
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

/** `/v3/{project_id}/volumes`: create, list (summary and detail), show, update, delete, summary, metadata. */
import type { FastifyInstance } from 'fastify';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { notFound } from '../errors.js';
import type { Volume, VolumeType } from '../store/index.js';
import type { NewVolume, VolumeChanges } from '../service/index.js';
import { parseBool, toInt } from './body.js';
import { metadataRoutes } from './metadata.js';
import { begin, checkVersionedBody, type Call, type VolumeApi } from './context.js';
import { volumeCreate, volumeUpdate } from './schemas.js';
import { pageLinks, volumeListRequest } from './list-query.js';
import { volumeDetail, volumeSummary } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
type Text = string | null | undefined;

/** POST /volumes' entity once its schema admitted it. */
interface VolumeCreateBody {
  size?: number | string | null;
  name?: Text;
  display_name?: Text;
  description?: Text;
  display_description?: Text;
  volume_type?: Text;
  availability_zone?: Text;
  snapshot_id?: Text;
  source_volid?: Text;
  imageRef?: Text;
  image_id?: Text;
  group_id?: Text;
  metadata?: Record<string, string> | null;
}

/** PUT /volumes/{id}'s entity once its schema admitted it. */
interface VolumeUpdateBody {
  name?: Text;
  display_name?: Text;
  description?: Text;
  display_description?: Text;
  metadata?: Record<string, string>;
}

export function volumeRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { volumes } = api.ops;
  const base = '/v3/:project_id/volumes';

  /** Renders volumes with their type names, each type read once. */
  const render = async (call: Call, list: Volume[], extended = true) => {
    const types = new Map<string, Promise<VolumeType>>();
    return Promise.all(
      list.map(async (volume) => {
        let type = types.get(volume.volume_type_id);
        if (!type) types.set(volume.volume_type_id, (type = api.ops.types.ofVolume(volume.volume_type_id)));
        return volumeDetail(call, api.root(), volume, await type, extended);
      }),
    );
  };

  app.post(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    checkVersionedBody(request, call, volumeCreate);
    const body = (request.body as { volume: VolumeCreateBody }).volume;
    const input: NewVolume = {
      size: body.size === undefined || body.size === null ? null : toInt(body.size),
      name: body.name ?? body.display_name ?? null,
      description: body.description ?? body.display_description ?? null,
      volume_type: body.volume_type ?? null,
      availability_zone: body.availability_zone ?? null,
      snapshot_id: body.snapshot_id ?? null,
      source_volid: body.source_volid ?? null,
      imageRef: body.imageRef ?? body.image_id ?? null,
      group_id: body.group_id ?? null,
    };
    if (body.metadata !== undefined && body.metadata !== null) input.metadata = body.metadata;
    const volume = await volumes.create(call.ctx, input);
    const [view] = await render(call, [volume], false);
    return reply.code(202).send({ volume: view });
  });

  app.get(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    // `/volumes/` is a show without an id to Cinder's router, not the list.
    if (request.url.split('?')[0]!.endsWith('/')) throw notFound.resource();
    const listing = volumeListRequest(request);
    const page = await volumes.list(call.ctx, listing);
    const links = pageLinks(call.url, page, listing.params.limit);
    return { volumes: page.rows.map((v) => volumeSummary(api.root(), v)), ...(links ? { volumes_links: links } : {}) };
  });

  app.get(`${base}/detail`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const listing = volumeListRequest(request);
    const page = await volumes.list(call.ctx, listing);
    const links = pageLinks(call.url, page, listing.params.limit);
    return { volumes: await render(call, page.rows), ...(links ? { volumes_links: links } : {}) };
  });

  app.get(`${base}/summary`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const allTenants = querySingle(request.query as QueryInput, 'all_tenants');
    const summary = await volumes.summary(call.ctx, allTenants !== undefined && parseBool(allTenants || 'true', 'all_tenants'));
    const view: Record<string, unknown> = { total_size: summary.total_size, total_count: summary.total_count };
    if (call.atLeast('3.36')) view.metadata = summary.metadata;
    return { 'volume-summary': view };
  });

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const [view] = await render(call, [await volumes.get(call.ctx, request.params.id)]);
    return { volume: view };
  });

  app.put<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    checkVersionedBody(request, call, volumeUpdate);
    const body = (request.body as { volume: VolumeUpdateBody }).volume;
    const changes: VolumeChanges = {};
    const name = body.name ?? body.display_name;
    if (name !== undefined) changes.name = name;
    const description = body.description ?? body.display_description;
    if (description !== undefined) changes.description = description;
    if (body.metadata) changes.metadata = body.metadata;
    const [view] = await render(call, [await volumes.update(call.ctx, request.params.id, changes)], false);
    return { volume: view };
  });

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const q = request.query as QueryInput;
    const flag = (name: string) => {
      const text = querySingle(q, name);
      return text !== undefined && parseBool(text, name);
    };
    await volumes.delete(call.ctx, request.params.id, { cascade: flag('cascade'), force: call.atLeast('3.23') && flag('force') });
    return reply.code(202).send();
  });

  metadataRoutes(app, api, base, {
    metadata: (ctx, id) => volumes.metadata(ctx, id),
    setMetadata: (ctx, id, values, replace) => volumes.setMetadata(ctx, id, values, replace),
    deleteMetadata: (ctx, id, key) => volumes.deleteMetadata(ctx, id, key),
    missingKey: (id, key) => notFound.volumeMetadata(id, key),
  });
}

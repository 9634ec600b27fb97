/**
 * A server's sub-resources: metadata, tags (2.26), ips and
 * os-instance-actions (a deleted server's too from 2.21; events for admins;
 * updated_at 2.58; host and hostId 2.62) and os-server-password.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestErrors, serverErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import type { ActionEvent, InstanceAction } from '../store/index.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { hostIdOf, plainAddresses } from './server-views.js';
import { withBody } from './schema.js';
import { replaceTags, setMetadata, setMetadataItem, TAG_PATTERN } from './schemas/server-metadata-tags.js';

type IdParams = { Params: { id: string } };
type KeyParams = { Params: { id: string; key: string } };

const TAG = new RegExp(TAG_PATTERN);

/** A tag named in the URI, checked as the schema checks one in a body. */
function tagInPath(value: string): string {
  if (value.length > 60) throw requestErrors.invalidField('tag', value, `'${value}' is too long`);
  if (value.length < 1 || !TAG.test(value)) throw requestErrors.invalidField('tag', value, `'${value}' does not match '${TAG_PATTERN}'`);
  return value;
}

/** Nova's action times: microseconds, no zone. */
function actionTime(iso: string | null): string | null {
  if (!iso) return null;
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/.exec(iso);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(6, '0').slice(0, 6)}` : iso;
}

export function serverSubresourceRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;

  app.get<IdParams>(`${V21}/servers/:id/metadata`, async (request) => {
    const auth = await api.authenticate(request);
    return { metadata: (await ops.servers.get(auth, request.params.id, 'os_compute_api:server-metadata:index')).attrs.metadata };
  });
  for (const [method, replace, rule] of [
    ['put', true, 'update_all'],
    ['post', false, 'create'],
  ] as const) {
    app[method]<IdParams & { Body: { metadata: Record<string, string> } }>(`${V21}/servers/:id/metadata`, withBody(api, setMetadata), async (request) => {
      const auth = await api.authenticate(request);
      const { metadata } = request.body;
      return { metadata: await ops.servers.setMetadata(auth, request.params.id, metadata, replace, `os_compute_api:server-metadata:${rule}`) };
    });
  }
  app.get<KeyParams>(`${V21}/servers/:id/metadata/:key`, async (request) => {
    const auth = await api.authenticate(request);
    const metadata = (await ops.servers.get(auth, request.params.id, 'os_compute_api:server-metadata:show')).attrs.metadata;
    if (!(request.params.key in metadata)) throw serverErrors.metadataItemNotFound();
    return { meta: { [request.params.key]: metadata[request.params.key] } };
  });
  app.put<KeyParams & { Body: { meta: Record<string, string> } }>(`${V21}/servers/:id/metadata/:key`, withBody(api, setMetadataItem), async (request) => {
    const auth = await api.authenticate(request);
    const { meta } = request.body;
    const keys = Object.keys(meta);
    if (keys.length !== 1) throw requestErrors.tooManyItems();
    if (keys[0] !== request.params.key) throw requestErrors.bodyUriMismatch();
    await ops.servers.setMetadata(auth, request.params.id, meta, false, 'os_compute_api:server-metadata:update');
    return { meta };
  });
  app.delete<KeyParams>(`${V21}/servers/:id/metadata/:key`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.servers.deleteMetadata(auth, request.params.id, request.params.key);
    return reply.code(204).send();
  });

  const requireTags = (version: ReturnType<typeof versionOf>) => {
    if (!atLeast(version, '2.26')) throw requestErrors.resourceNotFound();
  };
  app.get<IdParams>(`${V21}/servers/:id/tags`, async (request) => {
    requireTags(versionOf(request));
    const auth = await api.authenticate(request);
    return { tags: (await ops.servers.get(auth, request.params.id, 'os_compute_api:os-server-tags:index')).attrs.tags };
  });
  // Before 2.26 the route is not there (404), whatever the caller or body: checked before both.
  const tagsRoute = { onRequest: async (request: FastifyRequest) => requireTags(versionOf(request)), ...withBody(api, replaceTags) };
  app.put<IdParams & { Body: { tags: string[] } }>(`${V21}/servers/:id/tags`, tagsRoute, async (request) => {
    const auth = await api.authenticate(request);
    const { tags } = request.body;
    return { tags: await ops.servers.changeTags(auth, request.params.id, 'os_compute_api:os-server-tags:update_all', () => tags) };
  });
  app.delete<IdParams>(`${V21}/servers/:id/tags`, async (request, reply) => {
    requireTags(versionOf(request));
    const auth = await api.authenticate(request);
    await ops.servers.changeTags(auth, request.params.id, 'os_compute_api:os-server-tags:delete_all', () => []);
    return reply.code(204).send();
  });
  app.get<KeyParams>(`${V21}/servers/:id/tags/:key`, async (request, reply) => {
    requireTags(versionOf(request));
    const auth = await api.authenticate(request);
    const server = await ops.servers.get(auth, request.params.id, 'os_compute_api:os-server-tags:show');
    if (!server.attrs.tags.includes(request.params.key)) throw serverErrors.tagNotFound(request.params.key, server.id);
    return reply.code(204).send();
  });
  app.put<KeyParams>(`${V21}/servers/:id/tags/:key`, async (request, reply) => {
    requireTags(versionOf(request));
    const auth = await api.authenticate(request);
    const name = tagInPath(request.params.key);
    let existed = false;
    await ops.servers.changeTags(auth, request.params.id, 'os_compute_api:os-server-tags:update', (tags) => {
      existed = tags.includes(name);
      return [...tags, name];
    });
    const location = `${api.root}${V21}/servers/${request.params.id}/tags/${encodeURIComponent(name)}`;
    return reply
      .code(existed ? 204 : 201)
      .header('location', location)
      .send();
  });
  app.delete<KeyParams>(`${V21}/servers/:id/tags/:key`, async (request, reply) => {
    requireTags(versionOf(request));
    const auth = await api.authenticate(request);
    const key = request.params.key;
    await ops.servers.changeTags(auth, request.params.id, 'os_compute_api:os-server-tags:delete', (tags) => {
      if (!tags.includes(key)) throw serverErrors.tagNotFound(key, request.params.id);
      return tags.filter((t) => t !== key);
    });
    return reply.code(204).send();
  });

  app.get<IdParams>(`${V21}/servers/:id/ips`, async (request) => {
    const auth = await api.authenticate(request);
    const server = await ops.servers.get(auth, request.params.id, 'os_compute_api:ips:index');
    const addresses = (await ops.runtime.networking.addresses([server.id])).get(server.id) ?? {};
    return { addresses: plainAddresses(addresses) };
  });
  app.get<KeyParams>(`${V21}/servers/:id/ips/:key`, async (request) => {
    const auth = await api.authenticate(request);
    const server = await ops.servers.get(auth, request.params.id, 'os_compute_api:ips:show');
    const addresses = plainAddresses((await ops.runtime.networking.addresses([server.id])).get(server.id) ?? {});
    const list = addresses[request.params.key];
    if (!list) throw serverErrors.notOnNetwork();
    return { [request.params.key]: list };
  });

  app.get<IdParams>(`${V21}/servers/:id/os-instance-actions`, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const server = await ops.servers.get(auth, request.params.id, 'os_compute_api:os-instance-actions:list', { includeDeleted: atLeast(version, '2.21') });
    const actions = await ops.instanceActions.list(auth, server);
    return { instanceActions: actions.map((a) => actionView(a, version)) };
  });
  app.get<KeyParams>(`${V21}/servers/:id/os-instance-actions/:key`, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const server = await ops.servers.get(auth, request.params.id, 'os_compute_api:os-instance-actions:show', { includeDeleted: atLeast(version, '2.21') });
    const { action, showEvents } = await ops.instanceActions.get(auth, server, request.params.key);
    const view: Record<string, unknown> = actionView(action, version);
    if (showEvents || atLeast(version, '2.51')) view.events = action.events.map((e) => eventView(e, version, showEvents, server.projectId));
    return { instanceAction: view };
  });
  // The metadata service here takes no password a guest posts, so none is ever stored: shown empty, cleared as a no-op.
  app.get<IdParams>(`${V21}/servers/:id/os-server-password`, async (request) => {
    const auth = await api.authenticate(request);
    await ops.servers.get(auth, request.params.id, 'os_compute_api:os-server-password:show');
    return { password: '' };
  });
  app.delete<IdParams>(`${V21}/servers/:id/os-server-password`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.servers.get(auth, request.params.id, 'os_compute_api:os-server-password:clear');
    return reply.code(204).send();
  });
}

function actionView(action: InstanceAction, version: ReturnType<typeof versionOf>): Record<string, unknown> {
  const view: Record<string, unknown> = {
    action: action.action,
    instance_uuid: action.instanceUuid,
    message: action.message,
    project_id: action.projectId,
    request_id: action.requestId,
    start_time: actionTime(action.startTime),
    user_id: action.userId,
  };
  if (atLeast(version, '2.58')) view.updated_at = actionTime(action.updatedAt);
  return view;
}

function eventView(event: ActionEvent, version: ReturnType<typeof versionOf>, admin: boolean, projectId: string): Record<string, unknown> {
  const view: Record<string, unknown> = {
    event: event.event,
    start_time: actionTime(event.start_time),
    finish_time: actionTime(event.finish_time),
    result: event.result,
  };
  if (admin) view.traceback = event.traceback;
  if (atLeast(version, '2.62')) {
    if (admin) view.host = event.host ?? '';
    view.hostId = hostIdOf(projectId, event.host);
  }
  return view;
}

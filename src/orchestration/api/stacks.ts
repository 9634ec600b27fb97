/**
 * `/{project_id}/stacks`: list, create, preview, the name lookup's redirects,
 * and show, update (PUT and PATCH), update previews and delete of
 * `/stacks/{stack_name}/{stack_id}` (heat/api/openstack/v1/stacks.py).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JsonObject } from '../json.js';
import type { StackListQuery, StackRecord } from '../service/types.js';
import { begin, type Call, type HeatApi } from './context.js';
import { boolParam, multi, pageParams, queryValues, tagsParam, type QueryValues } from './params.js';
import { bodyObject, stackName, stackRequest } from './stack-body.js';
import { stackDetail, stackPreview, stackSummary, stackUrl } from './views.js';

export type StackParams = { project_id: string; stack_name: string; stack_id: string };

/** The stack a `/stacks/{stack_name}/{stack_id}/...` request names (404 unless both match, as Heat's identity check). */
export async function identifiedStack(api: HeatApi, request: FastifyRequest): Promise<{ call: Call; stack: StackRecord }> {
  const call = await begin(api, request);
  const { stack_name, stack_id } = request.params as StackParams;
  return { call, stack: await api.stacks.get(call.caller, stack_name, stack_id) };
}

/** Sub-paths `/stacks/{stack_name}/<path>` redirects to the stack's canonical URL (GET; POST only for the first four). */
const LOOKUP_GET_PATHS = ['resources', 'events', 'template', 'actions', 'environment', 'files'];
const LOOKUP_POST_PATHS = ['resources', 'events', 'template', 'actions'];

function listQuery(query: QueryValues): StackListQuery & { withCount: boolean } {
  const list: StackListQuery & { withCount: boolean } = { withCount: boolParam(query, 'with_count') ?? false };
  const name = multi(query, 'name') ?? multi(query, 'stack_name');
  if (name) list.name = name;
  const status = multi(query, 'status') ?? multi(query, 'stack_status');
  if (status) list.status = status;
  const action = multi(query, 'action') ?? multi(query, 'stack_action');
  if (action) list.action = action;
  const id = multi(query, 'id');
  if (id) list.id = id;
  const tagFilters = { tags: 'tags', tagsAny: 'tags_any', notTags: 'not_tags', notTagsAny: 'not_tags_any' } as const;
  for (const [field, key] of Object.entries(tagFilters) as Array<[keyof typeof tagFilters, string]>) {
    const tags = tagsParam(query, key);
    if (tags) list[field] = tags;
  }
  const flags = { showNested: 'show_nested', showHidden: 'show_hidden', showDeleted: 'show_deleted', globalTenant: 'global_tenant' } as const;
  for (const [field, key] of Object.entries(flags) as Array<[keyof typeof flags, string]>) {
    const value = boolParam(query, key);
    if (value !== undefined) list[field] = value;
  }
  return { ...list, ...pageParams(query) };
}

/** `next` when the page is full (views_common.get_collection_links): the same query with the last id as marker. */
function collectionLinks(request: FastifyRequest, projectUrl: string, ids: string[], limit: number | undefined): JsonObject[] {
  if (limit === undefined || ids.length === 0 || ids.length !== limit) return [];
  const params = new URLSearchParams(request.url.split('?')[1] ?? '');
  params.set('marker', ids[ids.length - 1]!);
  return [{ href: `${projectUrl}/stacks?${params.toString()}`, rel: 'next' }];
}

export function stackRoutes(app: FastifyInstance, api: HeatApi): void {
  const base = '/v1/:project_id/stacks';
  const fetchTemplate = (url: string) => api.fetchTemplate(url);

  app.get(base, async (request) => {
    const call = await begin(api, request);
    const query = listQuery(queryValues(request.query));
    const { withCount, ...filters } = query;
    const stacks = await api.stacks.list(call.caller, filters);
    const includeProject = api.isAdmin(call.caller);
    const body: JsonObject = { stacks: stacks.map((stack) => stackSummary(api.root(), stack, includeProject)) };
    const links = collectionLinks(
      request,
      call.projectUrl,
      stacks.map((stack) => stack.id),
      filters.limit,
    );
    if (links.length > 0) body['links'] = links;
    if (withCount) body['count'] = await api.stacks.count(call.caller, filters);
    return body;
  });

  app.get(`${base}/detail`, async (request) => {
    const call = await begin(api, request);
    const stacks = await api.stacks.list(call.caller, {});
    return { stacks: stacks.map((stack) => stackDetail(api.root(), stack, null)) };
  });

  app.post(base, async (request, reply) => {
    const call = await begin(api, request);
    const body = bodyObject(request.body);
    const stack = await api.stacks.create(call.caller, await stackRequest(body, stackName(body), { fetchTemplate }));
    const href = stackUrl(api.root(), stack);
    reply.code(201).header('location', href);
    return { stack: { id: stack.id, links: [{ href, rel: 'self' }] } };
  });

  app.post(`${base}/preview`, async (request) => {
    const call = await begin(api, request);
    const body = bodyObject(request.body);
    const preview = await api.stacks.preview(call.caller, await stackRequest(body, stackName(body), { fetchTemplate }));
    return { stack: stackPreview(api.root(), preview.stack, preview.resources) };
  });

  /** 302 to the stack's canonical URL, the sub-path and the query kept (StackController.lookup). */
  const lookup = async (request: FastifyRequest, reply: FastifyReply, path: string | null) => {
    const call = await begin(api, request);
    const { stack_name } = request.params as StackParams;
    const stack = await api.stacks.find(call.caller, stack_name);
    const query = request.url.split('?')[1];
    const location = `${stackUrl(api.root(), stack)}${path ? `/${path}` : ''}${query ? `?${query}` : ''}`;
    return reply.code(302).header('location', location).send();
  };
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: `${base}/:stack_name`, handler: (request, reply) => lookup(request, reply, null) });
  for (const path of LOOKUP_GET_PATHS) {
    const methods = LOOKUP_POST_PATHS.includes(path) ? ['GET', 'POST'] : ['GET'];
    app.route({ method: methods, url: `${base}/:stack_name/${path}`, handler: (request, reply) => lookup(request, reply, path) });
  }

  const stackPath = `${base}/:stack_name/:stack_id`;

  app.get(stackPath, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const resolveOutputs = boolParam(queryValues(request.query), 'resolve_outputs') ?? true;
    const deleted = stack.action === 'DELETE' && stack.status === 'COMPLETE';
    const outputs = resolveOutputs && !deleted ? await api.stacks.outputs(call.caller, stack.id) : null;
    return { stack: stackDetail(api.root(), stack, outputs) };
  });

  app.put(stackPath, async (request, reply) => {
    const { call, stack } = await identifiedStack(api, request);
    await api.stacks.update(call.caller, stack.id, await stackRequest(bodyObject(request.body), stack.name, { fetchTemplate, update: true }));
    return reply.code(202).send();
  });

  app.patch(stackPath, async (request, reply) => {
    const { call, stack } = await identifiedStack(api, request);
    const options = { fetchTemplate, update: true, patch: true, existingTemplate: stack.template };
    await api.stacks.update(call.caller, stack.id, await stackRequest(bodyObject(request.body), stack.name, options));
    return reply.code(202).send();
  });

  app.delete(stackPath, async (request, reply) => {
    const { call, stack } = await identifiedStack(api, request);
    await api.stacks.delete(call.caller, stack.id);
    return reply.code(204).send();
  });

  const previewUpdate = (patch: boolean) => async (request: FastifyRequest) => {
    const { call, stack } = await identifiedStack(api, request);
    const options = { fetchTemplate, update: true, patch, existingTemplate: stack.template };
    const changes = await api.stacks.previewUpdate(call.caller, stack.id, await stackRequest(bodyObject(request.body), stack.name, options));
    return { resource_changes: changes };
  };
  app.put(`${stackPath}/preview`, previewUpdate(false));
  app.patch(`${stackPath}/preview`, previewUpdate(true));
}

/**
 * `/stacks/{stack_name}/{stack_id}/resources`: list (filters, nested_depth,
 * with_detail), show with attributes, metadata, signal and PATCH
 * mark_unhealthy (heat/api/openstack/v1/resources.py), and the events
 * under them and the stack (events.py).
 */
import type { FastifyInstance } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type Json } from '../json.js';
import type { EventListQuery, ResourceListQuery, ResourceRecord, StackRecord } from '../service/types.js';
import { apiErrors } from '../errors/api.js';
import type { HeatApi } from './context.js';
import { boolParam, intParam, multi, pageParams, parseBool, queryValues, single, type QueryValues } from './params.js';
import { identifiedStack } from './stacks.js';
import { eventView, resourceView, type StackRef } from './views.js';

type ResourceParams = { resource_name: string };

const RESOURCE_FILTERS = { type: 'type', status: 'status', name: 'name', action: 'action', id: 'id', physicalResourceId: 'physical_resource_id' } as const;

function resourceQuery(query: QueryValues): ResourceListQuery {
  const allowed = [...Object.values(RESOURCE_FILTERS), 'nested_depth', 'with_detail'];
  const invalid = Object.keys(query).filter((key) => !allowed.includes(key));
  if (invalid.length > 0) throw apiErrors.invalidFilters(invalid);
  const list: ResourceListQuery = { nestedDepth: intParam(query, 'nested_depth') ?? 0, withDetail: boolParam(query, 'with_detail') ?? false };
  for (const [field, key] of Object.entries(RESOURCE_FILTERS) as Array<[keyof typeof RESOURCE_FILTERS, string]>) {
    const values = multi(query, key);
    if (values) list[field] = values;
  }
  return list;
}

function eventQuery(query: QueryValues, resourceName: string | undefined): EventListQuery {
  const list: EventListQuery = {};
  if (resourceName !== undefined) list.resourceName = resourceName;
  const filters = { resourceAction: 'resource_action', resourceStatus: 'resource_status', resourceType: 'resource_type' } as const;
  for (const [field, key] of Object.entries(filters) as Array<[keyof typeof filters, string]>) {
    const values = multi(query, key);
    if (values) list[field] = values;
  }
  const nameFilter = single(query, 'resource_name');
  if (resourceName === undefined && nameFilter !== undefined) list.resourceName = nameFilter;
  const nestedDepth = intParam(query, 'nested_depth');
  if (nestedDepth !== undefined) list.nestedDepth = nestedDepth;
  return { ...list, ...pageParams(query) };
}

/** The stacks resources and events belong to (the top one, or nested ones under nested_depth), each looked up once. */
function stackRefs(api: HeatApi, caller: CallerContext, top: StackRecord): (id: string | null) => Promise<StackRef | undefined> {
  const known = new Map<string, Promise<StackRef>>([[top.id, Promise.resolve(top)]]);
  return async (id) => {
    if (id === null) return undefined;
    let ref = known.get(id);
    if (!ref) known.set(id, (ref = api.stacks.find(caller, id)));
    return ref;
  };
}

export function resourceRoutes(app: FastifyInstance, api: HeatApi): void {
  const stackPath = '/v1/:project_id/stacks/:stack_name/:stack_id';
  const resourcePath = `${stackPath}/resources/:resource_name`;

  const render = async (caller: CallerContext, top: StackRecord, resources: ResourceRecord[]) => {
    const refs = stackRefs(api, caller, top);
    return Promise.all(
      resources.map(async (resource) => {
        const own = (await refs(resource.stackId)) ?? top;
        const nested = await refs(resource.nestedStackId);
        return resourceView(api.root(), own, resource, nested ? { nested } : {});
      }),
    );
  };

  app.get(`${stackPath}/resources`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const resources = await api.stacks.resources(call.caller, stack.id, resourceQuery(queryValues(request.query)));
    return { resources: await render(call.caller, stack, resources) };
  });

  app.get(resourcePath, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const { resource_name } = request.params as ResourceParams;
    const resource = await api.stacks.resource(call.caller, stack.id, resource_name);
    const refs = stackRefs(api, call.caller, stack);
    const nested = await refs(resource.nestedStackId);
    const extra = { attributes: resource.attributes, parentResource: stack.parentResourceName, ...(nested ? { nested } : {}) };
    return { resource: resourceView(api.root(), stack, resource, extra) };
  });

  app.get(`${resourcePath}/metadata`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const { resource_name } = request.params as ResourceParams;
    return { metadata: await api.stacks.resourceMetadata(call.caller, stack.id, resource_name) };
  });

  app.post(`${resourcePath}/signal`, async (request, reply) => {
    const { call, stack } = await identifiedStack(api, request);
    const { resource_name } = request.params as ResourceParams;
    const details = request.body === undefined || request.body === '' ? null : (request.body as Json);
    await api.stacks.signal(call.caller, stack.id, resource_name, details);
    return reply.code(200).send();
  });

  app.patch(resourcePath, async (request, reply) => {
    const { call, stack } = await identifiedStack(api, request);
    const { resource_name } = request.params as ResourceParams;
    const body = request.body as Json | undefined;
    const fields = isJsonObject(body) ? body : {};
    const invalid = Object.keys(fields).filter((key) => key !== 'mark_unhealthy' && key !== 'resource_status_reason');
    if (invalid.length > 0) throw apiErrors.markUnhealthyKeys(invalid);
    const mark = fields['mark_unhealthy'];
    if (mark === undefined) throw apiErrors.markUnhealthyMissing();
    const unhealthy = typeof mark === 'boolean' ? mark : parseBool('mark_unhealthy', String(mark));
    const reason = fields['resource_status_reason'];
    await api.stacks.markUnhealthy(call.caller, stack.id, resource_name, unhealthy, typeof reason === 'string' ? reason : '');
    return reply.code(200).send();
  });

  const renderEvents = async (caller: CallerContext, top: StackRecord, resourceName: string | undefined, query: QueryValues) => {
    const events = await api.stacks.events(caller, top.id, eventQuery(query, resourceName));
    const refs = stackRefs(api, caller, top);
    return Promise.all(events.map(async (event) => eventView(api.root(), (await refs(event.stackId)) ?? top, event, false)));
  };

  app.get(`${stackPath}/events`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    return { events: await renderEvents(call.caller, stack, undefined, queryValues(request.query)) };
  });

  app.get(`${resourcePath}/events`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const { resource_name } = request.params as ResourceParams;
    return { events: await renderEvents(call.caller, stack, resource_name, queryValues(request.query)) };
  });

  app.get(`${resourcePath}/events/:event_id`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const { resource_name, event_id } = request.params as ResourceParams & { event_id: string };
    return { event: eventView(api.root(), stack, await api.stacks.event(call.caller, stack.id, resource_name, event_id), true) };
  });
}

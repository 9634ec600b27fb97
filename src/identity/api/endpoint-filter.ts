/** /v3/OS-EP-FILTER: endpoint groups and the endpoints and groups associated with projects. */
import type { FastifyInstance } from 'fastify';
import type { EndpointGroup } from '../store/index.js';
import { collectionRoutes, endpointView } from './catalog.js';
import type { IdentityApi } from './context.js';
import { queryString } from './query.js';
import { nameSchema, wrapped } from './schemas.js';
import { listLinks, projectView } from './views.js';

type Json = Record<string, unknown>;

const PREFIX = '/OS-EP-FILTER';
const GROUPS = `${PREFIX}/endpoint_groups`;

/** keystone/catalog/schema.py: filters name endpoint attributes; which ones is the service's check. */
const groupProperties = {
  description: { type: ['string', 'null'] },
  filters: {
    type: 'object',
    properties: {
      interface: { type: 'string', enum: ['admin', 'internal', 'public'] },
      service_id: { type: 'string' },
      region_id: { type: ['string', 'null'] },
      enabled: { type: 'boolean' },
    },
  },
  name: nameSchema,
};

function groupView(api: IdentityApi, g: EndpointGroup): Json {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    filters: JSON.parse(g.filters) as Json,
    links: { self: api.url(`${GROUPS}/${g.id}`) },
  };
}

export function endpointFilterRoutes(app: FastifyInstance, api: IdentityApi): void {
  const filter = api.ops.endpointFilter;

  collectionRoutes<EndpointGroup>(app, api, {
    path: GROUPS,
    member: 'endpoint_group',
    collection: 'endpoint_groups',
    view: (g) => groupView(api, g),
    create: {
      schema: wrapped('endpoint_group', { properties: groupProperties, additionalProperties: false }, ['name', 'filters']),
      run: (auth, body) => filter.createGroup(auth, body),
    },
    list: (auth, query) => filter.listGroups(auth, { name: queryString(query, 'name') }),
    get: (auth, id) => filter.getGroup(auth, id),
    update: {
      schema: wrapped('endpoint_group', { properties: groupProperties, minProperties: 1, additionalProperties: false }),
      run: (auth, id, patch) => filter.updateGroup(auth, id, patch),
    },
    remove: (auth, id) => filter.deleteGroup(auth, id),
  });

  type GroupParams = { Params: { id: string } };
  app.get<GroupParams>(`/v3${GROUPS}/:id/endpoints`, async (request) => {
    const auth = await api.authenticate(request);
    const endpoints = await filter.endpointsOfGroup(auth, request.params.id);
    return { endpoints: endpoints.map((e) => endpointView(api, e)), links: listLinks(api, `${GROUPS}/${request.params.id}/endpoints`) };
  });
  app.get<GroupParams>(`/v3${GROUPS}/:id/projects`, async (request) => {
    const auth = await api.authenticate(request);
    const projects = await filter.projectsOfGroup(auth, request.params.id);
    return { projects: projects.map((p) => projectView(api, p)), links: listLinks(api, `${GROUPS}/${request.params.id}/projects`) };
  });

  type MembershipParams = { Params: { id: string; projectId: string } };
  const membership = `/v3${GROUPS}/:id/projects/:projectId`;
  app.get<MembershipParams>(membership, async (request) => {
    const auth = await api.authenticate(request);
    const { id, projectId } = request.params;
    await filter.checkGroupInProject(auth, id, projectId);
    return {
      project_endpoint_group: { endpoint_group_id: id, project_id: projectId, links: { self: api.url(`${GROUPS}/${id}/projects/${projectId}`) } },
    };
  });
  app.put<MembershipParams>(membership, async (request, reply) => {
    const auth = await api.authenticate(request);
    await filter.addGroupToProject(auth, request.params.id, request.params.projectId);
    return reply.code(204).send();
  });
  app.delete<MembershipParams>(membership, async (request, reply) => {
    const auth = await api.authenticate(request);
    await filter.removeGroupFromProject(auth, request.params.id, request.params.projectId);
    return reply.code(204).send();
  });

  type ProjectParams = { Params: { projectId: string } };
  app.get<ProjectParams>(`/v3${PREFIX}/projects/:projectId/endpoint_groups`, async (request) => {
    const auth = await api.authenticate(request);
    const groups = await filter.groupsOfProject(auth, request.params.projectId);
    return { endpoint_groups: groups.map((g) => groupView(api, g)), links: listLinks(api, `${PREFIX}/projects/${request.params.projectId}/endpoint_groups`) };
  });
  app.get<ProjectParams>(`/v3${PREFIX}/projects/:projectId/endpoints`, async (request) => {
    const auth = await api.authenticate(request);
    const endpoints = await filter.endpointsOfProject(auth, request.params.projectId);
    return { endpoints: endpoints.map((e) => endpointView(api, e)), links: listLinks(api, `${PREFIX}/projects/${request.params.projectId}/endpoints`) };
  });

  type AssociationParams = { Params: { projectId: string; endpointId: string } };
  const association = `/v3${PREFIX}/projects/:projectId/endpoints/:endpointId`;
  app.get<AssociationParams>(association, async (request, reply) => {
    const auth = await api.authenticate(request);
    await filter.checkEndpointInProject(auth, request.params.projectId, request.params.endpointId);
    return reply.code(204).send();
  });
  // HEAD is Fastify's automatic twin of the GET above.
  app.put<AssociationParams>(association, async (request, reply) => {
    const auth = await api.authenticate(request);
    await filter.addEndpointToProject(auth, request.params.projectId, request.params.endpointId);
    return reply.code(204).send();
  });
  app.delete<AssociationParams>(association, async (request, reply) => {
    const auth = await api.authenticate(request);
    await filter.removeEndpointFromProject(auth, request.params.projectId, request.params.endpointId);
    return reply.code(204).send();
  });

  app.get<{ Params: { endpointId: string } }>(`/v3${PREFIX}/endpoints/:endpointId/projects`, async (request) => {
    const auth = await api.authenticate(request);
    const projects = await filter.projectsOfEndpoint(auth, request.params.endpointId);
    return { projects: projects.map((p) => projectView(api, p)), links: listLinks(api, `${PREFIX}/endpoints/${request.params.endpointId}/projects`) };
  });
}

/**
 * `/v2.0/agents` (list, show, update, delete; agents register themselves, so
 * a POST is Neutron's 501) with the scheduler sub-resources:
 * `/agents/{id}/dhcp-networks`, `/networks/{id}/dhcp-agents`,
 * `/agents/{id}/l3-routers`, `/routers/{id}/l3-agents`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotImplemented } from '../../core/errors.js';
import type { QueryInput } from '../../core/pagination/index.js';
import { errors } from '../errors.js';
import type { NeutronObject } from '../service/objects.js';
import { requestUrl, type NetworkApi } from './context.js';
import { listObjects, pick, selectedFields } from './listing.js';

type IdParams = { Params: { id: string } };
type PairParams = { Params: { id: string; other: string } };

export function agentRoutes(app: FastifyInstance, api: NetworkApi): void {
  const agents = api.ops.agents;
  const listed = (key: string, objects: NeutronObject[], request: FastifyRequest) => {
    const { items, links } = listObjects(objects, request.query as QueryInput, requestUrl(api, request));
    return links.length > 0 ? { [key]: items, [`${key}_links`]: links } : { [key]: items };
  };

  app.get('/v2.0/agents', async (request) => listed('agents', await agents.list(await api.authenticate(request)), request));
  app.post('/v2.0/agents', async (request) => {
    await api.authenticate(request);
    throw new NotImplemented('Agents register themselves; they cannot be created through the API.', { type: 'HTTPNotImplemented' });
  });
  app.get<IdParams>('/v2.0/agents/:id', async (request) => ({
    agent: pick(await agents.get(await api.authenticate(request), request.params.id), selectedFields(request.query as QueryInput)),
  }));
  app.put<IdParams>('/v2.0/agents/:id', async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body as { agent?: unknown } | undefined;
    if (!body || typeof body !== 'object' || !('agent' in body)) throw errors.missingResource('agent');
    return { agent: await agents.update(auth, request.params.id, body.agent) };
  });
  app.delete<IdParams>('/v2.0/agents/:id', async (request, reply) => {
    await agents.delete(await api.authenticate(request), request.params.id);
    return reply.code(204).send();
  });

  app.get<IdParams>('/v2.0/agents/:id/dhcp-networks', async (request) =>
    listed('networks', await agents.networksOfDhcpAgent(await api.authenticate(request), request.params.id), request),
  );
  app.post<IdParams>('/v2.0/agents/:id/dhcp-networks', async (request, reply) => {
    await agents.addNetworkToDhcpAgent(await api.authenticate(request), request.params.id, request.body);
    // Neutron's controller returns nothing, which its serializer writes as JSON `null`.
    return reply.code(201).type('application/json').send('null');
  });
  app.delete<PairParams>('/v2.0/agents/:id/dhcp-networks/:other', async (request, reply) => {
    await agents.removeNetworkFromDhcpAgent(await api.authenticate(request), request.params.id, request.params.other);
    return reply.code(204).send();
  });
  app.get<IdParams>('/v2.0/networks/:id/dhcp-agents', async (request) =>
    listed('agents', await agents.dhcpAgentsOfNetwork(await api.authenticate(request), request.params.id), request),
  );

  app.get<IdParams>('/v2.0/agents/:id/l3-routers', async (request) =>
    listed('routers', await agents.routersOfL3Agent(await api.authenticate(request), request.params.id), request),
  );
  app.post<IdParams>('/v2.0/agents/:id/l3-routers', async (request) =>
    agents.addRouterToL3Agent(await api.authenticate(request), request.params.id, request.body),
  );
  app.delete<PairParams>('/v2.0/agents/:id/l3-routers/:other', async (request) =>
    agents.removeRouterFromL3Agent(await api.authenticate(request), request.params.id, request.params.other),
  );
  app.get<IdParams>('/v2.0/routers/:id/l3-agents', async (request) =>
    listed('agents', await agents.l3AgentsOfRouter(await api.authenticate(request), request.params.id), request),
  );
}

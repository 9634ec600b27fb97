/**
 * /v3/OS-FEDERATION: identity_providers (and their protocols), mappings and
 * service_providers. Created with PUT at the id the caller chooses, as Keystone.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { toBool } from '../../core/db/values.js';
import type { JsonObject } from '../../core/json.js';
import type { IdentityProviderRequest, IdentityProviderWithRemoteIds, ServiceProviderRequest } from '../service/federation.js';
import type { FederationProtocol, Mapping, ServiceProvider } from '../store/index.js';
import type { IdentityApi } from './context.js';
import { queryBool, queryString, type Query } from './query.js';
import { listLinks } from './views.js';

type Json = Record<string, unknown>;
type Id = { Params: { id: string } };
type ProtocolParams = { Params: { idp_id: string; protocol_id: string } };

const BASE = '/OS-FEDERATION';
const nullableString = { type: ['string', 'null'] } as const;

/** keystone/federation/schema.py: a body of one object under `key`, with only these attributes. */
function body(key: string, properties: object, required: string[] = [], minProperties = 0) {
  return {
    type: 'object',
    required: [key],
    additionalProperties: false,
    properties: { [key]: { type: 'object', additionalProperties: false, required, minProperties, properties } },
  } as const;
}

const idpProperties = {
  enabled: { type: 'boolean' },
  description: nullableString,
  remote_ids: { type: ['array', 'null'], items: { type: 'string', maxLength: 255 } },
  authorization_ttl: { type: ['integer', 'null'], minimum: 0 },
};
const idpCreate = body('identity_provider', { ...idpProperties, domain_id: { type: ['string', 'null'], minLength: 1, maxLength: 64 } });
const idpUpdate = body('identity_provider', idpProperties, [], 1);
const protocolBody = body(
  'protocol',
  { mapping_id: { type: 'string', minLength: 1, maxLength: 64 }, remote_id_attribute: { type: ['string', 'null'], maxLength: 64 } },
  ['mapping_id'],
);
/** Rules are checked against the mapping's own schema version (federation/mapping-schema.ts). */
const mappingBody = { type: 'object', required: ['mapping'], additionalProperties: false, properties: { mapping: { type: 'object' } } } as const;
const url = { type: 'string', pattern: '^https?://' };
const spProperties = { auth_url: url, sp_url: url, description: nullableString, enabled: { type: 'boolean' }, relay_state_prefix: nullableString };
const spCreate = body('service_provider', spProperties, ['auth_url', 'sp_url']);
const spUpdate = body('service_provider', spProperties, [], 1);

function idpView(api: IdentityApi, idp: IdentityProviderWithRemoteIds): Json {
  const self = api.url(`${BASE}/identity_providers/${idp.id}`);
  return {
    id: idp.id,
    enabled: toBool(idp.enabled),
    description: idp.description,
    remote_ids: idp.remote_ids,
    domain_id: idp.domain_id,
    authorization_ttl: idp.authorization_ttl,
    links: { self, protocols: `${self}/protocols` },
  };
}

function protocolView(api: IdentityApi, p: FederationProtocol): Json {
  const idp = api.url(`${BASE}/identity_providers/${p.idp_id}`);
  return {
    id: p.id,
    mapping_id: p.mapping_id,
    remote_id_attribute: p.remote_id_attribute,
    links: { self: `${idp}/protocols/${p.id}`, identity_provider: idp },
  };
}

function mappingView(api: IdentityApi, m: Mapping): Json {
  return { id: m.id, rules: JSON.parse(m.rules) as unknown, schema_version: m.schema_version, links: { self: api.url(`${BASE}/mappings/${m.id}`) } };
}

function spView(api: IdentityApi, sp: ServiceProvider): Json {
  return {
    id: sp.id,
    auth_url: sp.auth_url,
    sp_url: sp.sp_url,
    description: sp.description,
    enabled: toBool(sp.enabled),
    relay_state_prefix: sp.relay_state_prefix,
    links: { self: api.url(`${BASE}/service_providers/${sp.id}`) },
  };
}

function listFilter(query: Query): { id?: string; enabled?: boolean } {
  const id = queryString(query, 'id');
  const enabled = queryBool(query, 'enabled');
  return { ...(id !== undefined && { id }), ...(enabled !== undefined && { enabled }) };
}

export function federationRoutes(app: FastifyInstance, api: IdentityApi): void {
  const federation = api.ops.federation;
  const idps = `/v3${BASE}/identity_providers`;

  app.put<Id>(`${idps}/:id`, { schema: { body: idpCreate } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const created = await federation.createIdentityProvider(
      auth,
      request.params.id,
      (request.body as { identity_provider: IdentityProviderRequest }).identity_provider,
    );
    return reply.code(201).send({ identity_provider: idpView(api, created) });
  });
  app.get(idps, async (request) => {
    const auth = await api.authenticate(request);
    const list = await federation.listIdentityProviders(auth, listFilter(request.query as Query));
    return { identity_providers: list.map((idp) => idpView(api, idp)), links: listLinks(api, `${BASE}/identity_providers`) };
  });
  app.get<Id>(`${idps}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    return { identity_provider: idpView(api, await federation.getIdentityProvider(auth, request.params.id)) };
  });
  app.patch<Id>(`${idps}/:id`, { schema: { body: idpUpdate } }, async (request) => {
    const auth = await api.authenticate(request);
    const updated = await federation.updateIdentityProvider(
      auth,
      request.params.id,
      (request.body as { identity_provider: IdentityProviderRequest }).identity_provider,
    );
    return { identity_provider: idpView(api, updated) };
  });
  app.delete<Id>(`${idps}/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await federation.deleteIdentityProvider(auth, request.params.id);
    return reply.code(204).send();
  });

  const protocol = `${idps}/:idp_id/protocols/:protocol_id`;
  const putProtocol = async (request: FastifyRequest<ProtocolParams>, creating: boolean) => {
    const auth = await api.authenticate(request);
    const { protocol: fields } = request.body as { protocol: { mapping_id: string; remote_id_attribute?: string | null } };
    return { protocol: protocolView(api, await federation.putProtocol(auth, request.params.idp_id, request.params.protocol_id, fields, creating)) };
  };
  app.put<ProtocolParams>(protocol, { schema: { body: protocolBody } }, async (request, reply) => reply.code(201).send(await putProtocol(request, true)));
  app.patch<ProtocolParams>(protocol, { schema: { body: protocolBody } }, async (request) => putProtocol(request, false));
  app.get<{ Params: { idp_id: string } }>(`${idps}/:idp_id/protocols`, async (request) => {
    const auth = await api.authenticate(request);
    const list = await federation.listProtocols(auth, request.params.idp_id);
    return { protocols: list.map((p) => protocolView(api, p)), links: listLinks(api, `${BASE}/identity_providers/${request.params.idp_id}/protocols`) };
  });
  app.get<ProtocolParams>(protocol, async (request) => {
    const auth = await api.authenticate(request);
    return { protocol: protocolView(api, await federation.getProtocol(auth, request.params.idp_id, request.params.protocol_id)) };
  });
  app.delete<ProtocolParams>(protocol, async (request, reply) => {
    const auth = await api.authenticate(request);
    await federation.deleteProtocol(auth, request.params.idp_id, request.params.protocol_id);
    return reply.code(204).send();
  });

  const mappings = `/v3${BASE}/mappings`;
  app.put<Id>(`${mappings}/:id`, { schema: { body: mappingBody } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const created = await federation.putMapping(auth, request.params.id, (request.body as { mapping: JsonObject }).mapping, true);
    return reply.code(201).send({ mapping: mappingView(api, created) });
  });
  app.patch<Id>(`${mappings}/:id`, { schema: { body: mappingBody } }, async (request) => {
    const auth = await api.authenticate(request);
    return { mapping: mappingView(api, await federation.putMapping(auth, request.params.id, (request.body as { mapping: JsonObject }).mapping, false)) };
  });
  app.get(mappings, async (request) => {
    const auth = await api.authenticate(request);
    return { mappings: (await federation.listMappings(auth)).map((m) => mappingView(api, m)), links: listLinks(api, `${BASE}/mappings`) };
  });
  app.get<Id>(`${mappings}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    return { mapping: mappingView(api, await federation.getMapping(auth, request.params.id)) };
  });
  app.delete<Id>(`${mappings}/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await federation.deleteMapping(auth, request.params.id);
    return reply.code(204).send();
  });

  const sps = `/v3${BASE}/service_providers`;
  app.put<Id>(`${sps}/:id`, { schema: { body: spCreate } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const created = await federation.createServiceProvider(
      auth,
      request.params.id,
      (request.body as { service_provider: ServiceProviderRequest }).service_provider,
    );
    return reply.code(201).send({ service_provider: spView(api, created) });
  });
  app.get(sps, async (request) => {
    const auth = await api.authenticate(request);
    const list = await federation.listServiceProviders(auth, listFilter(request.query as Query));
    return { service_providers: list.map((sp) => spView(api, sp)), links: listLinks(api, `${BASE}/service_providers`) };
  });
  app.get<Id>(`${sps}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    return { service_provider: spView(api, await federation.getServiceProvider(auth, request.params.id)) };
  });
  app.patch<Id>(`${sps}/:id`, { schema: { body: spUpdate } }, async (request) => {
    const auth = await api.authenticate(request);
    const updated = await federation.updateServiceProvider(
      auth,
      request.params.id,
      (request.body as { service_provider: ServiceProviderRequest }).service_provider,
    );
    return { service_provider: spView(api, updated) };
  });
  app.delete<Id>(`${sps}/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await federation.deleteServiceProvider(auth, request.params.id);
    return reply.code(204).send();
  });
}

/** `POST /v2.0/flavors/{id}/service_profiles` and `DELETE .../service_profiles/{profile_id}`: binding flavors to service profiles. */
import type { FastifyInstance } from 'fastify';
import type { NetworkApi } from './context.js';

type BindRequest = { Params: { id: string }; Body: { service_profile: { id: string } } };
type UnbindRequest = { Params: { id: string; profile: string } };

const bindSchema = {
  body: {
    type: 'object',
    required: ['service_profile'],
    properties: {
      service_profile: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string', maxLength: 255 } },
        additionalProperties: false,
      },
    },
  },
};

export function flavorProfileRoutes(app: FastifyInstance, api: NetworkApi): void {
  app.post<BindRequest>('/v2.0/flavors/:id/service_profiles', { schema: bindSchema }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const bound = await api.ops.flavors.bindProfile(auth, request.params.id, request.body.service_profile.id);
    return reply.code(201).send({ service_profile: bound });
  });
  app.delete<UnbindRequest>('/v2.0/flavors/:id/service_profiles/:profile', async (request, reply) => {
    await api.ops.flavors.unbindProfile(await api.authenticate(request), request.params.id, request.params.profile);
    return reply.code(204).send();
  });
}

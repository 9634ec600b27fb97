/** /v3/users/{user_id}/credentials/OS-EC2 (Keystone's OS-EC2 extension) */
import type { FastifyInstance } from 'fastify';
import type { Ec2Credential } from '../service/ec2-credentials.js';
import type { IdentityApi } from './context.js';
import { listLinks } from './views.js';

type UserParams = { Params: { user_id: string } };
type Params = { Params: { user_id: string; access: string } };

/** Keystone validates no schema here: any JSON object, `tenant_id` read from it. */
const createSchema = { type: 'object' } as const;

function basePath(userId: string): string {
  return `/users/${userId}/credentials/OS-EC2`;
}

/** As Keystone renders it: the project as `tenant_id`, the secret every time, linked by access key. */
function ec2View(api: IdentityApi, c: Ec2Credential): Record<string, unknown> {
  return {
    user_id: c.userId,
    tenant_id: c.projectId,
    access: c.access,
    secret: c.secret,
    trust_id: c.trustId,
    links: { self: api.url(`${basePath(c.userId)}/${c.access}`) },
  };
}

export function ec2CredentialRoutes(app: FastifyInstance, api: IdentityApi): void {
  const ec2 = api.ops.ec2Credentials;

  app.post<UserParams>('/v3/users/:user_id/credentials/OS-EC2', { schema: { body: createSchema } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body as { tenant_id?: unknown };
    return reply.code(201).send({ credential: ec2View(api, await ec2.create(auth, request.params.user_id, body.tenant_id)) });
  });

  app.get<UserParams>('/v3/users/:user_id/credentials/OS-EC2', async (request) => {
    const auth = await api.authenticate(request);
    const list = await ec2.list(auth, request.params.user_id);
    return { credentials: list.map((c) => ec2View(api, c)), links: listLinks(api, basePath(request.params.user_id)) };
  });

  app.get<Params>('/v3/users/:user_id/credentials/OS-EC2/:access', async (request) => {
    const auth = await api.authenticate(request);
    return { credential: ec2View(api, await ec2.get(auth, request.params.user_id, request.params.access)) };
  });

  app.delete<Params>('/v3/users/:user_id/credentials/OS-EC2/:access', async (request, reply) => {
    const auth = await api.authenticate(request);
    await ec2.delete(auth, request.params.user_id, request.params.access);
    return reply.code(204).send();
  });
}

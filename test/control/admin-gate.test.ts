/** `/_nimbus/` answers only the cloud's admin: 401 without a valid token, 403 for anyone else, in Keystone's error body. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { mountControl, type ControlContext } from '../../src/control/index.js';
import type { CallerContext } from '../../src/core/context.js';
import { serviceCaller } from '../../src/core/context.js';
import { Unauthorized } from '../../src/core/errors.js';
import { createHttpApp } from '../../src/core/http/app.js';
import { createLogger } from '../../src/core/logger.js';

const callers: Record<string, CallerContext> = {
  'cloud-admin': serviceCaller('admin', { id: 'admin-project' }),
  'system-admin': serviceCaller('admin', null),
  member: { ...serviceCaller('demo', { id: 'demo-project' }), roles: ['member', 'reader'], isAdminProject: false },
  'admin-elsewhere': { ...serviceCaller('demo', { id: 'demo-project' }), roles: ['admin'], isAdminProject: false },
};

let app: FastifyInstance;
before(async () => {
  app = createHttpApp(createLogger('silent', 'json'));
  const context = {
    authenticator: {
      async authenticate(token: string) {
        const caller = callers[token];
        if (!caller) throw new Unauthorized('The request you have made requires authentication.');
        return caller;
      },
    },
  } as unknown as ControlContext;
  await mountControl(app, context, [async (scope) => void scope.get('/ping', async () => ({ pong: true }))]);
  await app.ready();
});
after(async () => app.close());

const ping = (token?: string) => app.inject({ method: 'GET', url: '/_nimbus/ping', headers: token ? { 'x-auth-token': token } : {} });

test('the cloud admin, project- or system-scoped, reaches a control route', async () => {
  for (const token of ['cloud-admin', 'system-admin']) {
    const response = await ping(token);
    assert.equal(response.statusCode, 200, token);
    assert.deepEqual(response.json(), { pong: true });
  }
});

test('no token or an invalid one is 401, in Keystone error body', async () => {
  for (const token of [undefined, 'forged']) {
    const response = await ping(token);
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error.code, 401);
  }
});

test('a member, or an admin of another project, is refused with 403', async () => {
  for (const token of ['member', 'admin-elsewhere']) {
    const response = await ping(token);
    assert.equal(response.statusCode, 403, token);
    assert.match(response.json().error.message, /cloud administrator/);
  }
});

/**
 * `/_nimbus/`: the admin-only interface test suites drive a cloud with (state
 * snapshots, fault rules, the clock), on the server's own port but outside the
 * OpenStack catalog. Each feature is a route plugin given the same context;
 * the `nimbus` CLI's verbs call the same code. JSON in and out; errors as
 * Keystone words them (`{"error": {"code", "title", "message"}}`), since the
 * caller is whoever holds an admin token.
 */
import type { FastifyInstance } from 'fastify';
import { requestAuthenticator } from '../core/http/authenticate.js';
import { installErrorHandlers } from '../core/http/service-scope.js';
import { Forbidden } from '../core/errors.js';
import type { CallerContext } from '../core/context.js';
import type { ControlContext } from './context.js';
import { clockFeature } from './clock/index.js';
import { faultRoutes } from './faults/index.js';
import { stateRoutes } from './state/index.js';

export const CONTROL_PREFIX = '/_nimbus';

/** One feature's routes, mounted under CONTROL_PREFIX behind the admin check. */
export type ControlFeature = (scope: FastifyInstance, context: ControlContext) => Promise<void>;

/** The features served, in the order their routes mount. */
const FEATURES: ControlFeature[] = [clockFeature, faultRoutes, stateRoutes];

export async function mountControl(app: FastifyInstance, context: ControlContext, features: ControlFeature[] = FEATURES): Promise<void> {
  await app.register(
    async (scope) => {
      installErrorHandlers(scope, { renderError: (error, status) => ({ error: { code: status, title: error.name, message: error.message } }) });
      const authenticate = requestAuthenticator(context);
      scope.addHook('preHandler', async (request) => {
        requireCloudAdmin(await authenticate(request));
      });
      for (const feature of features) await feature(scope, context);
    },
    { prefix: CONTROL_PREFIX },
  );
}

/** Only the cloud's admin drives it: an admin role on the admin project, or a system-scoped admin. */
export function requireCloudAdmin(caller: CallerContext): void {
  const admin = caller.roles.includes('admin') && (caller.system || caller.isAdminProject);
  if (!admin) throw new Forbidden('Only a cloud administrator may use /_nimbus/.');
}

export type { ControlContext } from './context.js';
export { FaultRules, injectFaults, type FaultRule } from './faults/index.js';
export { saveBootstrapState } from './state/index.js';

/**
 * The alarming service (Aodh v2) as a Nimbus service module: migrations,
 * Aodh's default policy, the `alarming` catalog entry, the routes under
 * /alarming and the evaluator, which starts once the server listens.
 */
import { requestAuthenticator } from '../core/http/authenticate.js';
import { installErrorHandlers } from '../core/http/service-scope.js';
import { authorizer } from '../core/policy/index.js';
import type { ServiceDeps, ServiceInstance, ServiceModule } from '../core/service-module.js';
import { alarmingRoutes } from './api/routes.js';
import type { AlarmingConfig } from './config.js';
import { aodhErrors, renderAodhError } from './errors.js';
import { alarmingMigrations } from './migrations/index.js';
import { alarmingOperations } from './operations.js';
import { alarmingPolicyDefaults } from './policies.js';
import { createEvaluator, createEventEvaluator, createNotifier, type AlarmingDeps } from './service/index.js';
import { metricDoor } from './service/metric-reader.js';
import { alarmingDb } from './store/index.js';

type AlarmingSections = { alarming: AlarmingConfig };

export const ALARMING_PREFIX = '/alarming';

export const alarmingModule: ServiceModule<AlarmingSections> = {
  name: 'alarming',
  prefix: ALARMING_PREFIX,
  migrations: alarmingMigrations,
  policyDefaults: alarmingPolicyDefaults,
  catalog: [{ type: 'alarming', name: 'aodh', path: ALARMING_PREFIX }],
  init: initAlarming,
};

async function initAlarming(deps: ServiceDeps<AlarmingSections>): Promise<ServiceInstance> {
  const log = deps.log.child({ service: 'alarming' });
  const alarmingDeps: AlarmingDeps = {
    db: alarmingDb(deps.db),
    dialect: deps.db.dialect,
    authz: authorizer(deps.policy, { adminRule: 'context_is_admin', denied: () => aodhErrors.rbac() }),
    config: deps.config.alarming,
    log,
    metric: () => metricDoor(deps.services),
    identity: () => deps.services.identity,
  };
  const notifier = createNotifier(log, deps.config.alarming.rest_notifier_timeout, alarmingDeps.identity);
  const evaluator = createEvaluator(alarmingDeps, notifier);
  const unsubscribe = deps.events.subscribe(createEventEvaluator(alarmingDeps, notifier));
  const authenticate = requestAuthenticator(deps);
  let stopWaking = (): void => undefined;
  return {
    operations: alarmingOperations(alarmingDeps),
    internals: { evaluator },
    async routes(scope) {
      installErrorHandlers(scope, { renderError: renderAodhError });
      alarmingRoutes(scope, { deps: alarmingDeps, authenticate, root: () => deps.publicUrl() + ALARMING_PREFIX });
    },
    async ready() {
      evaluator.start();
      stopWaking = deps.clock.onAdvance(() => evaluator.wake());
    },
    async stop() {
      stopWaking();
      unsubscribe();
      await evaluator.stop();
    },
  };
}

export type { AlarmingOperations } from './operations.js';

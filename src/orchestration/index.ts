/**
 * The orchestration service (Heat v1) as a Nimbus service module: the
 * engine's and the software store's migrations, Heat's default policy, the
 * `orchestration` and `cloudformation` catalog entries, the resource types
 * (OS::Heat::* and the other services' types) and custom constraints, the
 * stack service with its durable task kind, and the routes under
 * /orchestration (heat-api v1 and the cfn signal paths).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { requestAuthenticator } from '../core/http/authenticate.js';
import { installErrorHandlers } from '../core/http/service-scope.js';
import type { ServiceDeps, ServiceInstance, ServiceModule } from '../core/service-module.js';
import { CFN_PATH, cfnSignalUrl, cfnWaitconditionUrl, orchestrationRoutes, type HeatApi } from './api/index.js';
import { templateCatalog } from './api/template-catalog.js';
import { fetchLoopbackTemplate } from './api/template-url.js';
import type { DeferredAuthMethod, OrchestrationConfig } from './config.js';
import { ResourceRegistry } from './engine/registry.js';
import { STACK_QUEUE_SETTINGS } from './engine/tasks.js';
import { TaskQueue } from '../core/tasks/index.js';
import { renderHeatFault } from './errors/api.js';
import { orchestrationMigrations } from './migrations/index.js';
import { orchestrationOperations } from './operations.js';
import { orchestrationAuthorizer, orchestrationPolicyDefaults } from './policies.js';
import { heatCustomConstraints, heatResourceTypes, templateResourceType } from './resources/heat/index.js';
import { customConstraints, serviceResourceTypes } from './resources/services/index.js';
import { stackService } from './service/index.js';
import { cfnKeyMigrations, cfnKeys } from './software/cfn-keys.js';
import { softwareMigrations } from './software/migrations.js';
import { softwareService } from './software/service.js';
import { softwareDb } from './software/store.js';
import { orchestrationDb } from './store/index.js';
import type { JsonObject } from './json.js';
import * as template from './template/index.js';
import { heatVendorData } from './vendor-data.js';

/** The config sections the orchestration service reads besides core's. */
type OrchestrationSections = { orchestration: OrchestrationConfig };

export const ORCHESTRATION_PREFIX = '/orchestration';

/** Heat's max_json_body_size. */
const HEAT_MAX_JSON_BODY = 1_048_576;

export const orchestrationModule: ServiceModule<OrchestrationSections> = {
  name: 'orchestration',
  prefix: ORCHESTRATION_PREFIX,
  jsonBodyLimit: HEAT_MAX_JSON_BODY,
  // The engine's migrations first; the software store's (`software-...`) sort after them.
  migrations: { ...orchestrationMigrations, ...softwareMigrations, ...cfnKeyMigrations },
  policyDefaults: orchestrationPolicyDefaults,
  catalog: [
    { type: 'orchestration', name: 'heat', path: `${ORCHESTRATION_PREFIX}/v1/$(project_id)s` },
    { type: 'cloudformation', name: 'heat-cfn', path: `${ORCHESTRATION_PREFIX}${CFN_PATH}` },
  ],
  init: initOrchestration,
};

async function initOrchestration(deps: ServiceDeps<OrchestrationSections>): Promise<ServiceInstance> {
  const log = deps.log.child({ service: 'orchestration' });
  const config = deps.config.orchestration;
  const authz = orchestrationAuthorizer(deps.policy);
  const software = softwareService(softwareDb(deps.db), authz);
  const keys = cfnKeys(deps.db);
  const publicRoot = () => deps.publicUrl() + ORCHESTRATION_PREFIX;
  const waitconditionUrl = () => config.heat_waitcondition_server_url ?? cfnWaitconditionUrl(publicRoot());
  const heatDb = orchestrationDb(deps.db);
  // The engine's own queue (see STACK_QUEUE_SETTINGS): started once the server is ready, stopped with it.
  const stackTasks = new TaskQueue({ db: deps.db, logger: log });
  const stacks = stackService({
    db: heatDb,
    template,
    registry: new ResourceRegistry([...heatResourceTypes, ...serviceResourceTypes], template, templateResourceType),
    services: deps.services,
    customConstraints: [...heatCustomConstraints, ...customConstraints],
    softwareConfigs: software,
    log,
    publicUrl: deps.publicUrl,
    cfnSignalUrl: (stack, resourceName) => cfnSignalUrl(keys, waitconditionUrl(), stack, resourceName),
    maxNestedDepth: config.max_nested_stack_depth,
    hookPollMs: config.hook_poll_ms,
    tasks: stackTasks,
    authz,
    hiddenTags: config.hidden_stack_tags,
    enableAbandon: config.enable_stack_abandon,
    enableAdopt: config.enable_stack_adopt,
    deferredAuthMethod: deferredAuthMethod(config),
  });
  // This process is the one heat-engine `/services` reports (the API and the engine share it).
  const engine = engineRecord(new Date().toISOString());
  const api: HeatApi = {
    stacks,
    software,
    authenticate: requestAuthenticator(deps),
    isAdmin: (caller) => authz.isAdmin(caller),
    authorize: (caller, rule, target) => authz.authorize(caller, rule, target),
    root: () => `${publicRoot()}/v1`,
    fetchTemplate: fetchLoopbackTemplate,
    templates: templateCatalog,
    buildInfo: () => ({ api: { revision: 'nimbus' }, engine: { revision: 'nimbus' } }),
    engines: () => [engine],
  };
  return {
    operations: orchestrationOperations(stacks, software),
    async routes(scope) {
      installErrorHandlers(scope, { renderError: renderHeatFault });
      orchestrationRoutes(scope, api, { keys, stacks });
    },
    async ready() {
      // Every service is up by now, compute included when this server runs it.
      deps.services.compute?.registerVendorData('heat', heatVendorData(heatDb, software));
      stackTasks.start(STACK_QUEUE_SETTINGS);
    },
    async stop() {
      await stackTasks.stop();
    },
  };
}

/** The configured deferred_auth_method; another value stops the start, as oslo.config refuses a choice it does not list. */
function deferredAuthMethod(config: OrchestrationConfig): DeferredAuthMethod {
  const method: string = config.deferred_auth_method;
  if (method !== 'trusts' && method !== 'password') {
    throw new Error(`orchestration.deferred_auth_method must be 'trusts' or 'password', not ${JSON.stringify(method)}`);
  }
  return method;
}

/** One heat-engine as Heat's `/services` shows it (heat/engine/service_utils.py's format_service). */
function engineRecord(startedAt: string): JsonObject {
  const host = hostname();
  const time = startedAt.replace(/\.\d{3}Z$/, '');
  return {
    id: randomUUID(),
    binary: 'heat-engine',
    engine_id: randomUUID(),
    host,
    hostname: host,
    status: 'up',
    topic: 'engine',
    report_interval: 60,
    created_at: time,
    updated_at: time,
    deleted_at: null,
  };
}

export type { OrchestrationOperations } from './operations.js';

/**
 * The stack service on a fresh SQLite database with a running task queue,
 * the stand-in template room and the test plugins, for engine tests.
 */
import type { TestContext } from 'node:test';
import { serviceCaller, type CallerContext } from '../../../src/core/context.js';
import { migrateService } from '../../../src/core/db/migrate.js';
import type { Database } from '../../../src/core/db/database.js';
import { Forbidden } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';
import type { Authorizer } from '../../../src/core/policy/authorizer.js';
import { TaskQueue } from '../../../src/core/tasks/index.js';
import { ResourceRegistry } from '../../../src/orchestration/engine/registry.js';
import { heatResourceTypes, templateResourceType } from '../../../src/orchestration/resources/heat/index.js';
import * as realTemplate from '../../../src/orchestration/template/index.js';
import { orchestrationMigrations } from '../../../src/orchestration/migrations/index.js';
import type { SoftwareConfigStore } from '../../../src/orchestration/resources/types.js';
import { stackService, type StackServiceDeps } from '../../../src/orchestration/service/index.js';
import type { StackRecord, StackService } from '../../../src/orchestration/service/types.js';
import { orchestrationDb } from '../../../src/orchestration/store/index.js';
import { openCoreDatabase } from '../../support/core-database.js';
import { eachDialect, type TestDialect } from '../../support/databases.js';
import { standInTemplate } from './engine-template-stand-in.js';
import { FakeCloud, testPlugins } from './engine-test-plugins.js';

const noSoftwareConfigs = new Proxy({} as SoftwareConfigStore, {
  get: () => () => Promise.reject(new Error('no software configs in engine tests')),
});

/** Allows everything but rules named in `denied`. */
export function testAuthorizer(denied: Set<string> = new Set()): Authorizer {
  return {
    isAdmin: () => false,
    allowed: (_caller, action) => !denied.has(action),
    authorize(_caller, action) {
      if (denied.has(action)) throw new Forbidden(`You are not authorized to use ${action}.`);
    },
  };
}

/** The service's dependencies over `db` with the stand-in template room and the test plugins. */
/** The real template room and Heat's own types (with template resources) instead of the stand-ins. */
export interface RealRooms {
  real?: boolean;
  /** The database engine; SQLite when absent. */
  dialect?: TestDialect;
}

export function engineServiceDeps(db: Database, tasks: TaskQueue, cloud: FakeCloud, denied: Set<string> = new Set(), rooms: RealRooms = {}): StackServiceDeps {
  const template = rooms.real ? realTemplate : standInTemplate;
  const plugins = rooms.real ? [...testPlugins(cloud), ...heatResourceTypes] : testPlugins(cloud);
  return {
    db: orchestrationDb(db),
    template,
    registry: new ResourceRegistry(plugins, template, rooms.real ? templateResourceType : null),
    services: {},
    customConstraints: [],
    softwareConfigs: noSoftwareConfigs,
    log: createLogger('silent'),
    publicUrl: () => 'http://127.0.0.1:5000',
    cfnSignalUrl: async () => 'http://127.0.0.1:5000/cfn',
    maxNestedDepth: 5,
    hookPollMs: 20,
    tasks,
    authz: testAuthorizer(denied),
    hiddenTags: ['data-processing-cluster'],
    enableAbandon: false,
    enableAdopt: false,
  };
}

export interface EngineHarness {
  service: StackService;
  cloud: FakeCloud;
  caller: CallerContext;
  db: Database;
  denied: Set<string>;
  waitFor(stackId: string, predicate: (s: StackRecord) => boolean, timeoutMs?: number): Promise<StackRecord>;
  settled(stackId: string, timeoutMs?: number): Promise<StackRecord>;
}

/** Polls `probe` until it gives a value (not undefined); throws after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function openEngineHarness(t: TestContext, rooms: RealRooms = {}): Promise<EngineHarness> {
  const { db, defer } = await openCoreDatabase(rooms.dialect ?? eachDialect()[0]!, t);
  await migrateService(db, 'orchestration', orchestrationMigrations);
  const logger = createLogger('silent');
  const tasks = new TaskQueue({ db, logger, retryBaseMs: 10 });
  const cloud = new FakeCloud();
  const denied = new Set<string>();
  const service = stackService(engineServiceDeps(db, tasks, cloud, denied, rooms));
  tasks.start({ workers: 4, pollMs: 20 });
  defer(() => tasks.stop({ graceMs: 0 }));
  const caller = serviceCaller('tester', { id: 'project-a', name: 'project-a' });
  const waitFor = async (stackId: string, predicate: (s: StackRecord) => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stack = await service.find(caller, stackId, { showDeleted: true });
      if (predicate(stack)) return stack;
      if (Date.now() > deadline) throw new Error(`stack ${stack.name} is ${stack.action}_${stack.status} (${stack.statusReason})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { service, cloud, caller, db, denied, waitFor, settled: (id, ms) => waitFor(id, (s) => s.status !== 'IN_PROGRESS', ms) };
}

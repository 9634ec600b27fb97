/**
 * The composition root: opens the database, migrates and initialises every
 * service, mounts each under its prefix on one HTTP server, and answers
 * /healthcheck once all of them are ready.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { stringify as toYaml } from 'yaml';
import type { NimbusConfig } from './config.js';
import type { ServerRole } from './core/config.js';
import type { Migrations } from './core/db/migrate.js';
import { openDatabase, type Database } from './core/db/database.js';
import { migrateService, pendingMigrations } from './core/db/migrate.js';
import { clusterSingleton, type ClusterSingleton } from './core/cluster/singleton.js';
import { createHttpApp } from './core/http/app.js';
import { limitJsonBodies } from './core/http/json-body.js';
import { createLogger, type Logger } from './core/logger.js';
import { coreMigrations } from './core/migrations/index.js';
import { PolicyEnforcer } from './core/policy/index.js';
import { QuotaEngine } from './core/quota/index.js';
import { createEventBus } from './core/events.js';
import { Clock, runOnClock } from './core/clock.js';
import { TaskQueue } from './core/tasks/index.js';
import type { ServiceDeps, ServiceInstance, ServiceModule } from './core/service-module.js';
import { IDENTITY_PREFIX, identityModule } from './identity/index.js';
import { imageModule } from './image/index.js';
import { networkModule } from './network/index.js';
import { objectStoreModule } from './object-store/index.js';
import { placementModule } from './placement/index.js';
import { volumeModule } from './volume/index.js';
import { computeModule } from './compute/index.js';
import { orchestrationModule } from './orchestration/index.js';
import { meteringModule } from './metering/index.js';
import { metricModule } from './metric/index.js';
import { alarmingModule } from './alarming/index.js';
import { exporterModule } from './exporter/index.js';
import { mountDashboard } from './dashboard/index.js';
import { FaultRules, injectFaults, mountControl, saveBootstrapState, type ControlContext } from './control/index.js';
import { requestAuthenticator } from './core/http/authenticate.js';
import { applySeed, type SeedTarget } from './seed/index.js';
import { StartupPhases } from './core/startup-phases.js';

/**
 * Every service this server runs, identity first (the others authenticate
 * through it); compute after placement, image and network, which it calls
 * when it reports its hosts and boots its default content; metric before
 * alarming, whose evaluator reads measures through it; orchestration after
 * them, as its resources reach every other service; metering after them, as it
 * polls all of them (and publishes to the metric service); the exporter
 * after every other, as it reads them all at each scrape.
 */
export const SERVICE_MODULES: ServiceModule[] = [
  identityModule,
  networkModule,
  imageModule,
  volumeModule,
  placementModule,
  objectStoreModule,
  computeModule,
  metricModule,
  alarmingModule,
  orchestrationModule,
  meteringModule,
  exporterModule,
];

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:5000 */
  url: string;
  app: FastifyInstance;
  db: Database;
  services: Record<string, ServiceInstance>;
  /** Every route the server answers (method and Fastify pattern, e.g. `/compute/v2.1/servers/:server_id`): the parity report matches the api-refs against them. */
  routes: ServedRoute[];
  /** The fault rules (`/_nimbus/faults`); the seed adds its rules with `faults.add(entry)`. */
  faults: FaultRules;
  /** Makes the current state the one `/_nimbus/state/reset` returns to. */
  saveBootstrapState(): Promise<void>;
  close(): Promise<void>;
}

export interface ServedRoute {
  method: string;
  url: string;
}

export async function startServer(config: NimbusConfig, log: Logger = createLogger(config.log.level, config.log.format)): Promise<RunningServer> {
  // Everything the server starts (timers, task workers, listeners) runs on its own clock.
  const clock = new Clock();
  return runOnClock(clock, () => start(config, log, clock));
}

async function start(config: NimbusConfig, log: Logger, clock: Clock): Promise<RunningServer> {
  const dataDir = config.server.data_dir;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase({ connection: config.database.connection ?? join(dataDir, 'nimbus.db') });
  const app = createHttpApp(log);
  const routes: ServedRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  // Its session holds the periodic jobs' locks: closed with the database, on a failed start too.
  let singleton: ClusterSingleton | undefined;
  // Where start-up time goes, logged at debug level (the target is ready in a second).
  const phases = new StartupPhases();
  try {
    await migrateOrCheck(db, config.server.role);
    phases.mark('migrations');
    singleton = await clusterSingleton(db, log);
    const tasks = new TaskQueue({ db, logger: log, clock, singleton });
    clock.onAdvance(() => tasks.wake());

    const policy = new PolicyEnforcer();
    for (const module of SERVICE_MODULES) policy.registerDefaults(module.policyDefaults);
    await policy.loadOverrides(join(dataDir, 'policy.yaml'));
    const dangling = policy.danglingReferences();
    if (dangling.length > 0) throw new Error(`Policy rules refer to rules nobody defines: ${dangling.join(', ')}`);

    const services: Record<string, ServiceInstance> = {};
    // Added before any route so that it covers all of them; it reads `services` at each response, filled in below.
    app.addHook('onResponse', (request, reply, done) => {
      for (const instance of Object.values(services)) instance.onResponse?.(request, reply);
      done();
    });
    // Requests run on the server's clock; again once the body is read, whose events fire outside the request's context.
    app.addHook('onRequest', (_request, _reply, done) => runOnClock(clock, done));
    app.addHook('preValidation', (_request, _reply, done) => runOnClock(clock, done));
    let publicUrl = config.server.public_url?.replace(/\/+$/, '') ?? '';
    // Every service's 401 tells the client where to authenticate, as keystonemiddleware does.
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (reply.statusCode === 401) reply.header('www-authenticate', `Keystone uri="${publicUrl}${IDENTITY_PREFIX}"`);
      done(null, payload);
    });
    // In memory only: a restart starts with no rules.
    // Rules expire on the cloud's clock, so a test that moves time forward sees them go.
    const faults = new FaultRules(SERVICE_MODULES, log.child({ control: 'faults' }), Math.random, () => clock.nowMs());
    const deps: ServiceDeps = {
      config,
      db,
      log,
      policy,
      publicUrl: () => publicUrl,
      dataDir,
      catalog: SERVICE_MODULES.flatMap((m) => m.catalog),
      services: {},
      authenticator: null,
      tasks,
      quotas: new QuotaEngine(db),
      events: createEventBus(log),
      clock,
      faults,
    };
    const authenticate = requestAuthenticator(deps);
    phases.mark('policy');
    for (const module of SERVICE_MODULES) {
      const instance = await module.init(deps);
      phases.mark(`${module.name}.init`);
      services[module.name] = instance;
      deps.services[module.name] = instance.operations;
      if (instance.authenticator) deps.authenticator = instance.authenticator;
      await app.register(
        async (scope) => {
          if (module.jsonBodyLimit !== undefined) limitJsonBodies(scope, module.jsonBodyLimit);
          injectFaults(scope, module.name, faults, authenticate);
          await instance.routes(scope);
        },
        { prefix: module.prefix },
      );
      const rootRoutes = instance.rootRoutes?.bind(instance);
      if (rootRoutes) await app.register(async (scope) => rootRoutes(scope));
      phases.mark(`${module.name}.routes`);
    }

    await mountDashboard(app);
    const control: ControlContext = { config, db, dataDir, log, tasks, clock, authenticator: deps.authenticator, services, faults };
    await mountControl(app, control);

    let ready = false;
    app.get('/healthcheck', async (_request, reply) => (ready ? reply.send('OK') : reply.code(503).send('starting')));

    // oslo.service's wsgi `backlog` default: a burst of clients connecting at once queues instead of being reset.
    phases.mark('dashboard+control');
    await app.listen({ host: config.server.host, port: config.server.port, backlog: 4096 });
    phases.mark('listen');
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.server.port;
    const listenUrl = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;
    publicUrl ||= listenUrl;
    for (const instance of Object.values(services)) await instance.ready?.();
    phases.mark('ready hooks');
    // Tasks left by a previous run (a crash, a kill -9) resume here.
    tasks.start();
    // The seed's volumes and stacks are durable tasks: it runs once the workers do, before the server says ready.
    if (config.server.seed) await seedOrStop(config.server.seed, { services: deps.services, dataDir, log, faults }, tasks, services);
    // What `/_nimbus/state/reset` returns to: the state once bootstrapped and seeded (kept from the first start).
    if (config.server.bootstrap_snapshot) await saveBootstrapState(control, { replace: false });
    ready = true;
    phases.mark('seed+snapshot');
    log.debug({ phases: phases.ms }, 'start-up phases');

    return {
      url: listenUrl,
      app,
      db,
      services,
      routes,
      faults,
      saveBootstrapState: () => saveBootstrapState(control, { replace: true }),
      async close() {
        await app.close();
        await tasks.stop();
        for (const instance of Object.values(services)) await instance.stop?.();
        await singleton?.close();
        await db.close();
      },
    };
  } catch (error) {
    await app.close().catch(() => undefined);
    await singleton?.close();
    await db.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The `all` role migrates on start. An `api` process of a cluster only checks
 * that `nimbus manage db sync` left the schema current: migrating (and
 * bootstrapping) is done once, not raced by processes starting together.
 */
async function migrateOrCheck(db: Database, role: ServerRole): Promise<void> {
  if (role === 'all') {
    for (const [name, migrations] of serviceMigrations(SERVICE_MODULES)) {
      if ((await pendingMigrations(db, name, migrations)).length > 0) await migrateService(db, name, migrations);
    }
    return;
  }
  if (db.dialect !== 'postgres') throw new Error('The api role runs on a shared PostgreSQL database: set database.connection (NIMBUS_DATABASE_URL)');
  await requireMigrated(db, SERVICE_MODULES);
}

/** Core's migrations, then each service's, in the order they apply. */
function serviceMigrations(modules: ServiceModule[]): [string, Migrations][] {
  return [['core', coreMigrations], ...modules.map((m): [string, Migrations] => [m.name, m.migrations])];
}

/** Throws unless core's and these services' migrations are all in the database (a cluster process's start). */
export async function requireMigrated(db: Database, modules: ServiceModule[]): Promise<void> {
  for (const [name, migrations] of serviceMigrations(modules)) {
    const pending = await pendingMigrations(db, name, migrations);
    if (pending.length > 0) throw new Error(`The database lacks ${name} migrations ${pending.join(', ')}: run \`nimbus manage db sync\` first`);
  }
}

/** Applies the seed; when it fails, stops the task workers and the services before the error ends the start. */
async function seedOrStop(file: string, target: SeedTarget, tasks: TaskQueue, services: Record<string, ServiceInstance>): Promise<void> {
  try {
    await applySeed(file, target);
  } catch (error) {
    await tasks.stop();
    for (const instance of Object.values(services)) await instance.stop?.();
    throw error;
  }
}

/** `<data-dir>/clouds.yaml` with the clouds `nimbus` (admin) and `nimbus-demo` (demo). */
export function writeCloudsYaml(dataDir: string, publicUrl: string, passwords: { admin: string; demo: string }): string {
  const cloud = (username: string, password: string, project: string) => ({
    auth: {
      auth_url: `${publicUrl}/identity/v3`,
      username,
      password,
      project_name: project,
      user_domain_name: 'Default',
      project_domain_name: 'Default',
    },
    region_name: 'RegionOne',
    interface: 'public',
    identity_api_version: 3,
  });
  const file = join(dataDir, 'clouds.yaml');
  const clouds = { clouds: { nimbus: cloud('admin', passwords.admin, 'admin'), 'nimbus-demo': cloud('demo', passwords.demo, 'demo') } };
  writeFileSync(file, toYaml(clouds), { mode: 0o600 });
  return file;
}

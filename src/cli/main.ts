/**
 * The `nimbus` command.
 *
 *   nimbus start [--host H] [--port P] [--data-dir D | --ephemeral] [--config FILE] [--drivers fake|real] [--fake-hosts N]
 *                [--log-level L] [--log-format auto|json|pretty] [--seed FILE] [--role all|api]
 *   nimbus agent compute --host NAME --database URL [--config FILE] [--data-dir D] [--driver fake]
 *   nimbus manage db sync [--database URL] [--data-dir D] [--config FILE]
 *   nimbus manage fernet-rotate [--data-dir D] [--config FILE]
 *   nimbus manage ring create|add|rebalance|show ... [--data-dir D]
 *   nimbus manage mapping-engine --rules FILE --input FILE [--prefix P]
 *   nimbus parity [--service S]... [--markdown FILE] [--json FILE]
 *   nimbus state save|load|reset|list|delete ... (state.ts)
 *   nimbus clock show|advance|set|reset ... (clock.ts)
 */
import { parseArgs } from 'node:util';
import { loadConfig, type NimbusConfig } from '../config.js';
import { createLogger } from '../core/logger.js';
import { SERVER_ROLES } from '../core/config.js';
import { readStoredPassword, rotateFernetKeys, runMappingEngine } from '../identity/index.js';
import { manageObjectStoreRing } from '../object-store/index.js';
import { startServer, writeCloudsYaml } from '../server.js';
import { createEphemeralDir } from '../core/ephemeral-dir.js';
import { AGENT_USAGE, agentCommand } from './agent.js';
import { CLOCK_USAGE, clockCommand } from './clock.js';
import { parityCommand } from './parity/command.js';
import { STATE_USAGE, stateCommand } from './state.js';

const USAGE = `usage:
  nimbus start [--host 127.0.0.1] [--port 5000] [--data-dir ./nimbus-data | --ephemeral] [--config FILE]
               [--drivers fake|real] [--fake-hosts N]
               [--log-level fatal|error|warn|info|debug|trace|silent] [--log-format auto|json|pretty]
               [--seed FILE]   (a declarative seed, docs/seed.md)
               [--role all|api]   (api: one of several API processes on PostgreSQL, docs/cluster.md)
${AGENT_USAGE}
  nimbus manage db sync [--database postgres://...] [--data-dir ./nimbus-data] [--config FILE]
  nimbus manage fernet-rotate [--data-dir ./nimbus-data] [--config FILE]
  nimbus manage ring create <part_power> <replicas> [--data-dir ./nimbus-data]
  nimbus manage ring add <device-name> [--zone 1] [--weight 100] [--data-dir ./nimbus-data]
  nimbus manage ring rebalance|show [--data-dir ./nimbus-data]
  nimbus manage mapping-engine --rules FILE --input FILE [--prefix PREFIX]
  nimbus parity [--service compute]... [--markdown docs/parity.md] [--json FILE]
${STATE_USAGE}
${CLOCK_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      zone: { type: 'string' },
      weight: { type: 'string' },
      rules: { type: 'string' },
      input: { type: 'string' },
      prefix: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      drivers: { type: 'string' },
      'fake-hosts': { type: 'string' },
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
      service: { type: 'string', multiple: true },
      markdown: { type: 'string' },
      json: { type: 'string' },
      seed: { type: 'string' },
      role: { type: 'string' },
      database: { type: 'string' },
      driver: { type: 'string' },
      ephemeral: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (values.ephemeral && values['data-dir']) {
    console.error('nimbus start: --ephemeral and --data-dir exclude each other');
    return 2;
  }
  const ephemeralDir = values.ephemeral ? createEphemeralDir().path : undefined;
  const [command, subcommand] = positionals;
  // An agent's --host names the compute host it runs, not an address to listen on.
  const config = loadConfig({
    file: values.config,
    flags: {
      'server.host': command === 'agent' ? undefined : values.host,
      'server.port': values.port,
      'server.data_dir': ephemeralDir ?? values['data-dir'],
      'server.drivers': values.drivers,
      'compute.fake.hosts': values['fake-hosts'],
      'log.level': values['log-level'],
      'log.format': values['log-format'],
      'server.seed': values.seed,
      'server.role': values.role,
      'database.connection': values.database,
      'compute.compute_driver': values.driver,
    },
  });
  if (command === 'manage' && subcommand === 'mapping-engine') return mappingEngine(values.rules, values.input, values.prefix);
  if (!SERVER_ROLES.includes(config.server.role)) {
    console.error(`nimbus: --role must be one of ${SERVER_ROLES.join(', ')}`);
    return 2;
  }
  if (command === 'start') return start(config, ephemeralDir !== undefined);
  if (command === 'agent') return agentCommand(config, positionals, values.host);
  if (command === 'manage' && subcommand === 'db' && positionals[2] === 'sync') return dbSync(config);
  if (command === 'parity') return parityCommand({ services: values.service ?? [], markdown: values.markdown, json: values.json });
  if (command === 'state') return stateCommand(config, positionals.slice(1), { url: values.url, token: values.token });
  if (command === 'clock') return clockCommand(config, positionals.slice(1), { url: values.url, token: values.token });
  if (command === 'manage' && subcommand === 'fernet-rotate') return fernetRotate(config);
  if (command === 'manage' && subcommand === 'ring') {
    const [verb = '', ...args] = positionals.slice(2);
    console.log(manageObjectStoreRing(config.server.data_dir, { verb, args, zone: values.zone, weight: values.weight }));
    return 0;
  }
  console.error(USAGE);
  return 2;
}

async function start(config: NimbusConfig, ephemeral: boolean): Promise<number> {
  const log = createLogger(config.log.level, config.log.format);
  const began = performance.now();
  const server = await startServer(config, log);
  log.info({ url: server.url, ms: Math.round(performance.now() - began) }, 'nimbus ready');
  const running = `\nNimbus is running at ${server.url} (identity: ${server.url}/identity/v3)\n`;
  // An API process of a cluster keeps no passwords: `manage db sync` wrote them in its own data dir.
  if (config.server.role === 'api') {
    process.stderr.write(`${running}as an API process (role api); clouds.yaml is in the data dir of \`nimbus manage db sync\`.\n\n`);
  } else writeUsage(config, server.url, running, ephemeral);
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return -1;
}

/** Writes `<data-dir>/clouds.yaml` and tells how to use it. */
function writeUsage(config: NimbusConfig, url: string, running: string, ephemeral: boolean): void {
  const dataDir = config.server.data_dir;
  const clouds = writeCloudsYaml(dataDir, config.server.public_url ?? url, {
    admin: readStoredPassword(dataDir, 'admin'),
    demo: readStoredPassword(dataDir, 'demo'),
  });
  process.stderr.write(
    running +
      `Use it with the openstack CLI:\n` +
      `  export OS_CLIENT_CONFIG_FILE=${clouds}\n` +
      `  openstack --os-cloud nimbus token issue        # admin in project admin\n` +
      `  openstack --os-cloud nimbus-demo server list   # demo in project demo\n` +
      (ephemeral ? `State is ephemeral: ${dataDir} is removed when Nimbus stops.\n\n` : '\n'),
  );
}

/**
 * `nimbus manage db sync` (keystone-manage db_sync and bootstrap in one): the
 * whole server starts once on a loopback port nobody is told of, so every
 * service migrates and lays down its first-start content, then it stops. API
 * processes (`--role api`) then start on the finished database.
 */
async function dbSync(config: NimbusConfig): Promise<number> {
  const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level, config.log.format);
  const server = await startServer(
    {
      ...config,
      server: { ...config.server, role: 'all', host: '127.0.0.1', port: 0, seed: null, bootstrap_snapshot: false, public_url: config.server.public_url },
      // No hypervisor of its own: a cluster's hosts are its compute agents'.
      compute: { ...config.compute, compute_driver: 'fake', fake: { ...config.compute.fake, hosts: 0 } },
    },
    log,
  );
  await server.close();
  console.log(`Database ${redact(config.database.connection ?? 'in ' + config.server.data_dir)} is migrated and bootstrapped`);
  return 0;
}

/** A connection URL without its password, for printing. */
function redact(connection: string): string {
  return connection.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** Prints what a federation mapping makes of an assertion (keystone-manage mapping_engine). */
function mappingEngine(rules: string | undefined, input: string | undefined, prefix: string | undefined): number {
  if (!rules || !input) {
    console.error('nimbus manage mapping-engine: --rules FILE and --input FILE are required');
    return 2;
  }
  try {
    console.log(runMappingEngine(rules, input, prefix));
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

/** Rotates the Fernet keys (keystone-manage fernet_rotate); live tokens stay valid. */
function fernetRotate(config: NimbusConfig): number {
  console.log(`Rotated Fernet keys in ${rotateFernetKeys(config.server.data_dir, config.identity)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`nimbus: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

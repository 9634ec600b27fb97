/**
 * Configuration: embedded defaults, then a YAML file (`--config FILE`), then
 * environment variables, then command-line flags; later sources win.
 *
 * Sections mirror OpenStack's option names so an operator can carry settings
 * over: `identity.security_compliance.lockout_failure_attempts` is Keystone's
 * `[security_compliance] lockout_failure_attempts`. Core owns `server`,
 * `database` and `log`; each service owns its section (its `config.ts`: the
 * options' types and defaults), and src/config.ts composes them.
 *
 * `server.drivers` picks a driver profile before anything else is read: it
 * sets the defaults of the per-service driver options (`fake`: simulated
 * hypervisors and an API-only network; `real`: QEMU guests and Linux
 * bridges on this host), which explicit options still override.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export type DriverProfile = 'fake' | 'real';
const DRIVER_PROFILES: readonly DriverProfile[] = ['fake', 'real'];

/** The sections every Nimbus process has, whatever services it runs. */
export interface CoreConfig {
  server: {
    host: string;
    port: number;
    data_dir: string;
    /** Base URL clients reach the server at; defaults to http://host:port. */
    public_url: string | null;
    /** The driver profile (`--drivers`): the defaults of every service's driver options. */
    drivers: DriverProfile;
    /** A seed file (`--seed`, docs/seed.md) applied once every service is ready; null for none. */
    seed: string | null;
    /**
     * Save the `bootstrap` state snapshot (what `/_nimbus/state/reset` returns to) at the first
     * start; off, a start skips its cost (about 0.1 s) and reset answers 404.
     */
    bootstrap_snapshot: boolean;
    /**
     * `all` (one process is the whole cloud) or `api` (one of several API processes on one
     * PostgreSQL database, docs/cluster.md): it neither migrates nor bootstraps, which
     * `nimbus manage db sync` did once, so processes starting together never race at it.
     */
    role: ServerRole;
  };
  /** `connection`: unset for SQLite in the data dir, or a postgres:// URL. */
  database: { connection: string | null };
  /**
   * `format`: `pretty` (coloured lines for a person), `json` (one object a line,
   * for log shippers), or `auto` (pretty on a terminal, JSON otherwise).
   */
  log: { level: string; format: LogFormat };
}

export type LogFormat = 'auto' | 'json' | 'pretty';
export type ServerRole = 'all' | 'api';
export const SERVER_ROLES: readonly ServerRole[] = ['all', 'api'];

export function coreDefaults(drivers: DriverProfile): CoreConfig {
  return {
    server: { host: '127.0.0.1', port: 5000, data_dir: './nimbus-data', public_url: null, drivers, seed: null, bootstrap_snapshot: true, role: 'all' },
    database: { connection: null },
    log: { level: 'info', format: 'auto' },
  };
}

/** A partial config, as read from a file or assembled from flags. */
export type ConfigOverrides = { [key: string]: unknown };

/** Environment variables and the option each sets. */
const ENV_OPTIONS: Record<string, string> = {
  NIMBUS_HOST: 'server.host',
  NIMBUS_PORT: 'server.port',
  NIMBUS_DATA_DIR: 'server.data_dir',
  NIMBUS_PUBLIC_URL: 'server.public_url',
  NIMBUS_DATABASE_URL: 'database.connection',
  NIMBUS_LOG_LEVEL: 'log.level',
  NIMBUS_LOG_FORMAT: 'log.format',
  NIMBUS_DRIVERS: 'server.drivers',
  NIMBUS_SEED: 'server.seed',
};

export interface LoadConfigOptions {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Dotted option paths to values, e.g. `{ 'server.port': '5001' }`. */
  flags?: Record<string, string | undefined>;
}

/**
 * Mappings whose keys the operator names (Cinder's per-backend sections), by
 * dotted path with a trailing dot: a new key starts from the template's
 * defaults, then the file's values.
 */
export type OpenSections = Record<string, () => unknown>;

/**
 * Loads a config whose embedded defaults `defaults` makes for the driver
 * profile; the application composes them from every service's section.
 */
export function loadConfigWith<T extends CoreConfig>(defaults: (profile: DriverProfile) => T, openSections: OpenSections, options: LoadConfigOptions = {}): T {
  const file = options.file ? readConfigFile(options.file) : {};
  const env = options.env ?? process.env;
  const config = defaults(driverProfile(file, env, options.flags)) as unknown as ConfigOverrides;
  mergeInto(config, file, '', openSections);
  for (const [name, path] of Object.entries(ENV_OPTIONS)) {
    const value = env[name];
    if (value !== undefined && value !== '') setOption(config, path, value);
  }
  for (const [path, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) setOption(config, path, value);
  }
  const result = config as unknown as T;
  result.server.data_dir = resolve(result.server.data_dir);
  if (result.server.seed) result.server.seed = resolve(result.server.seed);
  return result;
}

/** The profile named by the flags, else the environment, else the file; `fake` when none does. */
function driverProfile(file: ConfigOverrides, env: NodeJS.ProcessEnv, flags: LoadConfigOptions['flags']): DriverProfile {
  const fromFile = isObject(file.server) ? file.server.drivers : undefined;
  const named = flags?.['server.drivers'] ?? (env.NIMBUS_DRIVERS || undefined) ?? fromFile ?? 'fake';
  if (!DRIVER_PROFILES.includes(named as DriverProfile)) {
    throw new Error(`Config option server.drivers must be one of ${DRIVER_PROFILES.join(', ')} (got ${String(named)})`);
  }
  return named as DriverProfile;
}

function readConfigFile(file: string): ConfigOverrides {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read config file ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isObject(parsed)) throw new Error(`Config file ${file} must hold a mapping of sections`);
  return parsed;
}

/**
 * Merges `source` into `target`, refusing unknown options and values of the
 * wrong type so a typo in a config file fails at start instead of being ignored.
 */
function mergeInto(target: ConfigOverrides, source: ConfigOverrides, prefix: string, openSections: OpenSections): void {
  for (const [key, value] of Object.entries(source)) {
    const path = prefix + key;
    const template = openSections[prefix];
    if (!(key in target) && template) target[key] = template() as ConfigOverrides;
    if (!(key in target)) throw new Error(`Unknown config option ${path}`);
    const current = target[key];
    if (isObject(current)) {
      if (!isObject(value)) throw new Error(`Config option ${path} must be a mapping`);
      mergeInto(current, value, `${path}.`, openSections);
    } else {
      target[key] = coerce(path, current, value);
    }
  }
}

function setOption(config: ConfigOverrides, path: string, raw: string): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node: ConfigOverrides = config;
  for (const key of keys) {
    const next = node[key];
    if (!isObject(next)) throw new Error(`Unknown config option ${path}`);
    node = next;
  }
  if (!(last in node)) throw new Error(`Unknown config option ${path}`);
  node[last] = coerce(path, node[last], raw);
}

/** Converts a value to the type of the option's default (strings from env and flags). */
function coerce(path: string, current: unknown, value: unknown): unknown {
  if (value === null) return null;
  if (Array.isArray(current)) {
    // Lists come as YAML sequences, or comma-separated from env and flags.
    const list = typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value;
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) throw new Error(`Config option ${path} must be a list of strings`);
    return list;
  }
  if (typeof current === 'number' || (current === null && typeof value === 'number')) {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`Config option ${path} must be a number`);
    return n;
  }
  if (typeof current === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new Error(`Config option ${path} must be true or false`);
  }
  if (typeof value !== 'string') throw new Error(`Config option ${path} must be a string`);
  return value;
}

function isObject(value: unknown): value is ConfigOverrides {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `nimbus/testing`: a whole Nimbus cloud inside a test process.
 *
 *   const cloud = await startNimbus();
 *   // ... cloud.url, cloud.token('demo'), cloud.env(), cloud.cloudsYaml
 *   await cloud.stop();
 *
 * Each call starts its own cloud on a free loopback port, with its state in a
 * fresh temporary directory that `stop()` removes (the process's exit removes
 * any left behind), so several clouds can run side by side. The package's
 * `.d.ts` files are made from src/testing's files one by one (see
 * scripts/bundle.mjs), so the public types mention no server type.
 */
import { loadConfig } from '../config.js';
import { createEphemeralDir } from '../core/ephemeral-dir.js';
import { createLogger } from '../core/logger.js';
import { readStoredPassword } from '../identity/index.js';
import { startServer, writeCloudsYaml } from '../server.js';
import { credentialsOf, issueProjectToken, openStackEnv } from './credentials.js';
import type { NimbusCredentials, NimbusUserName } from './credentials.js';

export type { NimbusCredentials, NimbusUserName };

export interface StartNimbusOptions {
  /** Keep the state in this directory (created if absent, kept by `stop()`, reused by the next start); default: a fresh temporary one. */
  dataDir?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** `fake` (default): simulated hypervisors and an API-only network; `real`: QEMU guests and Linux bridges (root only). */
  drivers?: 'fake' | 'real';
  /** Simulated hypervisors (default 1). */
  fakeHosts?: number;
  /** Server logs, as JSON lines on stderr; default `warn`. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** A YAML config file as `nimbus start --config` reads it; the options above win over it. */
  configFile?: string;
  /** A seed file (docs/seed.md) applied before the cloud is handed over; relative paths from the current directory. */
  seed?: string;
}

export interface NimbusCloud {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** Keystone v3: `${url}/identity/v3` */
  readonly identityUrl: string;
  readonly dataDir: string;
  /** `admin` in project `admin` (cloud admin). */
  readonly admin: NimbusCredentials;
  /** `demo` in project `demo` (a member). */
  readonly demo: NimbusCredentials;
  /** A clouds.yaml with the clouds `nimbus` (admin) and `nimbus-demo` (demo); set OS_CLIENT_CONFIG_FILE to it. */
  readonly cloudsYaml: string;
  readonly cloudName: 'nimbus';
  /** OS_* variables for the openstack CLI, openstacksdk or Terraform in a child process, as `user` (default admin). */
  env(user?: NimbusUserName): Record<string, string>;
  /** A project-scoped Keystone token for `user` (default admin) in its own project. */
  token(user?: NimbusUserName): Promise<string>;
  /** Stops the server and removes the temporary data directory; calling it again does nothing. */
  stop(): Promise<void>;
}

export async function startNimbus(options: StartNimbusOptions = {}): Promise<NimbusCloud> {
  const temporary = options.dataDir === undefined ? createEphemeralDir() : undefined;
  try {
    const config = loadConfig({
      file: options.configFile,
      // Only the options and the config file decide: the test process's own NIMBUS_* variables would make runs differ by machine.
      env: {},
      flags: {
        'server.data_dir': temporary?.path ?? options.dataDir,
        'server.host': options.host,
        'server.port': String(options.port ?? 0),
        'server.drivers': options.drivers,
        'compute.fake.hosts': options.fakeHosts === undefined ? undefined : String(options.fakeHosts),
        'server.seed': options.seed,
        // bcrypt's cheapest cost: a test cloud's logins then take a millisecond instead of a quarter second.
        'identity.identity.password_hash_rounds': '4',
      },
    });
    const server = await startServer(config, createLogger(options.logLevel ?? 'warn', 'json', process.stderr));
    const dataDir = config.server.data_dir;
    const passwords = { admin: readStoredPassword(dataDir, 'admin'), demo: readStoredPassword(dataDir, 'demo') };
    const cloudsYaml = writeCloudsYaml(dataDir, server.url, passwords);
    const identityUrl = `${server.url}/identity/v3`;
    const users = { admin: credentialsOf('admin', passwords.admin), demo: credentialsOf('demo', passwords.demo) };
    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      identityUrl,
      dataDir,
      admin: users.admin,
      demo: users.demo,
      cloudsYaml,
      cloudName: 'nimbus',
      env: (user = 'admin') => openStackEnv(identityUrl, users[user]),
      token: (user = 'admin') => issueProjectToken(identityUrl, users[user]),
      stop() {
        stopping ??= server.close().finally(() => temporary?.remove());
        return stopping;
      },
    };
  } catch (error) {
    temporary?.remove();
    throw error;
  }
}

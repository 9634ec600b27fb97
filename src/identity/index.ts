/**
 * The identity service (Keystone v3) as a Nimbus service module: migrations,
 * default policy, catalog entry, routes under /identity, the authenticator
 * every other service uses, and the first-start bootstrap.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { secret } from '../core/ids.js';
import { WriteGeneration } from '../core/db/write-generation.js';
import { followClusterWrites } from '../core/cluster/write-notifications.js';
import { authenticateRequest } from '../core/http/authenticate.js';
import { installErrorHandlers } from '../core/http/service-scope.js';
import type { ServiceDeps, ServiceInstance, ServiceModule } from '../core/service-module.js';
import { identityRoutes, type IdentityApi } from './api/index.js';
import { adminProjectId, bootstrap, isBootstrapped, syncCatalog, REGION } from './bootstrap.js';
import { renderKeystoneError } from './errors.js';
import { identityMigrations } from './migrations/index.js';
import { identityPolicyDefaults } from './policies.js';
import { identityOperations } from './operations.js';
import { identityAuthorizer } from './service/authorize.js';
import { identityServiceOps, type IdentityServiceOps } from './service/index.js';
import { identityDb, IDENTITY_TABLE_NAMES } from './store/index.js';
import { KeyRepository, TokenCodec } from './tokens/index.js';
import type { IdentityConfig } from './config.js';
import { OSLO_MAX_REQUEST_BODY_SIZE } from '../core/http/json-body.js';

/** The config sections the identity service reads besides core's. */
type IdentitySections = { identity: IdentityConfig };

export { runMappingEngine } from './federation/mapping-tool.js';

export const IDENTITY_PREFIX = '/identity';

/** The PostgreSQL notification channel of identity writes (core/cluster/write-notifications.ts). */
const IDENTITY_WRITES_CHANNEL = 'nimbus_identity_writes';

export const identityModule: ServiceModule<IdentitySections> = {
  name: 'identity',
  prefix: IDENTITY_PREFIX,
  // oslo.middleware's sizelimit sits in the real service's pipeline.
  jsonBodyLimit: OSLO_MAX_REQUEST_BODY_SIZE,
  migrations: identityMigrations,
  policyDefaults: identityPolicyDefaults,
  catalog: [{ type: 'identity', name: 'keystone', path: IDENTITY_PREFIX }],
  init: initIdentity,
};

async function initIdentity(deps: ServiceDeps<IdentitySections>): Promise<ServiceInstance> {
  const writes = new WriteGeneration();
  const db = identityDb(deps.db, writes);
  // Other API processes' identity writes (revocations, disabled users, removed roles) invalidate this one's token cache.
  const clusterWrites = await followClusterWrites(deps.db, IDENTITY_WRITES_CHANNEL, IDENTITY_TABLE_NAMES, writes, deps.log);
  const config = deps.config.identity;
  const keys = fernetKeys(deps.dataDir, config);
  let adminProject: string | null = null;
  const identityUrl = () => deps.publicUrl() + IDENTITY_PREFIX;
  const ops: IdentityServiceOps = identityServiceOps({
    db,
    writes,
    config,
    authz: identityAuthorizer(deps.policy),
    tokens: new TokenCodec(keys),
    log: deps.log,
    get identityUrl() {
      return identityUrl();
    },
    region: REGION,
    adminProjectId: () => adminProject,
  });

  if (!(await isBootstrapped(db))) {
    const passwords = {
      admin: adminPassword(deps.dataDir),
      demo: storedSecret(deps.dataDir, 'demo-password'),
      service: storedSecret(deps.dataDir, 'service-password'),
    };
    await bootstrap(db, config, passwords);
    deps.log.info('identity bootstrapped: domain Default, projects admin/demo/service, users admin/demo and service users');
  }
  adminProject = await adminProjectId(db);

  const operations = identityOperations(ops, db);
  const authenticator = { authenticate: operations.authenticate };
  const api: IdentityApi = {
    ops,
    authenticate: (request: FastifyRequest) => authenticateRequest(request, authenticator),
    url: (path: string) => `${identityUrl()}/v3${path}`,
    get root() {
      return identityUrl();
    },
  };

  return {
    operations,
    authenticator,
    async routes(scope) {
      installErrorHandlers(scope, { renderError: renderKeystoneError });
      identityRoutes(scope, api);
    },
    async ready() {
      await syncCatalog(db, deps.catalog, deps.publicUrl());
    },
    async stateRestored() {
      // The rows changed behind this service's query layer: validated tokens are re-checked against them.
      writes.countExternalWrite();
      adminProject = await adminProjectId(db);
    },
    stop: () => clusterWrites.stop(),
  };
}

/** The Fernet key repository (`<data-dir>/fernet-keys` unless configured), created with its first keys when missing. */
function fernetKeys(dataDir: string, config: IdentityConfig): KeyRepository {
  const directory = config.fernet_tokens.key_repository ?? join(dataDir, 'fernet-keys');
  const keys = new KeyRepository(directory, { maxActiveKeys: config.fernet_tokens.max_active_keys });
  keys.setup();
  return keys;
}

/**
 * `nimbus manage fernet-rotate` (keystone-manage fernet_rotate): stages a new
 * key and promotes the staged one; tokens made with the kept keys stay valid.
 * Returns the key directory.
 */
export function rotateFernetKeys(dataDir: string, config: IdentityConfig): string {
  const keys = fernetKeys(dataDir, config);
  keys.rotate();
  return keys.directory;
}

/** NIMBUS_ADMIN_PASSWORD, or a generated one kept in the data dir (mode 0600). */
function adminPassword(dataDir: string): string {
  const fromEnv = process.env.NIMBUS_ADMIN_PASSWORD;
  if (fromEnv) {
    writeSecretFile(join(dataDir, 'admin-password'), fromEnv);
    return fromEnv;
  }
  return storedSecret(dataDir, 'admin-password');
}

function storedSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = secret(18);
  writeSecretFile(file, value);
  return value;
}

function writeSecretFile(file: string, value: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
}

/** Reads a password the server keeps in its data dir: `admin` or `demo` (for the CLI and tests). */
export function readStoredPassword(dataDir: string, user: 'admin' | 'demo'): string {
  const file = join(dataDir, `${user}-password`);
  if (!existsSync(file)) throw new Error(`No ${user} password in ${dataDir}: start the server once first`);
  return readFileSync(file, 'utf8').trim();
}

/**
 * What identity service tests need to call operations directly, without a
 * server: `openIdentityDeps()` gives the IdentityDeps of a fresh, migrated
 * in-memory SQLite database with the default policy, cheap bcrypt and a
 * token codec over a temporary key repository; `close()` removes it all.
 * `authContext()` builds the caller a validated token would give.
 *
 * ```ts
 * let identity: IdentityTestDeps;
 * beforeEach(async () => { identity = await openIdentityDeps(); });
 * afterEach(() => identity.close());
 * const admin = authContext('admin');
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { defaultConfig } from '../../src/config.js';
import type { CallerContext } from '../../src/core/context.js';
import { openDatabase } from '../../src/core/db/database.js';
import { migrateService } from '../../src/core/db/migrate.js';
import { PolicyEnforcer } from '../../src/core/policy/index.js';
import { identityMigrations } from '../../src/identity/migrations/index.js';
import { identityPolicyDefaults } from '../../src/identity/policies.js';
import { identityAuthorizer } from '../../src/identity/service/authorize.js';
import type { IdentityDeps } from '../../src/identity/service/deps.js';
import { WriteGeneration } from '../../src/core/db/write-generation.js';
import * as store from '../../src/identity/store/index.js';
import type { IdentityDb, IdentityTables } from '../../src/identity/store/index.js';
import { KeyRepository, TokenCodec } from '../../src/identity/tokens/index.js';

export interface IdentityTestDeps {
  deps: IdentityDeps;
  /** The same database as `deps.db`, for seeding and checking rows. */
  db: Kysely<IdentityTables>;
  /** Closes the database and deletes the key repository. */
  close(): Promise<void>;
}

export async function openIdentityDeps(): Promise<IdentityTestDeps> {
  const keys = mkdtempSync(join(tmpdir(), 'nimbus-identity-keys-'));
  const repository = new KeyRepository(keys);
  repository.setup();
  const database = openDatabase({ connection: ':memory:' });
  try {
    await migrateService(database, 'identity', identityMigrations);
  } catch (error) {
    await database.close();
    rmSync(keys, { recursive: true, force: true });
    throw error;
  }
  const policy = new PolicyEnforcer();
  policy.registerDefaults(identityPolicyDefaults);
  const config = defaultConfig().identity;
  config.identity.password_hash_rounds = 4;
  const writes = new WriteGeneration();
  const db = store.identityDb(database, writes);
  const deps: IdentityDeps = {
    db,
    writes,
    config,
    authz: identityAuthorizer(policy),
    tokens: new TokenCodec(repository),
    log: pino({ level: 'silent' }),
    identityUrl: 'http://127.0.0.1:5000/identity',
    region: 'RegionOne',
    adminProjectId: () => null,
  };
  return {
    deps,
    db,
    async close() {
      await database.close();
      rmSync(keys, { recursive: true, force: true });
    },
  };
}

/** The role names each persona's token carries (admin implies member implies reader). */
export const PERSONA_ROLES = {
  admin: ['admin', 'member', 'reader'],
  member: ['member', 'reader'],
  reader: ['reader'],
} as const;

export type Persona = keyof typeof PERSONA_ROLES;

export interface AuthContextOptions {
  /** 'u1' unless told. */
  userId?: string;
  /** Role ids on the token; the role names unless told. */
  roleIds?: string[];
  /** The project (of the Default domain) the token is scoped to: 'p1' unless told; null for none. */
  project?: string | null;
  /** A domain-scoped token instead (the project is then ignored). */
  domain?: string;
  /** A system-scoped token instead (the project is then ignored). */
  system?: boolean;
  applicationCredentialId?: string | null;
}

/**
 * A validated token's context for a persona (or exactly these role names),
 * scoped to project p1 of the Default domain unless told otherwise.
 */
export function authContext(persona: Persona | readonly string[], options: AuthContextOptions = {}): CallerContext {
  const roles = [...(typeof persona === 'string' ? PERSONA_ROLES[persona] : persona)];
  const userId = options.userId ?? 'u1';
  const scopedElsewhere = options.domain !== undefined || options.system === true;
  const projectId = scopedElsewhere ? null : options.project === undefined ? 'p1' : options.project;
  return {
    token: 'token',
    userId,
    userName: userId,
    userDomainId: 'default',
    userDomainName: 'Default',
    project: projectId === null ? null : { id: projectId, name: projectId, domainId: 'default', domainName: 'Default' },
    domain: options.domain === undefined ? null : { id: options.domain, name: options.domain },
    system: options.system === true,
    roles,
    roleIds: options.roleIds ?? roles,
    isAdminProject: false,
    applicationCredentialId: options.applicationCredentialId ?? null,
    trustId: null,
    oauthAccessTokenId: null,
    requestId: null,
    auditIds: ['audit'],
    expiresAt: new Date(Date.now() + 3600_000),
    issuedAt: new Date(),
  };
}

/**
 * Rows for tests to build on, with the columns nobody cares about filled in.
 * Each takes the id (also the name) and, where it matters, what it belongs to.
 */
export async function seedDomain(db: IdentityDb, id: string, enabled = true): Promise<void> {
  await store.insertDomain(db, { id, name: id, description: null, enabled, extra: '{}', created_at: new Date().toISOString() });
}

export async function seedProject(db: IdentityDb, id: string, domainId = 'default', parentId: string | null = null): Promise<void> {
  await store.insertProject(
    db,
    { id, name: id, domain_id: domainId, parent_id: parentId, description: null, enabled: true, extra: '{}', created_at: new Date().toISOString() },
    [],
  );
}

export async function seedUser(db: IdentityDb, id: string, domainId = 'default'): Promise<void> {
  await store.insertUser(db, {
    id,
    name: id,
    domain_id: domainId,
    enabled: true,
    default_project_id: null,
    description: null,
    extra: '{}',
    options: '{}',
    failed_auth_count: 0,
    failed_auth_at: null,
    last_active_at: null,
    created_at: new Date().toISOString(),
  });
}

/** A global role `name` with id `id`. */
export async function seedRole(db: IdentityDb, id: string, name = id): Promise<void> {
  await store.insertRole(db, { id, name, domain_id: '', description: null, options: '{}', extra: '{}', created_at: new Date().toISOString() });
}

/** An application credential row of `userId` for `projectId` (no usable secret), restricted unless told. */
export async function seedAppCredential(
  db: IdentityDb,
  id: string,
  owner: { userId: string; projectId: string; roleIds?: string[]; unrestricted?: boolean },
): Promise<void> {
  await store.insertAppCredential(
    db,
    {
      id,
      name: id,
      user_id: owner.userId,
      project_id: owner.projectId,
      secret_hash: 'x',
      description: null,
      expires_at: null,
      unrestricted: owner.unrestricted ?? false,
      system: null,
      created_at: new Date().toISOString(),
    },
    owner.roleIds ?? [],
  );
}

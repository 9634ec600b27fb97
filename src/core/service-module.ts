/**
 * The contract between the server and a service (identity, compute, ...).
 * Each service folder's index.ts exports one ServiceModule; src/server.ts
 * migrates, initialises and mounts them. Services reach each other only
 * through `ServiceDeps.services`, which holds each one's exported operations.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './clock.js';
import type { CoreConfig } from './config.js';
import type { Database } from './db/database.js';
import type { Migrations } from './db/migrate.js';
import type { EventBus } from './events.js';
import type { DriverFaults } from './faults.js';
import type { Logger } from './logger.js';
import type { PolicyEnforcer } from './policy/index.js';
import type { CallerContext } from './context.js';
import { ServiceUnavailable } from './errors.js';
import type { QuotaEngine } from './quota/index.js';
import type { TaskQueue } from './tasks/index.js';

/** A catalog entry a service publishes; `path` is appended to the public URL. */
export interface CatalogEntry {
  type: string;
  name: string;
  /** e.g. `/identity`, or `/object-store/v1/AUTH_$(project_id)s` with Keystone's substitution. */
  path: string;
}

/** Validates a token for every service's API (implemented by identity). */
export interface Authenticator {
  /** Throws Unauthorized for a missing, invalid, expired or revoked token. */
  authenticate(token: string): Promise<CallerContext>;
}

/**
 * The services' exported operations, by service name; filled in as they
 * initialise. Core knows no service: each service's `operations.ts` adds its
 * own entry by declaration merging, so callers get it typed without a cast:
 *
 *     declare module '../core/service-module.js' {
 *       interface ServiceRegistry { network?: NetworkOperations }
 *     }
 *
 * Entries are optional: a service may be disabled, or not initialised yet.
 */
export interface ServiceRegistry {
  [service: string]: unknown;
}

/**
 * Another service's door, looked up at each call (services initialise one
 * after another, and one may be disabled): a 503 naming both services when
 * it is absent, for calls that cannot go on without it.
 */
export function requiredPeer<K extends Exclude<keyof ServiceRegistry, number>>(
  services: ServiceRegistry,
  name: K,
  caller: string,
): () => NonNullable<ServiceRegistry[K]> {
  return () => {
    const door = services[name];
    if (door === undefined || door === null) throw new ServiceUnavailable(`The ${String(name)} service is not available to the ${caller} service.`);
    return door as NonNullable<ServiceRegistry[K]>;
  };
}

/**
 * What a service gets to work with. `Sections` names the config sections it
 * reads besides core's (its own, e.g. `{ compute: ComputeConfig }`).
 */
export interface ServiceDeps<Sections = unknown> {
  config: CoreConfig & Sections;
  db: Database;
  log: Logger;
  policy: PolicyEnforcer;
  /**
   * Base URL clients use, without a trailing slash (e.g. http://127.0.0.1:5000).
   * A function because the port is known only once the server listens.
   */
  publicUrl(): string;
  dataDir: string;
  /** Every service's catalog entries (identity turns them into services and endpoints). */
  catalog: CatalogEntry[];
  services: ServiceRegistry;
  /** Durable tasks: services define their kinds in init(); workers start once all are ready. */
  tasks: TaskQueue;
  /** Per-project quotas: services register their resources in init(). */
  quotas: QuotaEngine;
  /** Set once identity is initialised; services use it to authenticate requests. */
  authenticator: Authenticator | null;
  /** The cloud's notifications (`compute.instance.create.end`, ...): services publish, others subscribe. */
  events: EventBus;
  /** The cloud's clock (core/clock.ts): expiries and timers read it; `onAdvance` wakes a timer when tests move time forward. */
  clock: Clock;
  /** Injected driver faults (`/_nimbus/faults`): drivers and workers ask at their fault points. */
  faults: DriverFaults;
}

export interface ServiceInstance {
  /** Runs once the server listens and publicUrl() is final (catalog sync, default content). */
  ready?(): Promise<void>;
  /** Mounts the service's routes under its prefix (a Fastify plugin). */
  routes(scope: FastifyInstance): Promise<void>;
  /**
   * Routes a service answers at the port's root, where clients look for them
   * outside any prefix (Swift's `/info`: openstacksdk asks for it at the
   * object-store endpoint's host). Mounted in a scope of their own.
   */
  rootRoutes?(scope: FastifyInstance): Promise<void>;
  /** Operations other services may call. */
  operations?: unknown;
  /**
   * The service's own layer behind its door, for this repository's benches
   * and white-box tests (e.g. timing compute's scheduler alone). No service
   * reads another's: the import-boundary test keeps them to operations.
   */
  internals?: unknown;
  authenticator?: Authenticator;
  /**
   * Sees every response the server sends, whatever its prefix (a service's
   * own hooks see only its scope): the exporter counts requests with it.
   * Must be cheap and must not throw.
   */
  onResponse?(request: FastifyRequest, reply: FastifyReply): void;
  /**
   * The service's files under the data directory that belong to the cloud's
   * state (bulk bytes, a fake driver's record), so that a state snapshot
   * (`/_nimbus/state`) holds them together with the database.
   */
  stateFiles?: readonly StateFiles[];
  /**
   * Called before a state snapshot copies or replaces the `stateFiles`: a
   * service that keeps some of them open (SQLite files) closes them, to reopen
   * them on their next use.
   */
  closeStateFiles?(): Promise<void>;
  /**
   * Called after a state snapshot replaced the database rows and the
   * `stateFiles`: whatever the service keeps in memory (caches, a fake
   * driver's guests) must be re-read so that it no longer tells of the
   * state before.
   */
  stateRestored?(): Promise<void>;
  stop?(): Promise<void>;
}

/** A file or folder (relative to the data directory) that a state snapshot copies. */
export interface StateFiles {
  path: string;
  /**
   * True when its files are never changed in place (written under a temporary
   * name, then renamed): a snapshot then shares them by hard link instead of
   * copying their bytes.
   */
  writeOnce: boolean;
}

export interface ServiceModule<Sections = unknown> {
  name: string;
  /** URL prefix, devstack style: `/identity`, `/compute`, ... */
  prefix: string;
  migrations: Migrations;
  policyDefaults: Record<string, string>;
  catalog: CatalogEntry[];
  init(deps: ServiceDeps<Sections>): Promise<ServiceInstance>;
  /**
   * Largest JSON request body the service takes, in bytes (413 past it);
   * core's DEFAULT_JSON_BODY_LIMIT when absent. See core/http/json-body.ts.
   */
  jsonBodyLimit?: number;
}

/**
 * One application of a seed: the file (for places in errors and relative
 * paths), the services' doors, and what the seed has made or found so far,
 * by the names the seed uses. Resources of a project are made by the
 * operator in that project (a service caller scoped to it, so the project's
 * quotas count them); those naming a `user` are made with that user's own
 * password token, so the user's policy holds as for their own requests.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { serviceCaller, type CallerContext } from '../core/context.js';
import { NimbusError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ServiceRegistry } from '../core/service-module.js';
import type { IdentityOperations, ProjectInfo, UserInfo } from '../identity/operations.js';
import type { Seed, SeedContent } from './model.js';
import { SeedError, type SeedPath, type SeedSource } from './source.js';

/** Where the seed is applied: the running services' doors and the server's data directory. */
export interface SeedTarget {
  services: ServiceRegistry;
  dataDir: string;
  log: Logger;
  /** The server's fault rules (`/_nimbus/faults`), where the seed's `faults:` go; absent where none run. */
  faults?: { add(rule: unknown): unknown };
}

/** Resources owned by a project, made by the operator there or by one of its users. */
export interface Ownership {
  project?: string;
  user?: string;
}

const SEED_ACTOR = 'nimbus-seed';

export class SeedRun {
  /** The operator, system-scoped: domains, projects, users, flavors, quotas. */
  readonly admin: CallerContext = serviceCaller(SEED_ACTOR, null);
  readonly projects = new Map<string, ProjectInfo>();
  readonly users = new Map<string, UserInfo>();
  readonly #logins = new Map<string, CallerContext>();
  /** How many resources this run made (none on a second start with the same seed). */
  created = 0;

  constructor(
    readonly source: SeedSource,
    readonly seed: Seed,
    readonly target: SeedTarget,
    /** The seed file's own path: files it names are relative to its folder. */
    readonly file: string,
  ) {}

  /** A path the seed names, relative to the seed file's folder. */
  path(relative: string): string {
    return resolve(dirname(this.file), relative);
  }

  /** The size of a file the seed names at `at`; a SeedError when it cannot be read. */
  fileSize(at: SeedPath, relative: string): number {
    return this.#readable(at, relative, (path) => statSync(path).size);
  }

  /** The bytes of an entry: its inline `content`, or its `file` (relative to the seed). */
  contentOf(at: SeedPath, entry: SeedContent): Buffer {
    if (entry.content !== undefined) return Buffer.from(entry.content);
    return this.readFile([...at, 'file'], entry.file);
  }

  /** The bytes of a file the seed names at `at` (relative to the seed); a SeedError when it cannot be read. */
  readFile(at: SeedPath, relative: string): Buffer {
    return this.#readable(at, relative, (path) => readFileSync(path));
  }

  #readable<T>(at: SeedPath, relative: string, read: (path: string) => T): T {
    const path = this.path(relative);
    try {
      return read(path);
    } catch (error) {
      throw this.source.error(at, `cannot read '${path}' (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})`);
    }
  }

  /** A service's door; a SeedError at `at` when that service is not running. */
  door<K extends Exclude<keyof ServiceRegistry, number>>(name: K, at: SeedPath): NonNullable<ServiceRegistry[K]> {
    const door = this.target.services[name];
    if (door === undefined || door === null) throw this.source.error(at, `the ${String(name)} service is not running`);
    return door as NonNullable<ServiceRegistry[K]>;
  }

  identity(at: SeedPath): IdentityOperations {
    return this.door('identity', at);
  }

  /**
   * Runs one step of the seed; a service's refusal (policy, quota, a bad
   * value) becomes an error at the entry's place, in the service's own words.
   */
  async step<T>(at: SeedPath, what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SeedError) throw error;
      throw this.source.error(at, `${what}: ${messageOf(error)}`);
    }
  }

  /**
   * The resource `find` finds (a 404 counts as none), else the one `create`
   * makes: what makes a second application of the seed change nothing.
   */
  async ensure<T>(at: SeedPath, kind: string, name: string, find: () => Promise<T | null>, create: () => Promise<T>): Promise<T> {
    const what = `${kind} '${name}'`;
    const found = await this.step(at, what, () => find().catch((error: unknown) => (isNotFound(error) ? null : Promise.reject(error))));
    if (found !== null) return found;
    const made = await this.step(at, what, create);
    this.created += 1;
    this.target.log.debug({ kind, name }, 'seed: created');
    return made;
  }

  /** The project of this name: one of the seed's, else the cloud's; a SeedError when none. */
  async project(at: SeedPath, name: string): Promise<ProjectInfo> {
    const known = this.projects.get(name);
    if (known) return known;
    const found = await this.lookup(at, 'project', name, () => this.identity(at).findProject(this.admin, name));
    this.projects.set(name, found);
    return found;
  }

  async user(at: SeedPath, name: string): Promise<UserInfo> {
    const known = this.users.get(name);
    if (known) return known;
    const found = await this.lookup(at, 'user', name, () => this.identity(at).findUser(this.admin, name));
    this.users.set(name, found);
    return found;
  }

  /** The domain's id; `Default` when no name is given. */
  async domainId(at: SeedPath, name: string | undefined): Promise<string> {
    if (name === undefined) return 'default';
    return (await this.lookup(at, 'domain', name, () => this.identity(at).findDomain(this.admin, name))).id;
  }

  /**
   * A lookup by name through a door; a 404 becomes "<kind> '<name>' does not
   * exist" at the place that names it.
   */
  async lookup<T>(at: SeedPath, kind: string, name: string, find: () => Promise<T | null>): Promise<T> {
    let found: T | null;
    try {
      found = await find();
    } catch (error) {
      if (!isNotFound(error)) throw this.source.error(at, `${kind} '${name}': ${messageOf(error)}`);
      found = null;
    }
    if (found === null) throw this.source.error(at, `${kind} '${name}' does not exist`);
    return found;
  }

  /**
   * Who makes a resource owned as `owner` says: the named user with their
   * own token on the project (the seed must give that user's password), else
   * the operator in the project (`admin` when none is named).
   */
  async callerFor(at: SeedPath, owner: Ownership): Promise<CallerContext> {
    const project = await this.project(at, owner.project ?? 'admin');
    if (owner.user === undefined) return serviceCaller(SEED_ACTOR, project);
    return this.login(at, owner.user, project);
  }

  /** The user's own token on the project, logged in with the password the seed gives. */
  async login(at: SeedPath, userName: string, project: ProjectInfo): Promise<CallerContext> {
    const key = `${userName}\n${project.id}`;
    const cached = this.#logins.get(key);
    if (cached) return cached;
    const password = this.seed.users?.find((user) => user.name === userName)?.password;
    if (password === undefined) throw this.source.error(at, `user '${userName}' is not one of the seed's users (the seed logs in with the password it gives)`);
    const user = await this.user(at, userName);
    const { caller } = await this.step(at, `logging in as '${userName}' on project '${project.name}'`, () =>
      this.identity(at).passwordToken({ userId: user.id, password, projectId: project.id }),
    );
    this.#logins.set(key, caller);
    return caller;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isNotFound(error: unknown): boolean {
  return error instanceof NimbusError && error.status === 404;
}

/**
 * Named snapshots of a whole cloud, under `<data dir>/state/<name>/`: the
 * database (every service's tables: a file there on SQLite, a schema of the
 * database on PostgreSQL) and the files the services declare (image, volume,
 * backup and object bytes, the fake hypervisor's guests).
 *
 * Consistency: save and load first wait for the task queue to drain (a
 * server still building answers 409 after a while), then copy rows and files
 * while no service can commit a change (SQLite: the one connection is held;
 * PostgreSQL: the tables are locked). Requests running at that moment wait;
 * the snapshot is meant for a quiet cloud between tests.
 *
 * Not in a snapshot: the Fernet keys and stored passwords. Tokens issued
 * before a load keep working while their user, project and roles exist in the
 * loaded state (the token is checked against the rows at each use), and the
 * admin credentials the CLI reads stay right.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BadRequest, Conflict, NotFound, NotImplemented } from '../../core/errors.js';
import type { StateFiles } from '../../core/service-module.js';
import type { ControlContext } from '../context.js';
import type { DatabaseState, SnapshotPlace } from './database-state.js';
import { copyStateFiles, restoreStateFiles, type KnownFiles } from './file-state.js';
import { PostgresState } from './postgres-state.js';
import { SqliteState } from './sqlite-state.js';

/** The snapshot `reset` loads: the cloud as its first start-up (and seed) left it. */
export const BOOTSTRAP_SNAPSHOT = 'bootstrap';

/** How long save and load wait for running tasks (a fake server's build) before answering 409. */
const TASK_DRAIN_MS = 30_000;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const FILES_DIR = 'files';
const META_FILE = 'snapshot.json';

export interface SnapshotInfo {
  name: string;
  created_at: string;
  /** Bytes of the snapshot's files (those shared by hard link with the live cloud counted too). */
  size: number;
}

/** `snapshot.json`: what a listing shows, and an id telling this snapshot from an older one of the same name. */
interface SnapshotMeta {
  id: string;
  created_at: string;
  size: number;
}

export class StateSnapshots {
  /** One save, load or delete at a time: each sees the others' results whole. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #database: DatabaseState;
  /** The snapshot (its `id`) the live state was last saved to or loaded from: loading it again copies only what changed since. */
  #synced: string | null = null;
  /** The live files as they were then (see KnownFiles): restoring that snapshot looks again only at what changed. */
  #knownFiles: KnownFiles | null = null;

  constructor(private readonly context: ControlContext) {
    this.#database = context.db.dialect === 'postgres' ? new PostgresState() : new SqliteState();
  }

  get root(): string {
    return join(this.context.dataDir, 'state');
  }

  list(): SnapshotInfo[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .filter((name) => NAME.test(name) && existsSync(join(this.root, name, META_FILE)))
      .sort()
      .map((name) => this.#info(name));
  }

  has(name: string): boolean {
    return existsSync(join(this.root, checkedName(name), META_FILE));
  }

  save(name: string): Promise<SnapshotInfo> {
    checkedName(name);
    return this.#exclusive(async () => {
      this.#checkSupported();
      await this.#waitForTasks();
      mkdirSync(this.root, { recursive: true, mode: 0o700 });
      const place: SnapshotPlace = { dir: join(this.root, `.${name}.${randomUUID()}`), id: randomUUID() };
      mkdirSync(place.dir);
      try {
        await this.#closeServiceFiles();
        let known: KnownFiles | null = null;
        const outside = await this.context.db.kysely.connection().execute((connection) =>
          this.#database.save(connection, place, () => {
            known = copyStateFiles(this.#stateFiles(), this.context.dataDir, join(place.dir, FILES_DIR));
          }),
        );
        const meta: SnapshotMeta = { id: place.id, created_at: new Date().toISOString(), size: treeSize(place.dir) + outside };
        writeFileSync(join(place.dir, META_FILE), JSON.stringify(meta));
        await this.#replace(name, place.dir);
        this.#synced = meta.id;
        this.#knownFiles = known;
      } catch (error) {
        rmSync(place.dir, { recursive: true, force: true });
        throw error;
      }
      return this.#info(name);
    });
  }

  load(name: string): Promise<void> {
    checkedName(name);
    return this.#exclusive(async () => {
      this.#checkSupported();
      const dir = join(this.root, name);
      if (!existsSync(join(dir, META_FILE))) throw new NotFound(`No state snapshot named ${name}.`);
      const { id } = this.#meta(name);
      await this.#waitForTasks();
      await this.#closeServiceFiles();
      const sinceSynced = this.#synced === id;
      const knownBefore = sinceSynced ? this.#knownFiles : null;
      this.#synced = null;
      this.#knownFiles = null;
      let known: KnownFiles | null = null;
      await this.context.db.kysely.connection().execute((connection) =>
        this.#database.load(connection, { dir, id }, sinceSynced, () => {
          known = restoreStateFiles(this.#stateFiles(), join(dir, FILES_DIR), this.context.dataDir, knownBefore);
        }),
      );
      this.#synced = id;
      this.#knownFiles = known;
      for (const instance of Object.values(this.context.services)) await instance.stateRestored?.();
      this.context.tasks.wake();
    });
  }

  remove(name: string): Promise<void> {
    checkedName(name);
    return this.#exclusive(async () => {
      const dir = join(this.root, name);
      if (!existsSync(join(dir, META_FILE))) throw new NotFound(`No state snapshot named ${name}.`);
      await this.#discard(name);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Whether this cloud can be snapshot (save and load answer 501 otherwise). */
  supported(): boolean {
    return this.#unsupported() === null;
  }

  #checkSupported(): void {
    const reason = this.#unsupported();
    if (reason) throw new NotImplemented(reason);
  }

  /** Real drivers' hosts (QEMU guests, bridges) cannot be rewound with the rows. */
  #unsupported(): string | null {
    const { config } = this.context;
    if (config.compute.compute_driver !== 'fake') return 'State snapshots need the fake compute driver: real guests cannot be rewound.';
    if (config.network.driver !== 'noop') return 'State snapshots need the noop network driver: host bridges cannot be rewound.';
    return null;
  }

  async #waitForTasks(): Promise<void> {
    try {
      await this.context.tasks.drain({ timeoutMs: TASK_DRAIN_MS });
    } catch {
      throw new Conflict(`Tasks of the cloud are still running after ${TASK_DRAIN_MS / 1000} s; try again once they have ended.`);
    }
  }

  async #closeServiceFiles(): Promise<void> {
    for (const instance of Object.values(this.context.services)) await instance.closeStateFiles?.();
  }

  #stateFiles(): StateFiles[] {
    return Object.values(this.context.services).flatMap((instance) => instance.stateFiles ?? []);
  }

  /** Puts the finished snapshot in place of any older one of the same name. */
  async #replace(name: string, building: string): Promise<void> {
    const target = join(this.root, name);
    const retired = `${building}.old`;
    if (existsSync(target)) {
      await this.#discard(name);
      renameSync(target, retired);
    }
    renameSync(building, target);
    rmSync(retired, { recursive: true, force: true });
  }

  /** Drops what the snapshot `name` holds in the database outside its folder. */
  async #discard(name: string): Promise<void> {
    const place = { dir: join(this.root, name), id: this.#meta(name).id };
    await this.context.db.kysely.connection().execute((connection) => this.#database.discard(connection, place));
  }

  #info(name: string): SnapshotInfo {
    const meta = this.#meta(name);
    return { name, created_at: meta.created_at, size: meta.size };
  }

  #meta(name: string): SnapshotMeta {
    return JSON.parse(readFileSync(join(this.root, name, META_FILE), 'utf8')) as SnapshotMeta;
  }
}

/** Names become folder names: letters, digits, `.`, `_` and `-`, not starting with a dot. */
function checkedName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new BadRequest('A state snapshot name is 1 to 100 letters, digits, ".", "_" or "-", and starts with a letter or digit.');
  }
  return name;
}

function treeSize(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + treeSize(join(path, name)), 0);
}

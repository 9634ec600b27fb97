/**
 * Where backups keep their bytes: named objects in containers, the shape of
 * an object store (Swift): the Swift store when the object storage service
 * runs, the file one otherwise; backups are cut into chunks the same way.
 *
 * `put` replaces an object whole, atomically (a reader sees the old bytes or
 * the new, never a mix); `delete` of a missing object succeeds; `get` of a
 * missing one throws `BackendObjectNotFound`.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { ServiceObjectStore } from '../../object-store/operations.js';
import { BackendObjectNotFound, BackendUnsupported } from './errors.js';

export interface BackupObjectStore {
  /** The Cinder backup driver this store stands for, as export records name it (`backup_service`). */
  readonly service: string;
  put(container: string, name: string, data: Buffer): Promise<void>;
  get(container: string, name: string): Promise<Buffer>;
  delete(container: string, name: string): Promise<void>;
  /** Names in the container that start with `prefix`. */
  list(container: string, prefix: string): Promise<string[]>;
}

/**
 * Objects in the object storage service, in the project's account
 * (`AUTH_<project>`), as Cinder's Swift backup driver keeps them (per-user
 * auth): the container is made on first use.
 */
export class SwiftBackupStore implements BackupObjectStore {
  readonly service = 'cinder.backup.drivers.swift.SwiftBackupDriver';

  constructor(
    private readonly swift: ServiceObjectStore,
    private readonly account: string,
  ) {}

  async put(container: string, name: string, data: Buffer): Promise<void> {
    await this.swift.ensureContainer(this.account, container);
    await this.swift.put(this.account, container, name, data);
  }

  async get(container: string, name: string): Promise<Buffer> {
    const data = await this.swift.get(this.account, container, name);
    if (!data) throw new BackendObjectNotFound(`Backup object ${container}/${name}`);
    return data;
  }

  delete(container: string, name: string): Promise<void> {
    return this.swift.delete(this.account, container, name);
  }

  list(container: string, prefix: string): Promise<string[]> {
    return this.swift.list(this.account, container, prefix);
  }
}

/** Objects as files under `<root>/<container>/<name>`, written to a temporary name and renamed. */
export class FileBackupStore implements BackupObjectStore {
  readonly service = 'cinder.backup.drivers.posix.PosixBackupDriver';

  constructor(private readonly root: string) {}

  async put(container: string, name: string, data: Buffer): Promise<void> {
    const path = this.#path(container, name);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${randomUUID()}`;
    try {
      await writeFile(tmp, data, { flush: true });
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async get(container: string, name: string): Promise<Buffer> {
    try {
      return await readFile(this.#path(container, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BackendObjectNotFound(`Backup object ${container}/${name}`);
      throw error;
    }
  }

  async delete(container: string, name: string): Promise<void> {
    await rm(this.#path(container, name), { force: true });
  }

  async list(container: string, prefix: string): Promise<string[]> {
    const dir = join(this.root, safe(container));
    const names: string[] = [];
    const walk = async (sub: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(join(dir, sub), { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const name = sub ? `${sub}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(name);
        else if (!entry.name.includes('.tmp-') && name.startsWith(prefix)) names.push(name);
      }
    };
    await walk('');
    return names.sort();
  }

  #path(container: string, name: string): string {
    if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) throw new BackendUnsupported(`Invalid object name ${name}`);
    return join(this.root, safe(container), name);
  }
}

function safe(container: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(container) || container.startsWith('.')) throw new BackendUnsupported(`Invalid container name ${container}`);
  return container;
}

/**
 * A Fernet key repository laid out as `keystone-manage fernet_setup` and
 * `fernet_rotate` keep it, so an operator can copy one between Nimbus and
 * Keystone, or sync it across API hosts with the tools they already use:
 *
 * - one key per file, named by an integer; other names are ignored;
 * - `0` is the staged key: every reader already decrypts with it, nobody
 *   encrypts with it yet, so a rotation on one host never rejects a token
 *   that another host issued just after it;
 * - the highest number is the primary, the only key that encrypts;
 * - the rest are secondaries, kept so tokens they made stay valid until purged.
 *
 * Every key file is written to a temporary name, fsynced and renamed, so a
 * crash never leaves a torn or half-written key. Like Keystone, rotations must
 * not run concurrently on one directory (run them from one cron job).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBase64Url, generateFernetKey } from './fernet.js';

/** Keystone's `[fernet_tokens] max_active_keys` default. */
export const DEFAULT_MAX_ACTIVE_KEYS = 3;

const STAGED = 0;
const KEY_FILE_NAME = /^\d+$/;
const TEMPORARY_NAME = /^\.key-.*\.tmp$/;

/** The repository holds no usable key: it was never set up, or is unreadable. */
export class KeysNotFound extends Error {
  constructor(directory: string, options?: { cause?: unknown }) {
    super(`No Fernet keys found in ${directory}; run \`nimbus manage fernet-setup\` to create them`, options);
    this.name = 'KeysNotFound';
  }
}

export interface KeyRepositoryOptions {
  /** Keys kept after a rotation, the staged key included; at least 2. Default 3. */
  maxActiveKeys?: number;
}

export class KeyRepository {
  readonly directory: string;
  readonly maxActiveKeys: number;

  constructor(directory: string, options: KeyRepositoryOptions = {}) {
    const maxActiveKeys = options.maxActiveKeys ?? DEFAULT_MAX_ACTIVE_KEYS;
    if (!Number.isInteger(maxActiveKeys) || maxActiveKeys < 2) {
      throw new RangeError('maxActiveKeys must be an integer of at least 2 (a primary and the staged key)');
    }
    this.directory = directory;
    this.maxActiveKeys = maxActiveKeys;
  }

  /**
   * Creates the directory (mode 0700) and, if it holds no key, a primary `1`
   * and a staged `0`. Does nothing to a repository that has keys, so it can
   * run on every start; like rotations, not from several processes at once.
   */
  setup(): void {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    if (this.#keyIds().length > 0) return;
    this.#writeKey(1, generateFernetKey());
    this.#writeKey(STAGED, generateFernetKey());
  }

  /**
   * Promotes the staged key `0` to primary (highest number + 1), writes a new
   * staged key, then deletes the oldest keys so that `maxActiveKeys` remain.
   * Tokens made under a purged key stop validating.
   *
   * The new staged key is written before anything is renamed, so a failure
   * leaves the repository as it was. If a crash came between the promotion and
   * the new staged key (no `0` on disk), the next rotation completes that one
   * instead of promoting again, and removes temporary files a crash left.
   *
   * @throws KeysNotFound if the repository is missing or has no key.
   */
  rotate(): void {
    const ids = this.#existingKeyIds();
    if (ids.length === 0) throw new KeysNotFound(this.directory);
    this.#removeLeftoverTemporaries();
    const staged = this.#stageKey(generateFernetKey());
    const secondaries = ids.filter((id) => id !== STAGED);
    if (ids.includes(STAGED)) {
      const primary = Math.max(...ids) + 1;
      renameSync(this.#path(STAGED), this.#path(primary));
      secondaries.push(primary);
    }
    renameSync(staged, this.#path(STAGED));
    secondaries.sort((a, b) => b - a);
    for (const id of secondaries.slice(this.maxActiveKeys - 1)) unlinkSync(this.#path(id));
    syncDirectory(this.directory);
  }

  /**
   * The keys in the order a `MultiFernet` wants them: primary first, then the
   * secondaries newest first, the staged key last. Empty key files are
   * skipped, as Keystone skips them, and so are files that vanish while being
   * read (another process is rotating; its change stamp will differ).
   *
   * @throws KeysNotFound if the directory is missing or holds no key.
   * @throws Error naming the file if a key file does not hold a Fernet key.
   */
  load(): string[] {
    const keys = this.#existingKeyIds()
      .sort((a, b) => b - a)
      .flatMap((id) => {
        const key = readKeyFile(this.#path(id));
        if (key === undefined || key === '') return [];
        if (decodeBase64Url(key)?.length !== 32) {
          throw new Error(`Fernet key file ${this.#path(id)} does not hold a valid key (32 bytes in padded base64url)`);
        }
        return [key];
      });
    if (keys.length === 0) throw new KeysNotFound(this.directory);
    return keys;
  }

  /**
   * A cheap fingerprint of the repository's state, compared to decide whether
   * to reload. It includes the key file names because file-system timestamps
   * tick coarsely (a rotation within the same tick as a load keeps the mtime),
   * while every rotation adds a new number; the directory's mtime and ctime
   * catch keys replaced under the same names by rename (rsync, config tools).
   * Keys edited in place change none of these: call `TokenCodec.reload()`.
   */
  changeStamp(): string {
    try {
      const { mtimeNs, ctimeNs } = statSync(this.directory, { bigint: true });
      return `${mtimeNs}:${ctimeNs}:${this.#keyIds()
        .sort((a, b) => a - b)
        .join(',')}`;
    } catch {
      return 'unreadable';
    }
  }

  /** The key ids, a missing or unreadable directory reported as KeysNotFound. */
  #existingKeyIds(): number[] {
    try {
      return this.#keyIds();
    } catch (error) {
      throw new KeysNotFound(this.directory, { cause: error });
    }
  }

  #keyIds(): number[] {
    return readdirSync(this.directory, { withFileTypes: true })
      .filter((entry) => entry.isFile() && KEY_FILE_NAME.test(entry.name))
      .map((entry) => Number(entry.name));
  }

  #removeLeftoverTemporaries(): void {
    for (const name of readdirSync(this.directory)) {
      if (TEMPORARY_NAME.test(name)) rmSync(join(this.directory, name), { force: true });
    }
  }

  #path(id: number): string {
    return join(this.directory, String(id));
  }

  #writeKey(id: number, key: string): void {
    renameSync(this.#stageKey(key), this.#path(id));
    syncDirectory(this.directory);
  }

  /** Writes `key` durably under a temporary name (not an integer, so loaders ignore it). */
  #stageKey(key: string): string {
    const temporary = join(this.directory, `.key-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(fd, key);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    return temporary;
  }
}

/** The trimmed content of a key file, or undefined if it no longer exists. */
function readKeyFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes renames and unlinks in `directory` durable, not just the files' contents. */
function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

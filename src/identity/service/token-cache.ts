/**
 * Validated tokens (and validation answers rendered from them), remembered so
 * that the other services' API calls and GET /v3/auth/tokens do not re-open
 * the Fernet token nor re-read user, project, roles and revocations for every
 * request (the job keystonemiddleware's token cache does for a real cloud).
 * An entry holds while no identity write has happened since the work behind
 * it began, the Fernet keys have not been reloaded, the tokens it stands for
 * have not expired on the cloud's clock, and it is younger than
 * `[token] cache_time`; so revocations, disabled users, removed roles and
 * purged keys still take effect at once in this process. The validity check
 * stays two O(1) comparisons of generation numbers.
 */
import type { WriteGeneration } from '../../core/db/write-generation.js';
import { nowMs } from '../../core/time.js';

/** When an entry's work began: an entry made from data read before a write must not outlive that write. */
export interface CacheStamp {
  generation: number;
  keys: number;
}

/** The Fernet key set's generation, bumped at each reload (TokenCodec). */
export interface KeysGeneration {
  keysGeneration(): number;
}

interface Entry<V> extends CacheStamp {
  value: V;
  cachedAt: number;
  /** On the cloud's clock: the earliest expiry of the tokens the value stands for. */
  expiresAtMs: number;
}

export class ValidatedTokenCache<V> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(
    private readonly writes: WriteGeneration,
    private readonly keys: KeysGeneration,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** Taken before reading what the value is made of, and handed to `set`. */
  stamp(): CacheStamp {
    return { generation: this.writes.value, keys: this.keys.keysGeneration() };
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (
      entry.generation !== this.writes.value ||
      entry.keys !== this.keys.keysGeneration() ||
      Date.now() - entry.cachedAt > this.ttlMs ||
      entry.expiresAtMs <= nowMs()
    ) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAtMs: number, stamp: CacheStamp): void {
    if (this.ttlMs <= 0) return;
    // Map keeps insertion order: dropping the first entry drops the oldest.
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, { value, generation: stamp.generation, keys: stamp.keys, cachedAt: Date.now(), expiresAtMs });
  }
}

/**
 * Validated tokens, remembered so that the other services' API calls do not
 * re-read user, project, roles and revocations for every request (the job
 * keystonemiddleware's token cache does for a real cloud). An entry holds
 * while no identity write has happened since it was made, the token has not
 * expired, and it is younger than `[token] cache_time`; so revocations,
 * disabled users and removed roles still take effect at once in this process.
 */
import type { WriteGeneration } from '../../core/db/write-generation.js';
import type { TokenData } from './tokens.js';
import { nowMs } from '../../core/time.js';

interface Entry {
  data: TokenData;
  generation: number;
  cachedAt: number;
}

export class ValidatedTokenCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly writes: WriteGeneration,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(token: string): TokenData | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    const now = Date.now();
    if (entry.generation !== this.writes.value || now - entry.cachedAt > this.ttlMs || entry.data.payload.expiresAt.getTime() <= nowMs()) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.data;
  }

  set(token: string, data: TokenData): void {
    if (this.ttlMs <= 0) return;
    // Map keeps insertion order: dropping the first entry drops the oldest.
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(token, { data, generation: this.writes.value, cachedAt: Date.now() });
  }
}

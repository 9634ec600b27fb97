/**
 * Measures image bytes as they stream past: size, md5 and sha512, with the
 * size checks of `WriteOptions`. Every store driver feeds its data through
 * one, so all stores report the same figures for the same bytes.
 */
import { createHash, type Hash } from 'node:crypto';
import { StoreSizeLimitExceeded, StoreSizeMismatch } from './errors.js';
import { MULTIHASH_ALGORITHM, type StoredObject, type WriteOptions } from './store.js';

export class DataMeter {
  readonly #md5: Hash = createHash('md5');
  readonly #multihash: Hash = createHash(MULTIHASH_ALGORITHM);
  readonly #expected: number | null;
  readonly #max: number | null;
  #size = 0;

  constructor(options: WriteOptions = {}) {
    this.#expected = options.expectedSize ?? null;
    this.#max = options.maxSize ?? null;
    // Announced bigger than allowed: refuse before reading a byte.
    if (this.#max !== null && this.#expected !== null && this.#expected > this.#max) {
      throw new StoreSizeLimitExceeded(this.#max);
    }
  }

  get size(): number {
    return this.#size;
  }

  /** Counts and hashes one chunk; throws once the data is longer than allowed or announced. */
  update(chunk: Uint8Array): void {
    this.#size += chunk.byteLength;
    if (this.#max !== null && this.#size > this.#max) throw new StoreSizeLimitExceeded(this.#max);
    if (this.#expected !== null && this.#size > this.#expected) throw new StoreSizeMismatch(this.#expected, this.#size);
    this.#md5.update(chunk);
    this.#multihash.update(chunk);
  }

  /** The figures of the whole object, once the data has ended; checks the announced size. */
  finish(location: string): StoredObject {
    if (this.#expected !== null && this.#size !== this.#expected) throw new StoreSizeMismatch(this.#expected, this.#size);
    return {
      location,
      size: this.#size,
      checksum: this.#md5.digest('hex'),
      multihash: { algo: MULTIHASH_ALGORITHM, value: this.#multihash.digest('hex') },
    };
  }
}

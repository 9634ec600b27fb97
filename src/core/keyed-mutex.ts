/**
 * In-process mutual exclusion by key: calls of `run` with the same key run
 * one after another, in order; different keys never wait for each other.
 * Used for work on one resource that must not interleave (a server's task
 * steps, a guest's driver calls) and for one global key where decisions
 * must see each other (a scheduler). Across processes, durable-task leases
 * and atomic claims keep the guarantees; this only orders work inside one
 * process.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

/**
 * In-process mutual exclusion by key: the steps of a server's tasks (build,
 * delete, actions) take the server's lock so that a delete never interleaves
 * with a build step, and the scheduler takes one global key so that
 * (anti-)affinity decisions see each other. Across processes the task
 * queue's leases and Placement's atomic claims keep the guarantees.
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

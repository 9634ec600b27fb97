/**
 * Group commit: work queued under one key during the same event-loop turn is
 * handed to `run` together on the next turn, so a database sees one
 * transaction (one fsync) for every listing change that arrived meanwhile
 * instead of one each. Each caller's promise settles only after the batch that
 * holds its item has run, so an acknowledgement still follows the commit.
 */
interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class TickBatcher<T> {
  private readonly queues = new Map<string, Array<Waiting<T>>>();

  /** `run` gets the items of one key in arrival order; its failure fails all of them. */
  constructor(private readonly run: (key: string, items: T[]) => Promise<void>) {}

  add(key: string, item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(key, [{ item, resolve, reject }]);
      setImmediate(() => void this.flush(key));
    });
  }

  private async flush(key: string): Promise<void> {
    const queue = this.queues.get(key) ?? [];
    this.queues.delete(key);
    try {
      await this.run(
        key,
        queue.map((w) => w.item),
      );
      for (const w of queue) w.resolve();
    } catch (error) {
      for (const w of queue) w.reject(error);
    }
  }
}

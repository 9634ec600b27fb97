/**
 * One PostgreSQL connection of its own that comes back after it breaks. LISTEN
 * and session advisory locks live exactly as long as the session, so the pool
 * (which lends a different connection to each query) cannot hold them; and a
 * process that dies ends its session, which is what releases them cluster-wide.
 */
import type pg from 'pg';
import type { Logger } from '../logger.js';

export interface SessionHandlers {
  /** Runs on every new session before it counts as up (LISTEN again, ...). */
  onConnect(client: pg.Client): Promise<void>;
  /** The session ended: whatever it held is gone. */
  onLost(): void;
}

export class DedicatedSession {
  #client: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly open: () => pg.Client,
    private readonly handlers: SessionHandlers,
    private readonly log: Logger,
    private readonly retryMs = 1000,
  ) {}

  /** The connected session, or undefined while it is down. */
  get client(): pg.Client | undefined {
    return this.#client;
  }

  /** Connects once (and keeps retrying in the background if that fails). */
  async start(): Promise<void> {
    const client = this.open();
    let lost = false;
    const lose = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = undefined;
      this.handlers.onLost();
      client.end().catch(() => undefined);
      if (this.#closed) return;
      if (error) this.log.warn({ err: error }, 'cluster session to PostgreSQL lost; reconnecting');
      this.#retry = setTimeout(() => void this.start(), this.retryMs);
      this.#retry.unref();
    };
    client.on('error', lose);
    client.on('end', () => lose());
    try {
      await client.connect();
      await this.handlers.onConnect(client);
      if (lost || this.#closed) return;
      this.#client = client;
    } catch (error) {
      lose(error as Error);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}

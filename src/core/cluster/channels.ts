/**
 * One LISTEN session per process (per database handle) for every cluster
 * notification channel: identity write notices, task wake-ups. PostgreSQL
 * holds a NOTIFY sent inside a transaction until it commits and drops it on
 * a rollback, so whoever re-reads when told sees committed rows. Subscribers
 * share the session (DedicatedSession, which reconnects after a break); it
 * opens with the first subscriber and closes with the last. While it is down
 * notices can be lost: subscribers hear `onDown`, then `onUp` once it listens
 * again, and make up for the gap there. On SQLite (one process) there is
 * nothing to hear.
 */
import type pg from 'pg';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { DedicatedSession } from './dedicated-session.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export interface ChannelHandlers {
  onNotice(payload: string): void;
  /** The session listens (first time or again): notices sent before may have been missed. */
  onUp(): void;
  /** The session ended: notices are missed until `onUp`. */
  onDown(): void;
}

export interface ChannelSubscription {
  stop(): Promise<void>;
}

const NOTHING_TO_HEAR: ChannelSubscription = { stop: async () => undefined };

const perDatabase = new WeakMap<Database, ClusterChannels>();

/** Calls `handlers` for `channel`'s notices on `db`'s shared listening session; on SQLite does nothing. */
export async function subscribeChannel(db: Database, channel: string, handlers: ChannelHandlers, log: Logger): Promise<ChannelSubscription> {
  const open = db.dedicatedClient?.bind(db);
  if (!open) return NOTHING_TO_HEAR;
  if (!IDENTIFIER.test(channel)) throw new Error(`Not a plain identifier for a notification channel: ${channel}`);
  let channels = perDatabase.get(db);
  if (!channels) {
    channels = new ClusterChannels(open, log, () => perDatabase.delete(db));
    perDatabase.set(db, channels);
  }
  return channels.subscribe(channel, handlers);
}

class ClusterChannels {
  readonly #subscribers = new Map<string, Set<ChannelHandlers>>();
  readonly #session: DedicatedSession;
  readonly #started: Promise<void>;

  constructor(
    open: () => pg.Client,
    log: Logger,
    private readonly onClosed: () => void,
  ) {
    this.#session = new DedicatedSession(
      open,
      {
        onConnect: async (client) => {
          client.on('notification', (notice) => {
            for (const handlers of this.#subscribers.get(notice.channel) ?? []) handlers.onNotice(notice.payload ?? '');
          });
          for (const channel of this.#subscribers.keys()) await client.query(`LISTEN ${channel}`);
          for (const handlers of this.#all()) handlers.onUp();
        },
        onLost: () => {
          for (const handlers of this.#all()) handlers.onDown();
        },
      },
      log.child({ cluster: 'notifications' }),
    );
    // Started on the first subscribe, which has added its channel before this runs.
    this.#started = Promise.resolve().then(() => this.#session.start());
  }

  async subscribe(channel: string, handlers: ChannelHandlers): Promise<ChannelSubscription> {
    const known = this.#subscribers.get(channel);
    const subscribers = known ?? new Set<ChannelHandlers>();
    this.#subscribers.set(channel, subscribers);
    subscribers.add(handlers);
    await this.#started;
    // The session may have connected before this channel was added: listen now (LISTEN twice is
    // harmless, and so is a second onUp). A session that is down listens to it when it reconnects.
    const client = this.#session.client;
    if (client) {
      await client.query(`LISTEN ${channel}`);
      handlers.onUp();
    }
    return { stop: () => this.#unsubscribe(channel, handlers) };
  }

  async #unsubscribe(channel: string, handlers: ChannelHandlers): Promise<void> {
    const subscribers = this.#subscribers.get(channel);
    if (!subscribers?.delete(handlers)) return;
    if (subscribers.size > 0) return;
    this.#subscribers.delete(channel);
    if (this.#subscribers.size === 0) {
      this.onClosed();
      await this.#session.close();
      return;
    }
    await this.#session.client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
  }

  *#all(): Iterable<ChannelHandlers> {
    for (const subscribers of this.#subscribers.values()) yield* subscribers;
  }
}

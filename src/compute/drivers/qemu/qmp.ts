/**
 * A small QMP client (QEMU Machine Protocol over a unix socket): reads the
 * greeting, negotiates capabilities, runs commands matched to their replies
 * by id, each with a timeout, and lets a caller wait for an event. One
 * connection per operation: QEMU serves one QMP client per socket at a time,
 * and a short-lived connection survives a Nimbus restart trivially.
 */
import { createConnection, type Socket } from 'node:net';

export interface QmpGreeting {
  QMP: { version: { qemu: { major: number; minor: number; micro: number }; package: string }; capabilities: string[] };
}

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

/** A command QEMU answered with `{"error": ...}`. */
export class QmpCommandError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    description: string,
  ) {
    super(`QMP ${command}: ${errorClass}: ${description}`);
    this.name = 'QmpCommandError';
  }
}

/** No reply (or event) in time, or the connection went away. */
export class QmpTimeout extends Error {
  override name = 'QmpTimeout';
}

/** Per-command reply timeouts (ms), as Incus keeps them: device changes take longer. */
const TIMEOUTS: Record<string, number> = { device_add: 30_000, device_del: 30_000, 'blockdev-add': 10_000, 'blockdev-del': 10_000 };
const DEFAULT_TIMEOUT = 5_000;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; command: string; timer: NodeJS.Timeout };
type Waiter = { match: (e: QmpEvent) => boolean; resolve: (e: QmpEvent) => void };

export class QmpClient {
  readonly #socket: Socket;
  readonly #pending = new Map<number, Pending>();
  readonly #waiters = new Set<Waiter>();
  /** Events seen and not yet waited for (a DEVICE_DELETED may arrive before the wait starts). */
  readonly #events: QmpEvent[] = [];
  #nextId = 1;
  #buffer = '';
  #closed: Error | null = null;

  private constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** Connects, reads the greeting and leaves capability negotiation mode. */
  static async connect(path: string, timeoutMs = DEFAULT_TIMEOUT): Promise<QmpClient> {
    const socket = createConnection(path);
    const client = new QmpClient(socket);
    const greeting = new Promise<QmpGreeting>((resolve, reject) => {
      const timer = setTimeout(() => reject(new QmpTimeout(`QMP greeting from ${path} timed out`)), timeoutMs);
      client.#onGreeting = (g) => {
        clearTimeout(timer);
        resolve(g);
      };
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => client.#onData(chunk));
    socket.on('close', () => client.#fail(new QmpTimeout('QMP connection closed')));
    socket.on('error', (error) => client.#fail(error));
    try {
      client.greeting = await greeting;
      await client.execute('qmp_capabilities');
    } catch (error) {
      socket.destroy();
      throw error;
    }
    return client;
  }

  greeting: QmpGreeting | null = null;
  #onGreeting: ((g: QmpGreeting) => void) | null = null;

  /** Runs a command and returns its `return` value. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = TIMEOUTS[command] ?? DEFAULT_TIMEOUT): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new QmpTimeout(`QMP ${command} got no reply in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, command, timer });
      this.#socket.write(JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id }) + '\n');
    });
  }

  /** Resolves with the first event (seen since connecting) that matches. */
  waitEvent(name: string, match: (data: Record<string, unknown>) => boolean, timeoutMs: number): Promise<QmpEvent> {
    const test = (e: QmpEvent) => e.event === name && match(e.data ?? {});
    const seen = this.#events.findIndex(test);
    if (seen >= 0) return Promise.resolve(this.#events.splice(seen, 1)[0]!);
    return new Promise<QmpEvent>((resolve, reject) => {
      const waiter: Waiter = {
        match: test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new QmpTimeout(`QMP event ${name} did not arrive in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    let newline: number;
    while ((newline = this.#buffer.indexOf('\n')) >= 0) {
      const line = this.#buffer.slice(0, newline).trim();
      this.#buffer = this.#buffer.slice(newline + 1);
      if (line) this.#onMessage(JSON.parse(line) as Record<string, unknown>);
    }
  }

  #onMessage(message: Record<string, unknown>): void {
    if ('QMP' in message) {
      this.#onGreeting?.(message as unknown as QmpGreeting);
      return;
    }
    if ('event' in message) {
      const event = message as unknown as QmpEvent;
      const waiter = [...this.#waiters].find((w) => w.match(event));
      if (waiter) {
        this.#waiters.delete(waiter);
        waiter.resolve(event);
      } else {
        this.#events.push(event);
      }
      return;
    }
    const pending = this.#pending.get(message.id as number);
    if (!pending) return;
    this.#pending.delete(message.id as number);
    clearTimeout(pending.timer);
    const error = message.error as { class: string; desc: string } | undefined;
    if (error) pending.reject(new QmpCommandError(pending.command, error.class, error.desc));
    else pending.resolve(message.return);
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = error;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}

/** Connects, runs `fn`, always closes. */
export async function withQmp<T>(path: string, fn: (qmp: QmpClient) => Promise<T>): Promise<T> {
  const qmp = await QmpClient.connect(path);
  try {
    return await fn(qmp);
  } finally {
    qmp.close();
  }
}

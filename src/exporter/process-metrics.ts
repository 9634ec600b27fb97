/**
 * The server's own health: requests counted and timed by service, route
 * pattern, method and status; the durable task queue's depth; the
 * PostgreSQL connection pool; Node's default process metrics.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Database } from '../core/db/database.js';
import type { TaskQueue } from '../core/tasks/index.js';

const REQUEST_LABELS = ['service', 'route', 'method', 'status'] as const;

export interface ProcessMetricsDeps {
  tasks: TaskQueue;
  db: Database;
  /** The services' URL prefixes without their slash (`compute`, `identity`, ...): the only `service` labels a request that matched no route gets. */
  prefixes: ReadonlySet<string>;
}

export class ProcessMetrics {
  readonly #requests: Counter<(typeof REQUEST_LABELS)[number]>;
  readonly #durations: Histogram<(typeof REQUEST_LABELS)[number]>;

  constructor(
    registry: Registry,
    private readonly deps: ProcessMetricsDeps,
  ) {
    collectDefaultMetrics({ register: registry });
    this.#requests = new Counter({ name: 'nimbus_http_requests_total', help: 'HTTP requests answered', labelNames: REQUEST_LABELS, registers: [registry] });
    this.#durations = new Histogram({
      name: 'nimbus_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to sending its response, in seconds',
      labelNames: REQUEST_LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    const tasks = deps.tasks;
    new Gauge({
      name: 'nimbus_task_queue_tasks',
      help: 'Durable tasks not finished, by kind and status (queued, running, undoing), in every process sharing the database',
      labelNames: ['kind', 'status'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const { kind, status, count } of await tasks.depth()) this.set({ kind, status }, count);
      },
    });
    const pool = deps.db.pool;
    if (pool) {
      const poolGauge = (name: string, help: string, read: () => number) =>
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(read());
          },
        });
      poolGauge('nimbus_db_pool_connections', 'PostgreSQL connections open in the pool', () => pool.totalCount);
      poolGauge('nimbus_db_pool_idle_connections', 'PostgreSQL connections open and idle in the pool', () => pool.idleCount);
      poolGauge('nimbus_db_pool_waiting_requests', 'Queries waiting for a PostgreSQL connection from the pool', () => pool.waitingCount);
    }
  }

  /** Counts a response. Labels come from the route pattern, never the raw URL, so that their values stay few. */
  observe(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url;
    const labels = {
      service: serviceOf(route ?? request.url, route !== undefined, this.deps.prefixes),
      route: route ?? 'unmatched',
      method: request.method,
      status: String(reply.statusCode),
    };
    this.#requests.inc(labels);
    this.#durations.observe(labels, reply.elapsedTime / 1000);
  }
}

/** The path's first segment: a route pattern's always, a raw URL's only when it is a service's prefix. */
function serviceOf(path: string, isPattern: boolean, prefixes: ReadonlySet<string>): string {
  const first = path.split(/[/?]/, 2)[1] ?? '';
  if (isPattern) return first || 'root';
  return prefixes.has(first) ? first : 'none';
}

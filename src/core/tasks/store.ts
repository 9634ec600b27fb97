/**
 * The `core_task` table and its queries. Every write made by a worker is
 * fenced by its lease token (`WHERE lease_owner = ?`): once another worker has
 * claimed the task, the old worker's writes match no row and report `false`.
 * Timestamps are ISO-8601 text, compared as text (see `core/time.ts`).
 */
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { toCount } from '../db/values.js';
import { nowIso } from '../time.js';
import type { TaskStatus } from './types.js';

export type TaskRow = {
  id: string;
  kind: string;
  payload: string;
  resource_id: string | null;
  /** The host whose agent alone may claim the task; null: any process without hosts of its own. */
  host: string | null;
  status: TaskStatus;
  attempts: number;
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  steps: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
};

type TaskTables = { core_task: TaskRow };

/**
 * Views any Kysely instance or transaction as one over the task table. Table
 * types exist only at compile time, so the cast changes nothing at run time;
 * it lets callers pass a transaction typed with their own tables.
 */
export function taskTables<DB>(db: Kysely<DB> | Transaction<DB>): Kysely<TaskTables> {
  return db as unknown as Kysely<TaskTables>;
}

/**
 * The two times a claim is judged by: `due`, the cloud's (core/clock.ts), against
 * `run_after`, so delayed tasks come due when tests move time forward; `live`,
 * the real time, against leases, which prove a live worker whatever the cloud's time.
 */
export interface ClaimTime {
  due: string;
  live: string;
}

/**
 * Whose tasks a worker claims: `null`, a process that runs no host's work
 * (tasks with no host); a list, an agent that runs those hosts' work only.
 */
export type ClaimHosts = readonly string[] | null;

/** A task no live worker holds, addressed to these hosts: due and queued, or held under an expired lease. */
function claimable(eb: ExpressionBuilder<TaskTables, 'core_task'>, at: ClaimTime, hosts: ClaimHosts) {
  return eb.and([
    hosts === null ? eb('host', 'is', null) : eb('host', 'in', [...hosts]),
    eb.or([
      eb.and([eb('status', '=', 'queued'), eb('run_after', '<=', at.due)]),
      eb.and([eb('status', 'in', ['running', 'undoing']), eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', at.live)])]),
    ]),
  ]);
}

export async function insertTask(db: Kysely<TaskTables>, row: TaskRow): Promise<void> {
  await db.insertInto('core_task').values(row).execute();
}

export class TaskStore {
  constructor(
    private readonly db: Kysely<TaskTables>,
    private readonly hosts: ClaimHosts = null,
  ) {}

  /** Ids of claimable tasks of these kinds, oldest due first. */
  async findClaimable(kinds: string[], at: ClaimTime, limit: number): Promise<string[]> {
    if (kinds.length === 0) return [];
    const rows = await this.db
      .selectFrom('core_task')
      .select('id')
      .where('kind', 'in', kinds)
      .where((eb) => claimable(eb, at, this.hosts))
      .orderBy('run_after')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * When something of these kinds next comes claimable without a write by this
   * process: the earliest `run_after` of a queued task (cloud time) and the
   * earliest lease expiry of a task held elsewhere (real time; `except`: the
   * tasks this process runs, whose leases it renews). Null where none waits.
   */
  async nextClaimable(kinds: string[], except: string[]): Promise<{ runAfter: string | null; leaseExpiresAt: string | null }> {
    if (kinds.length === 0) return { runAfter: null, leaseExpiresAt: null };
    let query = this.db
      .selectFrom('core_task')
      .select((eb) => [
        eb.fn.min<string | null>(eb.case().when('status', '=', 'queued').then(eb.ref('run_after')).end()).as('runAfter'),
        eb.fn.min<string | null>(eb.case().when('status', '!=', 'queued').then(eb.ref('lease_expires_at')).end()).as('leaseExpiresAt'),
      ])
      .where('kind', 'in', kinds)
      .where('status', 'in', ['queued', 'running', 'undoing']);
    if (except.length > 0) query = query.where('id', 'not in', except);
    const row = await query.executeTakeFirstOrThrow();
    return { runAfter: row.runAfter ?? null, leaseExpiresAt: row.leaseExpiresAt ?? null };
  }

  /**
   * Takes the task if it is still claimable, in one conditional UPDATE: of
   * concurrent claimers exactly one matches the row (PostgreSQL re-checks the
   * WHERE after the row lock; SQLite runs one statement at a time). A queued
   * task starts a new attempt; an `undoing` one resumes its `onFailure`.
   */
  async claim(id: string, token: string, at: ClaimTime, leaseUntil: string): Promise<TaskRow | undefined> {
    return this.db
      .updateTable('core_task')
      .set({
        status: sql<TaskStatus>`CASE WHEN status = 'undoing' THEN 'undoing' ELSE 'running' END`,
        attempts: sql<number>`attempts + CASE WHEN status = 'undoing' THEN 0 ELSE 1 END`,
        lease_owner: token,
        lease_expires_at: leaseUntil,
        updated_at: at.due,
      })
      .where('id', '=', id)
      .where((eb) => claimable(eb, at, this.hosts))
      .returningAll()
      .executeTakeFirst();
  }

  async renewLease(id: string, token: string, leaseUntil: string): Promise<boolean> {
    return this.#fenced(id, token, { lease_expires_at: leaseUntil });
  }

  /** Saves the completed steps and extends the lease in the same write. */
  async recordSteps(id: string, token: string, steps: string, leaseUntil: string): Promise<boolean> {
    return this.#fenced(id, token, { steps, lease_expires_at: leaseUntil });
  }

  async scheduleRetry(id: string, token: string, runAfter: string, error: string): Promise<boolean> {
    return this.#fenced(id, token, {
      status: 'queued',
      run_after: runAfter,
      last_error: error,
      lease_owner: null,
      lease_expires_at: null,
    });
  }

  async beginUndo(id: string, token: string, error: string): Promise<boolean> {
    return this.#fenced(id, token, { status: 'undoing', last_error: error });
  }

  async finish(id: string, token: string, status: 'succeeded' | 'failed', error?: string): Promise<boolean> {
    return this.#fenced(id, token, {
      status,
      finished_at: nowIso(),
      lease_owner: null,
      lease_expires_at: null,
      ...(error === undefined ? {} : { last_error: error }),
    });
  }

  /**
   * Hands a task back without counting the interrupted attempt, so another
   * worker can take it at once instead of waiting for the lease to expire.
   */
  async release(id: string, token: string): Promise<boolean> {
    const result = await this.db
      .updateTable('core_task')
      .set({
        status: sql<TaskStatus>`CASE WHEN status = 'undoing' THEN 'undoing' ELSE 'queued' END`,
        attempts: sql<number>`attempts - CASE WHEN status = 'undoing' THEN 0 ELSE 1 END`,
        run_after: nowIso(),
        lease_owner: null,
        lease_expires_at: null,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', token)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Fails a task not yet finished, whoever holds it: its holder's fenced
   * writes match no row from then on (its lease is gone).
   */
  async cancel(id: string, reason: string): Promise<boolean> {
    const result = await this.db
      .updateTable('core_task')
      .set({ status: 'failed', last_error: reason, lease_owner: null, lease_expires_at: null, finished_at: nowIso(), updated_at: nowIso() })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async get(id: string): Promise<TaskRow | undefined> {
    return this.db.selectFrom('core_task').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Tasks of these kinds not yet succeeded or failed, wherever they wait. */
  async countUnfinished(kinds: string[]): Promise<number> {
    if (kinds.length === 0) return 0;
    const row = await this.db
      .selectFrom('core_task')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('kind', 'in', kinds)
      .where('status', 'in', ['queued', 'running', 'undoing'])
      .executeTakeFirstOrThrow();
    return toCount(row.n);
  }

  /** Unfinished tasks of every kind, counted by kind and status (the queue's depth, for monitoring). */
  async countUnfinishedByKind(): Promise<Array<{ kind: string; status: TaskStatus; count: number }>> {
    const rows = await this.db
      .selectFrom('core_task')
      .select((eb) => ['kind', 'status', eb.fn.countAll<string | number>().as('n')])
      .where('status', 'in', ['queued', 'running', 'undoing'])
      .groupBy(['kind', 'status'])
      .execute();
    return rows.map((r) => ({ kind: r.kind, status: r.status, count: toCount(r.n) }));
  }

  /** Deletes succeeded and failed tasks finished before `before`; returns how many. */
  async purgeFinished(before: string): Promise<number> {
    const result = await this.db.deleteFrom('core_task').where('status', 'in', ['succeeded', 'failed']).where('finished_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async #fenced(id: string, token: string, changes: Partial<TaskRow>): Promise<boolean> {
    const result = await this.db
      .updateTable('core_task')
      .set({ ...changes, updated_at: nowIso() })
      .where('id', '=', id)
      .where('lease_owner', '=', token)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}

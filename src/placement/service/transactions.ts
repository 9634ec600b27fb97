/**
 * Placement's concurrency model, shared by every writer: a change runs in a
 * transaction and, when it loses a race (generation moved, deadlock,
 * serialisation failure, busy database, duplicate insert), again from the
 * start with fresh reads. Each change to a provider ends with a
 * compare-and-swap of its generation, taken under a row lock (PostgreSQL
 * `FOR UPDATE`, in uuid order; SQLite serialises write transactions on its
 * one connection).
 */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import type { Dialect } from '../../core/db/database.js';
import { placementErrors } from '../errors.js';
import { bumpGeneration, lockProviders, type PlacementDb } from '../store/index.js';

/** A lost compare-and-swap: the transaction is retried. */
export class RetryTransaction extends Error {}

const MAX_ATTEMPTS = 30;

/**
 * Runs a write that a concurrent transaction may have beaten to the same
 * unique key (a provider's name or uuid, a new consumer): the transaction
 * starts again, and its fresh reads tell a real duplicate from a lost race.
 */
export async function retryOnDuplicate(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new RetryTransaction();
    throw error;
  }
}

export class PlacementWriter {
  #committed = 0;

  constructor(
    readonly db: PlacementDb,
    readonly dialect: Dialect,
  ) {}

  /** Write transactions committed so far (PlacementOperations.writeCount). */
  get committed(): number {
    return this.#committed;
  }

  /** Runs `body` in a transaction, again from scratch when it lost a race. */
  async write<T>(body: (trx: PlacementDb) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.db.transaction().execute(body);
        this.#committed++;
        return result;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) {
          if (error instanceof RetryTransaction) throw placementErrors.generationConflict();
          throw error;
        }
        // Jittered back-off so the losers do not collide again in lock-step.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
      }
    }
  }

  /**
   * One change to one provider: lock it, check the generation the caller saw
   * (when given), change, and bump the generation by compare-and-swap.
   * Returns the new generation.
   */
  async changeProvider(providerUuid: string, expectedGeneration: number | undefined, change: (trx: PlacementDb) => Promise<void>): Promise<number> {
    return this.write(async (trx) => {
      const provider = (await lockProviders(trx, this.dialect, [providerUuid])).get(providerUuid);
      if (!provider) throw placementErrors.providerNotFound(providerUuid);
      if (expectedGeneration !== undefined && expectedGeneration !== provider.generation) throw placementErrors.generationConflict();
      await change(trx);
      if (!(await bumpGeneration(trx, providerUuid, provider.generation))) throw new RetryTransaction();
      return provider.generation + 1;
    });
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof RetryTransaction) return true;
  const code = (error as { code?: unknown } | null)?.code;
  // PostgreSQL serialization failure and deadlock; SQLite busy/locked (another process).
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

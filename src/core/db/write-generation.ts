/**
 * Counts the writes (INSERT, UPDATE, DELETE, MERGE) made through one Kysely
 * instance. A cache of data read through that instance stays valid while the
 * count is unchanged, which lets a service cache derived answers (validated
 * tokens) without listing every write that could change them. Rolled-back
 * writes count too: the cache only ever errs towards re-reading.
 *
 * It sees this process's writes only. On PostgreSQL, core/cluster's
 * write notifications count other processes' committed writes into it too,
 * and suspend it while they may be missed.
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

export class WriteGeneration implements KyselyPlugin {
  #value = 0;
  #suspended = false;

  /** While suspended, a new number at every read: a cache keyed on it holds nothing. */
  get value(): number {
    return this.#suspended ? ++this.#value : this.#value;
  }

  /** Writes elsewhere may go unseen (the notification connection is down): caches must not be trusted. */
  suspend(): void {
    this.#suspended = true;
  }

  /** Writes elsewhere are seen again; what was cached before the gap is dropped. */
  resume(): void {
    this.#suspended = false;
    this.#value += 1;
  }

  /** Rows were replaced without this instance (a state snapshot loaded): caches of them must be re-read. */
  countExternalWrite(): void {
    this.#value += 1;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (WRITES.has(args.node.kind)) this.#value += 1;
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

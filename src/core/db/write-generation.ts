/**
 * Counts the writes (INSERT, UPDATE, DELETE, MERGE) made through one Kysely
 * instance. A cache of data read through that instance stays valid while the
 * count is unchanged, which lets a service cache derived answers (validated
 * tokens) without listing every write that could change them. Rolled-back
 * writes count too: the cache only ever errs towards re-reading.
 *
 * It sees this process's writes only; several API processes sharing one
 * PostgreSQL database must keep such caches short-lived.
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

export class WriteGeneration implements KyselyPlugin {
  #value = 0;

  get value(): number {
    return this.#value;
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

/**
 * Counts the writes (INSERT, UPDATE, DELETE, MERGE) made through one Kysely
 * instance, to every table or only to the tables it was given. A cache of
 * data read through that instance stays valid while the count is unchanged,
 * which lets a service cache derived answers (validated tokens, the
 * scheduler's host view) without listing every write that could change them.
 *
 * A write is counted once its statement has executed, never when it is only
 * compiled: a reader that notes the count and then reads has either read the
 * change or will see the count move. (Inside a transaction the statement has
 * run but not yet committed; on SQLite the one connection makes readers wait
 * for the commit, on PostgreSQL core/cluster's notifications arrive after it.)
 * Rolled-back writes count too: the cache only ever errs towards re-reading.
 * A failed statement changed nothing and is not counted.
 *
 * It sees this instance's writes only. On PostgreSQL, core/cluster's
 * write notifications count other processes' committed writes into it too,
 * and suspend it while they may be missed.
 */
import {
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  DeleteQueryNode,
  InsertQueryNode,
  MergeQueryNode,
  UpdateQueryNode,
  TableNode,
  AliasNode,
} from 'kysely';

export class WriteGeneration implements KyselyPlugin {
  #value = 0;
  #suspended = false;
  /** Compiled writes to counted tables whose statement has not returned yet (keyed by Kysely's per-query id). */
  readonly #pending = new WeakSet<QueryId>();
  readonly #tables: ReadonlySet<string> | null;

  /** `tables`: count only writes to these (by name); every write when omitted. */
  constructor(tables?: readonly string[]) {
    this.#tables = tables ? new Set(tables) : null;
  }

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
    if (this.#counts(args.node)) this.#pending.add(args.queryId);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#pending.delete(args.queryId)) this.#value += 1;
    return args.result;
  }

  #counts(node: RootOperationNode): boolean {
    const tables = this.#tables;
    if (InsertQueryNode.is(node)) return tables === null || touches(tables, node.into);
    if (UpdateQueryNode.is(node)) return tables === null || touches(tables, node.table);
    if (DeleteQueryNode.is(node)) return tables === null || node.from.froms.some((from) => touches(tables, from));
    if (MergeQueryNode.is(node)) return tables === null || touches(tables, node.into);
    return false;
  }
}

/** Whether a statement's target (a table, maybe aliased) is one of `tables`. Unknown shapes count: erring towards re-reading. */
function touches(tables: ReadonlySet<string>, target: OperationNode | undefined): boolean {
  if (target === undefined) return true;
  const table = AliasNode.is(target) ? target.node : target;
  if (!TableNode.is(table)) return true;
  return tables.has(table.table.identifier.name);
}

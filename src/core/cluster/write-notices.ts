/**
 * Transactional write notices on PostgreSQL: after a write to a watched table,
 * the same connection runs `pg_notify(channel)`. Inside a transaction
 * PostgreSQL holds the notification until the commit (and drops it on a
 * rollback), outside one it goes at once; so a listener that re-reads when
 * told sees the committed rows. Done in the query layer, not by database
 * triggers: no procedural language needed on the server, nothing installed
 * into the schema, and each service says which of its tables matter.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type OperationNode,
  type QueryCompiler,
  type QueryResult,
  type RootOperationNode,
  type TransactionSettings,
} from 'kysely';

/** Which channels a write to each table notifies. */
export class WriteNotices {
  readonly #channels = new Map<string, Set<string>>();

  watch(channel: string, tables: readonly string[]): void {
    for (const table of tables) {
      const channels = this.#channels.get(table) ?? new Set<string>();
      channels.add(channel);
      this.#channels.set(table, channels);
    }
  }

  /** The channels `query` must notify: none for reads and for writes to unwatched tables. */
  channelsOf(query: RootOperationNode): ReadonlySet<string> | undefined {
    if (this.#channels.size === 0) return undefined;
    const table = writtenTable(query);
    return table === undefined ? undefined : this.#channels.get(table);
  }
}

function writtenTable(query: RootOperationNode): string | undefined {
  switch (query.kind) {
    case 'InsertQueryNode':
      return tableName(query.into);
    case 'UpdateQueryNode':
      return tableName(query.table);
    case 'DeleteQueryNode':
      return tableName(query.from.froms[0]);
    case 'MergeQueryNode':
      return tableName(query.into);
    default:
      return undefined;
  }
}

function tableName(node: OperationNode | undefined): string | undefined {
  if (node?.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  if (node?.kind === 'TableNode') return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  return undefined;
}

/** `driver` whose connections notify after watched writes. */
export function notifyingDriver(driver: Driver, notices: WriteNotices): Driver {
  const inner = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const unwrap = (connection: DatabaseConnection) => inner.get(connection) ?? connection;
  return {
    init: () => driver.init(),
    async acquireConnection() {
      const connection = await driver.acquireConnection();
      const wrapped: DatabaseConnection = {
        async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
          const result = await connection.executeQuery<R>(compiled);
          for (const channel of notices.channelsOf(compiled.query) ?? []) {
            await connection.executeQuery(CompiledQuery.raw('SELECT pg_notify($1, $2)', [channel, '']));
          }
          return result;
        },
        streamQuery: (compiled, chunkSize) => connection.streamQuery(compiled, chunkSize),
      };
      inner.set(wrapped, connection);
      return wrapped;
    },
    beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) => driver.beginTransaction(unwrap(connection), settings),
    commitTransaction: (connection) => driver.commitTransaction(unwrap(connection)),
    rollbackTransaction: (connection) => driver.rollbackTransaction(unwrap(connection)),
    ...(driver.savepoint && {
      savepoint: (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) => driver.savepoint!(unwrap(connection), name, compile),
    }),
    ...(driver.rollbackToSavepoint && {
      rollbackToSavepoint: (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) =>
        driver.rollbackToSavepoint!(unwrap(connection), name, compile),
    }),
    ...(driver.releaseSavepoint && {
      releaseSavepoint: (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) =>
        driver.releaseSavepoint!(unwrap(connection), name, compile),
    }),
    releaseConnection: (connection) => driver.releaseConnection(unwrap(connection)),
    destroy: () => driver.destroy(),
  };
}

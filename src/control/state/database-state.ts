/**
 * The database half of a state snapshot, one implementation per engine
 * (sqlite-state.ts, postgres-state.ts). Every call runs through one
 * connection the caller holds (`kysely.connection()`), and each runs the
 * file half (`files`) at the point where no service can commit a change, so
 * that rows and files are saved and loaded as of one instant.
 */
import type { Kysely } from 'kysely';
import type { NoTables } from '../../core/db/database.js';

/** One snapshot: its folder under `<data dir>/state/` and the id in its `snapshot.json`. */
export interface SnapshotPlace {
  dir: string;
  id: string;
}

export interface DatabaseState {
  /** Copies every table into the snapshot; answers the bytes it holds outside `dir` (0 when all of it is there). */
  save(connection: Kysely<NoTables>, place: SnapshotPlace, files: () => void): Promise<number>;
  /**
   * Replaces the rows with the snapshot's. `sinceSynced`: the live rows were
   * last saved to or loaded from this very snapshot (an engine may then copy
   * only what changed). A snapshot of another schema is refused (409) before
   * anything changes.
   */
  load(connection: Kysely<NoTables>, place: SnapshotPlace, sinceSynced: boolean, files: () => void): Promise<void>;
  /** Drops what the snapshot holds outside its folder (the folder itself is the caller's). */
  discard(connection: Kysely<NoTables>, place: SnapshotPlace): Promise<void>;
}

/** What tells two schemas (each table's columns in order) apart, or null when they are the same. */
export function schemaDifference(live: Map<string, string[]>, saved: Map<string, string[]>): string | null {
  for (const [table, columns] of live) {
    const other = saved.get(table);
    if (!other) return `table ${table} is not in the snapshot`;
    if (other.join() !== columns.join()) return `table ${table} has other columns`;
  }
  for (const table of saved.keys()) if (!live.has(table)) return `table ${table} is not in this cloud`;
  return null;
}

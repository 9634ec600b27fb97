/**
 * Reading and changing a server row the way every operation and task step
 * does: by compare-and-swap, retried on a concurrent write, with the check
 * (accepted states, not deleted) re-run on the fresh row each time.
 */
import { nowIso } from '../../core/time.js';
import { novaErrors, requestErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { ComputeDb, Fault, Server } from '../store/index.js';

const MAX_RETRIES = 20;

export async function loadServer(db: ComputeDb, id: string): Promise<Server> {
  const server = await store.getServer(db, id);
  if (!server || server.deleted) throw novaErrors.serverNotFound(id);
  return server;
}

/**
 * Applies `change` to the current row until the write wins. `change` may
 * throw (e.g. a 409 for a state that no longer allows the action) and
 * returns the new server, or null to leave the row as it is.
 */
export async function updateServer(db: ComputeDb, id: string, change: (server: Server) => Server | null): Promise<Server> {
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const current = await loadServer(db, id);
    const next = change(current);
    if (next === null) return current;
    const saved = await store.saveServer(db, current, next);
    if (saved) return saved;
  }
  throw requestErrors.concurrentChange(`Instance ${id}`);
}

export function fault(error: unknown, code = 500): Fault {
  const message = error instanceof Error ? error.message : String(error);
  return { code, message, details: error instanceof Error && error.stack ? error.stack : message, created: nowIso() };
}

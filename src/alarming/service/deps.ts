/** What the alarming service layer works with. */
import type { Kysely } from 'kysely';
import type { CallerContext } from '../../core/context.js';
import type { Dialect } from '../../core/db/database.js';
import type { Logger } from '../../core/logger.js';
import type { Authorizer } from '../../core/policy/index.js';
import type { TrustOperations } from '../../identity/operations.js';
import type { MetricReader } from './metric-reader.js';
import type { AlarmingConfig } from '../config.js';
import type { AlarmingTables } from '../store/tables.js';

export interface AlarmingDeps {
  db: Kysely<AlarmingTables>;
  /** The database engine, for the one lock PostgreSQL needs and SQLite does not. */
  dialect: Dialect;
  authz: Authorizer;
  config: AlarmingConfig;
  log: Logger;
  /** The metric service's door, looked up per evaluation (it may be disabled or start later). */
  metric(): MetricReader | undefined;
  /** Identity's trusts, for `trust+http(s)` actions; looked up per use. */
  identity(): TrustOperations | undefined;
}

/** The project a caller is held to (Aodh's get_limited_to_project): null for an admin. */
export function limitedToProject(deps: AlarmingDeps, caller: CallerContext): string | null {
  return deps.authz.isAdmin(caller) ? null : (caller.project?.id ?? '');
}

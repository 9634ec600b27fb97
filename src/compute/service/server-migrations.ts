/**
 * A server's live migrations in progress (Nova's server_migrations API):
 * list and show them (2.23), force one to complete (2.22) or abort it (2.24;
 * from 2.65 also while queued or preparing). Nova's answers: the server's
 * lock and states first (409), then the migration (404 when it is not the
 * server's, 400 for force_complete, which Nova maps so), then its status
 * (400). The driver does the work; each request is an instance action.
 */
import type { CallerContext } from '../../core/context.js';
import { migrationErrors, novaErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { Migration, Server } from '../store/index.js';
import type { ComputeRuntime } from './runtime.js';
import type { ServerOps } from './servers.js';
import { TASK, VM } from './states.js';

/** Nova's in-progress statuses of a live migration. */
export const LIVE_MIGRATION_IN_PROGRESS = ['queued', 'preparing', 'running', 'post-migrating'];

const RULE = 'os_compute_api:servers:migrations';

export class ServerMigrationOps {
  constructor(
    private readonly runtime: ComputeRuntime,
    private readonly servers: ServerOps,
  ) {}

  async list(auth: CallerContext, serverId: string): Promise<Migration[]> {
    const server = await this.servers.get(auth, serverId, `${RULE}:index`);
    const migrations = await store.searchMigrations(this.runtime.deps.db, { instanceUuid: server.id, migrationType: 'live-migration' });
    return migrations.filter((m) => LIVE_MIGRATION_IN_PROGRESS.includes(m.status));
  }

  async show(auth: CallerContext, serverId: string, migrationId: string): Promise<Migration> {
    const server = await this.servers.get(auth, serverId, `${RULE}:show`);
    const migration = await this.#ofServer(server, migrationId);
    if (!migration) throw migrationErrors.liveNotFound(migrationId, server.id);
    if (migration.migration_type !== 'live-migration') throw migrationErrors.notLive(migrationId, server.id);
    if (!LIVE_MIGRATION_IN_PROGRESS.includes(migration.status)) throw migrationErrors.liveNotInProgress(migrationId, server.id);
    return migration;
  }

  async forceComplete(auth: CallerContext, serverId: string, migrationId: string, requestId: string): Promise<void> {
    const server = await this.servers.get(auth, serverId, `${RULE}:force_complete`);
    this.servers.checkLock(auth, server);
    checkMigrating(server, 'force_complete', true);
    const migration = await this.#ofServer(server, migrationId);
    if (!migration) throw migrationErrors.notFoundForInstance(migrationId, server.id, 400);
    if (migration.status !== 'running') throw migrationErrors.invalidState(migration.id, server.id, migration.status, 'force complete');
    await this.#recorded(server, auth, requestId, 'live_migration_force_complete', () =>
      this.runtime.deps.driver.forceCompleteLiveMigration(server.host as string, server.id),
    );
  }

  /** `queuedToo`: 2.65 aborts a migration still queued or preparing, before its copy starts. */
  async abort(auth: CallerContext, serverId: string, migrationId: string, requestId: string, queuedToo: boolean): Promise<void> {
    const server = await this.servers.get(auth, serverId, `${RULE}:delete`);
    this.servers.checkLock(auth, server);
    checkMigrating(server, 'abort live migration', false);
    const migration = await this.#ofServer(server, migrationId);
    if (!migration) throw migrationErrors.notFoundForInstance(migrationId, server.id, 404);
    const early = ['queued', 'preparing'].includes(migration.status);
    if (migration.status !== 'running' && !(queuedToo && early))
      throw migrationErrors.invalidState(migration.id, server.id, migration.status, 'abort live migration');
    const { deps } = this.runtime;
    await this.#recorded(server, auth, requestId, 'live_migration_cancel', async () => {
      // Not copying yet: the migration task sees this before it starts and stops there.
      if (early) await store.setMigrationStatus(deps.db, migration.uuid, 'cancelled');
      else await deps.driver.abortLiveMigration(server.host as string, server.id);
    });
  }

  async #ofServer(server: Server, migrationId: string): Promise<Migration | null> {
    if (!/^\d+$/.test(migrationId)) return null;
    const found = (await store.listMigrations(this.runtime.deps.db, server.id)).find((m) => m.id === Number(migrationId));
    return found ?? null;
  }

  async #recorded(server: Server, auth: CallerContext, requestId: string, action: string, fn: () => Promise<void>): Promise<void> {
    const { actions, deps } = this.runtime;
    await actions.start(deps.db, server, auth, requestId, action);
    try {
      await fn();
    } finally {
      await actions.finish(server.id, requestId, false);
    }
  }
}

/** Nova's check_instance_state: force_complete wants vm_state active too; both want task_state migrating. */
function checkMigrating(server: Server, action: string, activeOnly: boolean): void {
  if (activeOnly && server.vmState !== VM.ACTIVE) throw novaErrors.invalidState(action, server.id, 'vm_state', server.vmState);
  if (server.taskState !== TASK.MIGRATING) throw novaErrors.invalidState(action, server.id, 'task_state', server.taskState ?? 'None');
}

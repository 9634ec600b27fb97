/**
 * os-resetState: an admin sets a server's vm_state to `active` or `error`
 * and clears its task_state, whatever it was doing (Nova's way out of a
 * stuck task). No host work and no lock check; logged as an instance action.
 */
import { novaErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { ComputeRuntime } from './runtime.js';
import type { ActionRequest } from './server-actions.js';
import type { ServerOps } from './servers.js';

export type ResetState = 'active' | 'error';

export class AdminActionOps {
  constructor(
    private readonly runtime: ComputeRuntime,
    private readonly servers: ServerOps,
  ) {}

  async resetState(req: ActionRequest, state: ResetState): Promise<void> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:os-admin-actions:reset_state');
    await this.runtime.deps.db.transaction().execute(async (trx) => {
      const current = await store.getServer(trx, server.id);
      if (!current || current.deleted) throw novaErrors.serverNotFound(server.id);
      await store.saveServer(trx, current, { ...current, vmState: state, taskState: null });
      await this.runtime.actions.start(trx, current, req.auth, req.requestId, 'reset_state');
    });
    await this.runtime.actions.finish(server.id, req.requestId, false);
  }
}

/**
 * os-instance-actions: every server action is recorded with the request id
 * that started it, and the compute-side work as events (Nova's
 * `compute_<method>` names) with their result, so a user can see what
 * happened and why it failed.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { novaErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { ComputeDb, InstanceAction } from '../store/index.js';
import type { Server } from '../store/index.js';
import { allowed, authorize } from './access.js';
import type { ComputeDeps } from './deps.js';
import type { ComputeRuntime } from './runtime.js';

export class InstanceActionOps {
  constructor(private readonly deps: ComputeDeps) {}

  /** Records the start of an action, in the caller's transaction (with the state change). */
  async start(db: ComputeDb, server: Server, auth: Pick<CallerContext, 'userId' | 'project'>, requestId: string, action: string): Promise<void> {
    const now = nowIso();
    await store.insertAction(db, {
      id: uuid(),
      instanceUuid: server.id,
      requestId,
      action,
      projectId: auth.project?.id ?? server.projectId,
      userId: auth.userId,
      startTime: now,
      finishTime: null,
      updatedAt: now,
      message: null,
      events: [],
    });
  }

  /** Runs `fn` as the event `event` of the action; records its start, end and result (and traceback on failure). */
  async event<T>(serverId: string, requestId: string, event: string, host: string | null, fn: () => Promise<T>): Promise<T> {
    await this.#update(serverId, requestId, (a) => {
      if (!a.events.some((e) => e.event === event && e.finish_time === null)) {
        a.events.push({ event, start_time: nowIso(), finish_time: null, result: null, traceback: null, host });
      }
    });
    try {
      const result = await fn();
      await this.#finishEvent(serverId, requestId, event, 'Success', null);
      return result;
    } catch (error) {
      await this.#finishEvent(serverId, requestId, event, 'Error', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      throw error;
    }
  }

  /** Marks the action finished; `message` 'Error' when it failed, as Nova. */
  async finish(serverId: string, requestId: string, failed: boolean): Promise<void> {
    await this.#update(serverId, requestId, (a) => {
      a.finishTime ??= nowIso();
      if (failed) a.message = 'Error';
    });
  }

  async list(auth: CallerContext, server: Server): Promise<InstanceAction[]> {
    authorize(this.deps, auth, 'os_compute_api:os-instance-actions:list', { project_id: server.projectId });
    return store.listActions(this.deps.db, server.id);
  }

  async get(auth: CallerContext, server: Server, requestId: string): Promise<{ action: InstanceAction; showEvents: boolean; showDetails: boolean }> {
    authorize(this.deps, auth, 'os_compute_api:os-instance-actions:show', { project_id: server.projectId });
    const action = await store.getAction(this.deps.db, server.id, requestId);
    if (!action) throw novaErrors.actionNotFound(requestId, server.id);
    const showEvents = allowed(this.deps, auth, 'os_compute_api:os-instance-actions:events', { project_id: server.projectId });
    return { action, showEvents, showDetails: showEvents };
  }

  async #finishEvent(serverId: string, requestId: string, event: string, result: string, traceback: string | null): Promise<void> {
    await this.#update(serverId, requestId, (a) => {
      const found = [...a.events].reverse().find((e) => e.event === event);
      if (found) {
        found.finish_time = nowIso();
        found.result = result;
        found.traceback = traceback;
      }
    });
  }

  async #update(serverId: string, requestId: string, change: (a: InstanceAction) => void): Promise<void> {
    const action = await store.getAction(this.deps.db, serverId, requestId);
    if (!action) return;
    change(action);
    action.updatedAt = nowIso();
    await store.saveAction(this.deps.db, action);
  }
}

/**
 * Runs `fn` as a synchronous action's one event (interface and volume
 * attach/detach), recording the action's start and its end or failure.
 */
export async function recordedAction<T>(
  runtime: ComputeRuntime,
  server: Server,
  auth: CallerContext,
  requestId: string,
  action: string,
  event: string,
  fn: () => Promise<T>,
): Promise<T> {
  const actions = runtime.actions;
  await runtime.deps.db.transaction().execute((trx) => actions.start(trx, server, auth, requestId, action));
  try {
    const result = await actions.event(server.id, requestId, event, server.host, fn);
    await actions.finish(server.id, requestId, false);
    return result;
  } catch (error) {
    await actions.finish(server.id, requestId, true);
    throw error;
  }
}

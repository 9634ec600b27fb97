/**
 * Why a running stack operation must stop: its timeout passed, the user
 * cancelled it (`cancel_update`, `cancel_without_rollback`), another
 * operation took the stack's lock (a delete during a create), or this worker
 * lost its task. One AbortSignal for the plugins, one reason for the engine.
 */
import { getStack, type HeatDb } from '../store/index.js';

export type StopReason = 'timeout' | 'cancel' | 'cancel-without-rollback' | 'superseded' | 'lease-lost';

/** The lock_action values the API writes to ask a running update to stop. */
export const CANCEL_ACTIONS = { cancel: 'CANCEL', 'cancel-without-rollback': 'CANCEL_NR' } as const;

const POLL_MS = 250;

export class OperationWatch {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #deadline: NodeJS.Timeout | undefined;
  reason: StopReason | null = null;

  constructor(db: HeatDb, stackId: string, operation: string, deadline: number | null, outer: AbortSignal) {
    const stop = (reason: StopReason) => {
      if (this.reason !== null) return;
      this.reason = reason;
      this.#controller.abort(new Error(`operation stopped: ${reason}`));
    };
    outer.addEventListener('abort', () => stop('lease-lost'), { once: true });
    if (outer.aborted) stop('lease-lost');
    if (deadline !== null) this.#deadline = setTimeout(() => stop('timeout'), Math.max(0, deadline - Date.now()));
    this.#timer = setInterval(() => {
      void getStack(db, stackId).then(
        (stack) => {
          if (!stack || stack.lockOperation !== operation) stop('superseded');
          else if (stack.lockAction === CANCEL_ACTIONS.cancel) stop('cancel');
          else if (stack.lockAction === CANCEL_ACTIONS['cancel-without-rollback']) stop('cancel-without-rollback');
        },
        () => undefined,
      );
    }, POLL_MS);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  stop(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#deadline);
  }
}

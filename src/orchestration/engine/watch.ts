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

/** The abort reason of a watch's signal. */
export class OperationStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`operation stopped: ${reason}`);
    this.name = 'OperationStopped';
  }
}

export class OperationWatch {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #deadline: NodeJS.Timeout | undefined;
  reason: StopReason | null = null;

  constructor(db: HeatDb, stackId: string, operation: string, deadline: number | null, outer: AbortSignal) {
    const stop = (reason: StopReason) => {
      if (this.reason !== null) return;
      this.reason = reason;
      this.#controller.abort(new OperationStopped(reason));
    };
    // A nested stack runs under its parent's watch: it stops for the parent's reason (a timeout fails it too).
    const inherited = () => stop(outer.reason instanceof OperationStopped ? outer.reason.reason : 'lease-lost');
    outer.addEventListener('abort', inherited, { once: true });
    if (outer.aborted) inherited();
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

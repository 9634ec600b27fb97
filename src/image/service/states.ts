/**
 * The image state machine, as Glance's `Image.valid_state_targets`: each
 * state and the states it may move to. Operations check a move against it
 * and then make it with a compare-and-swap on the row, so two requests
 * racing for one image cannot both win.
 *
 * `killed` is in the table for images carried over from elsewhere; Nimbus,
 * like Glance v2, never sets it: a failed upload goes back to `queued` with
 * its partial data removed, so the upload can be retried.
 */
import type { ImageStatus } from '../store/index.js';

export const STATE_TARGETS: Readonly<Record<ImageStatus, readonly ImageStatus[]>> = {
  queued: ['saving', 'uploading', 'importing', 'active', 'deleted'],
  saving: ['active', 'killed', 'deleted', 'queued'],
  uploading: ['importing', 'queued', 'deleted'],
  importing: ['active', 'deleted', 'queued'],
  active: ['pending_delete', 'deleted', 'deactivated'],
  killed: ['deleted'],
  pending_delete: ['deleted', 'active'],
  deleted: [],
  deactivated: ['active', 'deleted'],
};

export function canMove(from: ImageStatus, to: ImageStatus): boolean {
  return STATE_TARGETS[from].includes(to);
}

/** The states from which `to` may be reached. */
export function sourcesOf(to: ImageStatus): ImageStatus[] {
  return (Object.keys(STATE_TARGETS) as ImageStatus[]).filter((from) => canMove(from, to));
}

/**
 * One upload's hold on the container and account quotas: taken before the
 * body is read (the announced size; nothing yet for a chunked body, but its
 * count quota is checked),
 * grown as a chunked body passes what it holds, refreshed while a long
 * upload streams, set to the exact size before the object commits, and
 * released once the listing counts the object (or the upload failed).
 * Uploads into containers and accounts without quotas hold nothing after the
 * first look.
 */
import { randomUUID } from 'node:crypto';
import { PayloadTooLarge } from '../../core/errors.js';
import type { ContainerServer } from '../storage/contract.js';
import type { ObjectLocation } from './replicated-objects.js';

/** A hold whose request died stops counting after this long without a refresh. */
const HOLD_TTL_S = 120;
const REFRESH_AFTER_S = 30;
/**
 * A chunked body's hold doubles past the bytes received, up to this step
 * ahead: a few transactions per upload, not one per chunk, and little room
 * held that the upload may not need.
 */
const MAX_GROW_STEP = 1024 * 1024;

const QUOTA_EXCEEDED = 'Upload exceeds quota.';

export class UploadHold {
  private granted = 0;
  private unlimited = false;
  private refreshedAt = 0;
  private readonly id = randomUUID();

  private constructor(
    private readonly containers: ContainerServer,
    private readonly where: ObjectLocation,
  ) {}

  /** Holds room for `declaredSize` bytes (null: a chunked body, held a step at a time); 413 when a quota refuses. */
  static async take(containers: ContainerServer, where: ObjectLocation, declaredSize: number | null): Promise<UploadHold> {
    const hold = new UploadHold(containers, where);
    try {
      await hold.claim(declaredSize ?? 0, declaredSize ?? 0);
    } catch (error) {
      await hold.release();
      throw error;
    }
    return hold;
  }

  private async claim(minBytes: number, wantBytes: number): Promise<void> {
    const now = Date.now() / 1000;
    const { account, container, object } = this.where;
    const granted = await this.containers.reserve(account, container, { id: this.id, object, minBytes, wantBytes, expiresAt: now + HOLD_TTL_S });
    if (granted === null) throw new PayloadTooLarge(QUOTA_EXCEEDED);
    this.unlimited = granted === Infinity;
    this.granted = granted;
    this.refreshedAt = now;
  }

  /** As bytes arrive: a promise only when the hold must grow or be refreshed. */
  progress(bytesSoFar: number): Promise<void> | undefined {
    if (this.unlimited) return undefined;
    const stale = Date.now() / 1000 - this.refreshedAt > REFRESH_AFTER_S;
    if (bytesSoFar <= this.granted && !stale) return undefined;
    return this.claim(bytesSoFar, bytesSoFar > this.granted ? bytesSoFar + Math.min(bytesSoFar, MAX_GROW_STEP) : this.granted);
  }

  /** The upload's final size, held before it commits (also re-checks a hold that expired meanwhile). */
  async settle(size: number): Promise<void> {
    if (!this.unlimited) await this.claim(size, size);
  }

  async release(): Promise<void> {
    if (!this.unlimited) await this.containers.release(this.where.account, this.where.container, this.id);
  }
}

/**
 * The container-sync daemon, as Swift's: every interval, each container with
 * `X-Container-Sync-To` and `X-Container-Sync-Key` sends the rows recorded
 * since its sync point to the target container: new and changed objects are
 * copied keeping their timestamps (so the copy never syncs back as news) and
 * deletions are recorded there at the source's timestamp. The receiving side
 * accepts only with the same `X-Container-Sync-Key` on the target, as Swift's
 * receiving proxy checks the sync key (a mismatch is Swift's 401: logged,
 * retried next pass).
 *
 * Sync points live in memory: after a restart the first pass re-checks every
 * row, each skipped when the target already holds that version. Rows of the
 * last hour are re-checked on every pass, so an upload that began before the
 * point and was recorded after it is still sent.
 */
import type { Logger } from '../../core/logger.js';
import type { SyncRealms, SyncTarget } from '../middleware/container-sync.js';
import type { RowChange, SyncingContainer } from '../storage/contract.js';
import type { ObjectOps } from './object-ops.js';

const PAGE = 1000;
const RECHECK_SECONDS = 3600;

interface SyncPoint {
  /** The X-Container-Sync-To value the point belongs to: a new target starts over. */
  to: string;
  point: string;
}

export class ContainerSyncer {
  private readonly points = new Map<string, SyncPoint>();
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | null = null;

  constructor(
    private readonly ops: ObjectOps,
    private readonly realms: SyncRealms,
    private readonly log: Logger,
  ) {}

  /** Runs a pass every `intervalSeconds` (none while one is under way); 0 or no realm: never. */
  start(intervalSeconds: number): void {
    if (intervalSeconds <= 0 || !this.realms.enabled) return;
    const tick = () => {
      this.current ??= this.pass()
        .catch((err: unknown) => this.log.warn({ err }, 'container sync pass failed'))
        .finally(() => (this.current = null));
    };
    this.timer = setInterval(tick, intervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.current;
  }

  /** One pass over every syncing container; a container's failure leaves its point for the next pass. */
  async pass(): Promise<void> {
    for (const source of await this.ops.containers.syncing()) {
      await this.syncContainer(source).catch((err: unknown) =>
        this.log.warn({ err, account: source.account, container: source.container }, 'container sync of one container failed'),
      );
    }
  }

  private async syncContainer(source: SyncingContainer): Promise<void> {
    const to = source.metadata['x-container-sync-to'] ?? '';
    const key = source.metadata['x-container-sync-key'] ?? '';
    const target = this.realms.target(to);
    if (target === null || key === '') return;
    const targetInfo = await this.ops.containers.info(target.account, target.container);
    if (!targetInfo) {
      this.log.info({ target }, 'container sync target does not exist (404)');
      return;
    }
    if (targetInfo.metadata['x-container-sync-key'] !== key) {
      this.log.info({ target }, 'container sync refused by the target: sync keys differ (401)');
      return;
    }
    const id = `${source.account}/${source.container}`;
    const known = this.points.get(id);
    let cursor = known?.to === to ? known.point : '0';
    let newest = cursor;
    for (;;) {
      const changes = await this.ops.containers.changes(source.account, source.container, cursor, PAGE);
      for (const change of changes) await this.send(source, target, change);
      const last = changes.at(-1);
      if (last) cursor = newest = last.row.createdAt;
      if (changes.length < PAGE) break;
    }
    const recheckFrom = (Date.now() / 1000 - RECHECK_SECONDS).toFixed(5);
    this.points.set(id, { to, point: newest < recheckFrom ? newest : recheckFrom });
  }

  private async send(source: SyncingContainer, target: SyncTarget, change: RowChange): Promise<void> {
    const { row } = change;
    const held = await this.ops.containers.version(target.account, target.container, row.name);
    if (held !== null && held >= row.createdAt) return;
    const where = { account: target.account, container: target.container, object: row.name };
    if (change.deleted) return this.ops.remove(where, row.createdAt);
    const handle = await this.ops.open({ account: source.account, container: source.container, object: row.name });
    // Gone or replaced since the row was read: its own row says what to send.
    if (!handle || handle.metadata.timestamp !== row.createdAt) return void (await handle?.close());
    try {
      const { metadata } = handle;
      await this.ops.store({
        where,
        body: metadata.size > 0 ? handle.stream(0, metadata.size - 1) : [],
        contentType: metadata.contentType,
        headers: metadata.headers,
        system: metadata.system,
        expectedEtag: metadata.etag,
        listed: () => ({ size: row.size, etag: row.etag }),
        declaredSize: metadata.size,
        enforceQuotas: true,
        timestamp: row.createdAt,
      });
    } finally {
      await handle.close();
    }
  }
}

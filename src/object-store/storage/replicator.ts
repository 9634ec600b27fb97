/**
 * The background replicator and auditor, in bounded passes over the devices
 * (at most `hashesPerPass` objects each, the next pass going on where the last
 * stopped): each object hash found is compared across its partition's primary
 * devices and the newest state (data, metadata or deletion) is copied to the
 * replicas that lack it; a copy held by a device that is no longer a primary
 * (after a rebalance) is removed once the primaries have it. Up to
 * `auditBytesPerPass` of data is re-read and checked against its md5; a
 * corrupt file is quarantined and replaced on the next comparison. Expired
 * objects are deleted, and listings are brought in line with the objects
 * (what a crash between the object's rename and its listing row left).
 */
import type { Logger } from '../../core/logger.js';
import type { Ring } from '../ring/ring.js';
import type { ObjectMetadata, ObjectServer, ObjectState } from './contract.js';

export interface ReplicatorHooks {
  /** Makes the container listing show this object version (idempotent). */
  listed(metadata: ObjectMetadata): Promise<void>;
  /** Makes the container listing drop an object deleted at `timestamp` (idempotent). */
  unlisted(path: string, timestamp: string): Promise<void>;
  /** Deletes an object whose X-Delete-At has passed (Swift's object expirer). */
  expired(path: string): Promise<void>;
}

export interface PassReport {
  hashes: number;
  repaired: number;
  quarantined: number;
  handoffsRemoved: number;
}

export class Replicator {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  /** The partition the next pass starts from. */
  private cursor = 0;

  constructor(
    private readonly ring: Ring,
    private readonly servers: Map<number, ObjectServer>,
    private readonly hooks: ReplicatorHooks,
    private readonly log: Logger,
    private readonly options: { auditBytesPerPass: number; hashesPerPass: number } = { auditBytesPerPass: 256 * 1024 * 1024, hashesPerPass: 20_000 },
  ) {}

  start(intervalSeconds: number): void {
    if (intervalSeconds <= 0) return;
    this.timer = setInterval(() => {
      if (this.running || this.stopped) return;
      this.running = this.pass()
        .catch((err: unknown) => this.log.warn({ err }, 'replication pass failed'))
        .finally(() => (this.running = null));
    }, intervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * One pass: partitions in order from where the last pass stopped, until
   * `hashesPerPass` objects were compared (then the next pass goes on from
   * there). Safe to run at any time, any number of times.
   */
  async pass(): Promise<PassReport> {
    const report: PassReport = { hashes: 0, repaired: 0, quarantined: 0, handoffsRemoved: 0 };
    let auditBudget = this.options.auditBytesPerPass;
    const held = await Promise.all([...this.servers.values()].map((s) => s.partitions()));
    const partitions = [...new Set(held.flat())].sort((a, b) => a - b);
    const start = partitions.findIndex((p) => p >= this.cursor);
    const ordered = start <= 0 ? partitions : [...partitions.slice(start), ...partitions.slice(0, start)];
    for (const partition of ordered) {
      const primaries = this.ring.primaries(partition).map((d) => ({ id: d.id, server: this.servers.get(d.id) as ObjectServer }));
      const seen = new Set<string>();
      for (const [deviceId, server] of this.servers) {
        const isPrimary = primaries.some((p) => p.id === deviceId);
        for (const hash of await server.hashes(partition)) {
          if (this.stopped) return report;
          if (!isPrimary) {
            if (
              await this.pushHandoff(
                server,
                primaries.map((p) => p.server),
                partition,
                hash,
              )
            )
              report.handoffsRemoved++;
            continue;
          }
          if (seen.has(hash)) continue;
          seen.add(hash);
          report.hashes++;
          for (const primary of primaries) {
            if (auditBudget <= 0) break;
            const state = await primary.server.open(partition, hash).catch(() => null);
            if (state?.kind !== 'object') continue;
            auditBudget -= state.handle.metadata.size;
            await state.handle.close();
            if (!(await primary.server.audit(partition, hash))) {
              report.quarantined++;
              this.log.warn({ device: primary.server.device, partition, hash }, 'auditor quarantined a corrupt object');
            }
          }
          report.repaired += await this.reconcile(
            primaries.map((p) => p.server),
            partition,
            hash,
          );
        }
      }
      this.cursor = partition + 1;
      if (report.hashes >= this.options.hashesPerPass) break;
    }
    if (report.repaired || report.quarantined || report.handoffsRemoved) this.log.info(report, 'replication pass');
    return report;
  }

  /** Copies the newest state to every primary that lacks it; returns how many replicas changed. */
  private async reconcile(primaries: ObjectServer[], partition: number, hash: string): Promise<number> {
    const states = await Promise.all(primaries.map((s) => s.open(partition, hash).catch((): ObjectState | null => null)));
    try {
      const best = newest(states);
      if (!best) return 0;
      let repaired = 0;
      for (const [i, state] of states.entries()) {
        const server = primaries[i] as ObjectServer;
        if (state === null || stateStamp(state) >= stateStamp(best)) continue;
        await copyState(best, server, partition, hash);
        repaired++;
      }
      if (best.kind === 'object') {
        const { metadata } = best.handle;
        const deleteAt = metadata.headers['x-delete-at'];
        if (deleteAt !== undefined && Number(deleteAt) <= Date.now() / 1000) await this.hooks.expired(metadata.path);
        else await this.hooks.listed(metadata);
      } else if (best.kind === 'deleted' && best.path !== null) {
        await this.hooks.unlisted(best.path, best.timestamp);
      }
      return repaired;
    } finally {
      for (const state of states) if (state?.kind === 'object') await state.handle.close();
    }
  }

  /** Sends a handoff's copy to the primaries, then drops it; true when dropped. */
  private async pushHandoff(holder: ObjectServer, primaries: ObjectServer[], partition: number, hash: string): Promise<boolean> {
    const state = await holder.open(partition, hash);
    try {
      if (state.kind !== 'missing') {
        for (const primary of primaries) {
          const there = await primary.open(partition, hash);
          if (there.kind === 'object') await there.handle.close();
          if (there.kind === 'missing' || stateStamp(there) < stateStamp(state)) await copyState(state, primary, partition, hash);
        }
      }
    } finally {
      if (state.kind === 'object') await state.handle.close();
    }
    await holder.remove(partition, hash);
    return true;
  }
}

function stateStamp(state: ObjectState): string {
  if (state.kind === 'object') return state.handle.changedAt;
  if (state.kind === 'deleted') return state.timestamp;
  return '';
}

function newest(states: Array<ObjectState | null>): ObjectState | null {
  let best: ObjectState | null = null;
  for (const state of states) if (state && state.kind !== 'missing' && (best === null || stateStamp(state) > stateStamp(best))) best = state;
  return best;
}

async function copyState(state: ObjectState, target: ObjectServer, partition: number, hash: string): Promise<void> {
  if (state.kind === 'deleted') return target.delete(partition, hash, state.timestamp, state.path);
  if (state.kind !== 'object') return;
  const { metadata } = state.handle;
  const writer = await target.createWriter(partition, hash);
  try {
    if (metadata.size > 0) for await (const chunk of state.handle.stream(0, metadata.size - 1)) await writer.write(chunk as Buffer);
    await writer.commit(metadata);
  } finally {
    await writer.abort();
  }
  if (state.handle.changedAt !== metadata.timestamp) {
    await target.post(partition, hash, { timestamp: state.handle.changedAt, contentType: metadata.contentType, headers: metadata.headers });
  }
}

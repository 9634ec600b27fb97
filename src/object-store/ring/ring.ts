/**
 * The ring, as Swift's: the hash of an object's path picks one of 2^part_power
 * partitions, and the ring's table gives each partition `replicas` devices,
 * spread across zones and in proportion to device weights. The ring file is
 * JSON under the object store's directory; `nimbus manage ring` builds it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';

export interface RingDevice {
  id: number;
  /** Directory name under the devices root (Swift's `device`). */
  name: string;
  zone: number;
  weight: number;
}

export interface RingData {
  part_power: number;
  replicas: number;
  /** Secret mixed into every path hash (Swift's swift_hash_path_suffix). */
  hash_suffix: string;
  devices: RingDevice[];
  /** assignments[replica][partition] = device id; empty until the first rebalance. */
  assignments: number[][];
}

export class Ring {
  constructor(readonly data: RingData) {}

  get partitionCount(): number {
    return 2 ** this.data.part_power;
  }

  /** The md5 of `/account[/container[/object]]` salted with the ring's suffix, hex. */
  hashPath(account: string, container?: string, object?: string): string {
    const parts = [account, container, object].filter((p): p is string => p !== undefined);
    return createHash('md5')
      .update(`/${parts.join('/')}${this.data.hash_suffix}`)
      .digest('hex');
  }

  /** Top part_power bits of the hash, as Swift's get_part. */
  partition(hash: string): number {
    return Number.parseInt(hash.slice(0, 8), 16) >>> (32 - this.data.part_power);
  }

  /** The devices that hold a partition, primary first. */
  primaries(partition: number): RingDevice[] {
    return this.data.assignments.map((row) => {
      const device = this.data.devices.find((d) => d.id === row[partition]);
      if (!device) throw new Error(`Ring assigns partition ${partition} to unknown device ${row[partition]}`);
      return device;
    });
  }

  isBuilt(): boolean {
    return this.data.assignments.length === this.data.replicas && this.data.assignments.every((row) => row.length === this.partitionCount);
  }
}

export function newRingData(partPower: number, replicas: number): RingData {
  if (!Number.isInteger(partPower) || partPower < 1 || partPower > 24) throw new Error('part_power must be an integer from 1 to 24');
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error('replicas must be a positive integer');
  return { part_power: partPower, replicas, hash_suffix: randomBytes(16).toString('hex'), devices: [], assignments: [] };
}

export function loadRing(file: string): RingData {
  return JSON.parse(readFileSync(file, 'utf8')) as RingData;
}

/** Writes the ring file atomically (temporary name, fsync, rename). */
export function saveRing(file: string, data: RingData): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify(data));
  const fd = openSync(temp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, file);
}

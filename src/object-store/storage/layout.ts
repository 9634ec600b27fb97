/**
 * Where the object store keeps its files under the data directory:
 * `object-store/object.ring.json` (the ring), `object-store/devices/<name>/`
 * (one dir per ring device) and `object-store/{accounts,containers}/` (the
 * listing databases). On first start, a ring of `devices` device dirs (one
 * per zone) is built from the config.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectStoreConfig } from '../config.js';
import { addDevice, rebalance } from '../ring/builder.js';
import { loadRing, newRingData, Ring, saveRing } from '../ring/ring.js';

export function objectStoreRoot(dataDir: string): string {
  return join(dataDir, 'object-store');
}

export function ringFile(dataDir: string): string {
  return join(objectStoreRoot(dataDir), 'object.ring.json');
}

export function deviceDir(dataDir: string, device: string): string {
  return join(objectStoreRoot(dataDir), 'devices', device);
}

/** The ring, created from the config when there is none yet; refuses an unbuilt ring. */
export function openRing(dataDir: string, config: ObjectStoreConfig): Ring {
  const file = ringFile(dataDir);
  if (!existsSync(file)) {
    mkdirSync(objectStoreRoot(dataDir), { recursive: true, mode: 0o700 });
    const devices = Math.max(1, config.devices);
    const data = newRingData(config.part_power, Math.min(config.replicas, devices));
    for (let i = 1; i <= devices; i++) addDevice(data, { name: `d${i}`, zone: i, weight: 100 });
    rebalance(data);
    saveRing(file, data);
  }
  const ring = new Ring(loadRing(file));
  if (!ring.isBuilt()) throw new Error(`The ring ${file} has not been rebalanced: run nimbus manage ring rebalance`);
  return ring;
}

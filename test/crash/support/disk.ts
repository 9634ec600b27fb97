/**
 * What the data dir holds, read from the files themselves: temporaries a
 * crash may leave (image, volume and object temp names), and the live
 * objects on the Swift devices (the newest state of each object across its
 * replicas), to hold against the container listings.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectState } from '../../../src/object-store/storage/contract.js';
import { LocalObjectServer } from '../../../src/object-store/storage/local-object-server.js';

/** Temporary names: image and volume files are made as `.tmp-*`, downloads as `*.part`, objects under `<device>/tmp/`. */
function isTemporary(dir: string, name: string): boolean {
  return name.startsWith('.tmp-') || name.includes('.tmp-') || name.endsWith('.part') || /object-store\/devices\/[^/]+\/tmp$/.test(dir);
}

/** Every temporary under `root`, relative to it. */
export function temporaries(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (isTemporary(dir, entry.name)) found.push(join(dir, entry.name).slice(root.length + 1));
    }
  };
  walk(root);
  return found;
}

function stateTime(state: ObjectState): string {
  if (state.kind === 'object') return state.handle.metadata.timestamp;
  return state.kind === 'deleted' ? state.timestamp : '';
}

/** `/account/container/object` of every object whose newest state on any device is live data. */
export async function liveObjectsOnDisk(dataDir: string): Promise<Set<string>> {
  const devicesRoot = join(dataDir, 'object-store', 'devices');
  const newest = new Map<string, { time: string; path: string | null }>();
  for (const device of readdirSync(devicesRoot)) {
    const server = new LocalObjectServer(device, join(devicesRoot, device));
    for (const partition of await server.partitions()) {
      for (const hash of await server.hashes(partition)) {
        const state = await server.open(partition, hash);
        if (state.kind === 'object') await state.handle.close();
        const time = stateTime(state);
        const seen = newest.get(hash);
        if (seen !== undefined && seen.time >= time) continue;
        newest.set(hash, { time, path: state.kind === 'object' ? state.handle.metadata.path : null });
      }
    }
  }
  return new Set([...newest.values()].flatMap((entry) => (entry.path === null ? [] : [entry.path])));
}

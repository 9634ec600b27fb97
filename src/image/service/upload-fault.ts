/**
 * The `image_upload` fault point: an upload that breaks half-way, as a store
 * that went away mid-write (a remote store's network failing). The store
 * sees its source fail; the upload path then does what Glance does for a
 * failed upload: the image goes back to `queued` and the client gets 503.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DriverFaultHit, DriverFaults } from '../../core/faults.js';
import { StoreUnavailable } from '../drivers/index.js';
import type { ImageData } from './data.js';

/** The upload's bytes, or, when a rule applies, half of them (the first chunk when the size is unknown) followed by a failure. */
export function uploadThroughFaults(faults: DriverFaults, data: ImageData, size: number | null): ImageData {
  const hit = faults.take({ point: 'image_upload' });
  return hit ? breakHalfWay(data, size, hit) : data;
}

async function* breakHalfWay(data: ImageData, size: number | null, hit: DriverFaultHit): AsyncGenerator<Uint8Array> {
  if (hit.latencyMs > 0) await sleep(hit.latencyMs);
  const failure = new StoreUnavailable(hit.message);
  let left = size === null ? null : Math.floor(size / 2);
  for await (const chunk of data) {
    if (left === null) {
      yield chunk;
      throw failure;
    }
    if (chunk.length >= left) {
      if (left > 0) yield chunk.subarray(0, left);
      throw failure;
    }
    yield chunk;
    left -= chunk.length;
  }
  throw failure;
}

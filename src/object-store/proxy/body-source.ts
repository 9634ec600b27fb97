/**
 * What a GET serves, whatever the object is: a plain object's bytes, or the
 * segments of a large object read one after the other. Ranges apply to the
 * whole, so a range may start in one segment and end in another.
 */
import { Readable } from 'node:stream';
import { Conflict } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import type { ObjectLocation, ReplicatedObjects } from './replicated-objects.js';
import type { ObjectHandle } from '../storage/contract.js';

export interface BodySource {
  size: number;
  /** Bytes start..end inclusive. */
  read(start: number, end: number): AsyncIterable<Buffer>;
}

export interface Segment extends ObjectLocation {
  /** The part of the segment object served, inclusive. */
  first: number;
  last: number;
  /** Expected md5 of the segment object, when the manifest named one. */
  etag: string | null;
}

export function plainSource(handle: ObjectHandle): BodySource {
  return {
    size: handle.metadata.size,
    read: (start, end) => (end < start ? Readable.from([]) : handle.stream(start, end)),
  };
}

export function segmentedSource(objects: ReplicatedObjects, segments: Segment[]): BodySource {
  const size = segments.reduce((sum, s) => sum + (s.last - s.first + 1), 0);
  return {
    size,
    async *read(start, end) {
      let offset = 0;
      for (const segment of segments) {
        const length = segment.last - segment.first + 1;
        const from = Math.max(start, offset);
        const to = Math.min(end, offset + length - 1);
        if (from <= to) {
          const handle = await objects.open(segment);
          if (!handle) throw new Conflict(STANDARD_BODY);
          try {
            if (segment.etag !== null && handle.metadata.etag !== segment.etag) throw new Conflict(STANDARD_BODY);
            yield* handle.stream(segment.first + (from - offset), segment.first + (to - offset));
          } finally {
            await handle.close();
          }
        }
        offset += length;
        if (offset > end) break;
      }
    },
  };
}

/**
 * Which bytes a download asks for, as Glance reads it: one `Range: bytes=`
 * range (`a-b`, `a-`, or the last `n` bytes `-n`), or, for old clients, a
 * `Content-Range` request header. Several ranges are a 400; a range that is
 * malformed or starts past the end a 416.
 */
import type { ByteRange } from '../drivers/index.js';
import { imageErrors } from '../errors.js';

export interface RangeHeaders {
  range?: string | undefined;
  contentRange?: string | undefined;
}

/** The inclusive byte range to send, or null for the whole image. */
export function resolveRange(headers: RangeHeaders, size: number): ByteRange | null {
  if (headers.range !== undefined) return fromRange(headers.range, size);
  if (headers.contentRange !== undefined) return fromContentRange(headers.contentRange, size);
  return null;
}

function fromRange(header: string, size: number): ByteRange {
  if (header.includes(',')) {
    throw imageErrors.multipleRanges();
  }
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  const invalid = () => imageErrors.rangeNotSatisfiable('Invalid Range header.', size);
  if (!match) throw invalid();
  const [, first = '', last = ''] = match;
  if (first === '') {
    // The last n bytes (all of them when n is the size or more).
    if (last === '' || Number(last) === 0) throw invalid();
    return { start: Math.max(0, size - Number(last)), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) throw invalid();
  if (start >= size) {
    throw imageErrors.rangeNotSatisfiable(`Invalid start position in Range header. Start position MUST be in the inclusive range [0, ${size - 1}].`, size);
  }
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

function fromContentRange(header: string, size: number): ByteRange {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header);
  if (!match) throw imageErrors.rangeNotSatisfiable('Invalid Content-Range header.', size);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) throw imageErrors.rangeNotSatisfiable('Invalid Content-Range header.', size);
  if (end >= size) {
    throw imageErrors.rangeNotSatisfiable(
      `Invalid stop position in Content-Range header. The stop position MUST be in the inclusive range [0, ${size - 1}].`,
      size,
    );
  }
  return { start, end };
}

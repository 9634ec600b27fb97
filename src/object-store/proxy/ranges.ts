/**
 * Range and conditional requests as Swift answers them: `bytes=a-b,c-,-n`
 * (a range Swift cannot parse is ignored; when none is satisfiable, 416 with
 * a Content-Range of `bytes *` and the size), and If-Match / If-None-Match /
 * If-Modified-Since / If-Unmodified-Since against the ETag and Last-Modified.
 */
import { PreconditionFailed, RangeNotSatisfiable } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';

export interface ByteRange {
  start: number;
  end: number;
}

/** The satisfiable ranges, or null to serve the whole body. */
export function parseRange(header: string | undefined, size: number): ByteRange[] | null {
  if (header === undefined) return null;
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match) return null;
  const ranges: ByteRange[] = [];
  let any = false;
  for (const spec of (match[1] as string).split(',')) {
    const parts = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(spec);
    if (!parts || (parts[1] === '' && parts[2] === '')) return null;
    any = true;
    const first = parts[1] === '' ? null : Number(parts[1]);
    const last = parts[2] === '' ? null : Number(parts[2]);
    if (first !== null && last !== null && last < first) return null;
    if (first === null) {
      const suffix = last as number;
      if (suffix === 0 || size === 0) continue;
      ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
    } else {
      if (first >= size) continue;
      ranges.push({ start: first, end: Math.min(last ?? size - 1, size - 1) });
    }
  }
  if (any && ranges.length === 0) throw new RangeNotSatisfiable(STANDARD_BODY, { headers: { 'content-range': `bytes */${size}` } });
  return ranges;
}

function etagList(header: string): string[] {
  return header.split(',').map((t) =>
    t
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1'),
  );
}

/** 304 (`not-modified`) or throws 412; `ok` to serve. */
export function evaluateConditions(headers: Record<string, string>, etag: string, lastModifiedSeconds: number): 'ok' | 'not-modified' {
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined && !etagList(ifMatch).some((t) => t === '*' || t === etag)) throw new PreconditionFailed(STANDARD_BODY);
  const ifUnmodified = headers['if-unmodified-since'];
  if (ifUnmodified !== undefined) {
    const since = Date.parse(ifUnmodified) / 1000;
    if (!Number.isNaN(since) && lastModifiedSeconds > since) throw new PreconditionFailed(STANDARD_BODY);
  }
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (etagList(ifNoneMatch).some((t) => t === '*' || t === etag)) return 'not-modified';
    return 'ok';
  }
  const ifModified = headers['if-modified-since'];
  if (ifModified !== undefined) {
    const since = Date.parse(ifModified) / 1000;
    if (!Number.isNaN(since) && lastModifiedSeconds <= since) return 'not-modified';
  }
  return 'ok';
}

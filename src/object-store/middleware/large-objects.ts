/**
 * Large objects, as Swift's dlo and slo middleware make them:
 * - DLO: an object with `X-Object-Manifest: <container>/<prefix>` serves the
 *   objects under that prefix, in name order, as one body.
 * - SLO: `PUT ?multipart-manifest=put` with a JSON list of segments
 *   (`path`, `etag`, `size_bytes`, optional `range`), each checked before the
 *   manifest is stored; GET serves the segments, `?multipart-manifest=get`
 *   the manifest, `DELETE ?multipart-manifest=delete` removes all of them.
 * Both answer a quoted ETag: the md5 of the segments' ETags.
 */
import { createHash } from 'node:crypto';
import { BadRequest, NimbusError } from '../../core/errors.js';
import { statusLine } from '../errors.js';
import { unquoteUrlPart } from '../proxy/unquote.js';
import { checkContainerName, checkObjectName } from '../proxy/constraints.js';
import type { ObjectOps } from '../proxy/object-ops.js';
import { segmentedSource, type BodySource, type Segment } from '../proxy/body-source.js';
import { listingDate } from '../proxy/timestamp.js';
import type { ObjectHandle } from '../storage/contract.js';
import { SLO_LIMITS, splitSegmentPath, type ManifestEntry } from './slo-manifest.js';

export const SLO_FLAG = 'x-static-large-object';
const SLO_ETAG = 'x-object-sysmeta-slo-etag';
const SLO_SIZE = 'x-object-sysmeta-slo-size';

/** One segment as the stored manifest records it (Swift's stored form). */
interface StoredSegment {
  name: string;
  hash: string;
  bytes: number;
  content_type: string;
  last_modified: string;
  range?: string;
}

function parseSegmentRange(range: string, size: number): { first: number; last: number } | null {
  const m = /^(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') return { first: Math.max(0, size - Number(m[2])), last: size - 1 };
  const first = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return first <= last && first < size ? { first, last } : null;
}

export function isSlo(handle: ObjectHandle): boolean {
  return handle.metadata.system[SLO_FLAG] === 'True';
}

export interface ValidatedManifest {
  stored: StoredSegment[];
  size: number;
  etag: string;
}

/** Checks every segment a parsed manifest names against the stored object; 400 listing the problems as Swift does. */
export async function validateManifest(ops: ObjectOps, account: string, entries: ManifestEntry[]): Promise<ValidatedManifest> {
  const problems: string[] = [];
  const stored: StoredSegment[] = [];
  const etags = createHash('md5');
  let total = 0;
  for (const [index, entry] of entries.entries()) {
    const name = `/${entry.container}/${entry.object}`;
    const invalid = segmentNameProblem(entry);
    if (invalid !== null) {
      problems.push(`${name}, ${invalid}`);
      continue;
    }
    const handle = await ops.open({ account, container: entry.container, object: entry.object });
    if (!handle) {
      problems.push(`${name}, 404 Not Found`);
      continue;
    }
    await handle.close();
    const size = handle.metadata.size;
    if (entry.sizeBytes !== null && entry.sizeBytes !== size) problems.push(`${name}, Size Mismatch`);
    if (entry.etag !== null && entry.etag !== handle.metadata.etag) problems.push(`${name}, Etag Mismatch`);
    let range: { first: number; last: number } = { first: 0, last: size - 1 };
    if (entry.range !== null) {
      const parsedRange = parseSegmentRange(entry.range, size);
      if (!parsedRange) {
        problems.push(`${name}, Unsatisfiable Range`);
        continue;
      }
      range = parsedRange;
    }
    const length = range.last - range.first + 1;
    if (length < SLO_LIMITS.min_segment_size && index < entries.length - 1) problems.push(`${name}, Too small; each segment must be at least 1 byte.`);
    total += length;
    const rangeText = entry.range !== null ? `${range.first}-${range.last}` : undefined;
    etags.update(rangeText ? `${handle.metadata.etag}:${rangeText};` : handle.metadata.etag);
    stored.push({
      name,
      hash: handle.metadata.etag,
      bytes: size,
      content_type: handle.metadata.contentType,
      last_modified: listingDate(handle.metadata.timestamp),
      ...(rangeText ? { range: rangeText } : {}),
    });
  }
  if (problems.length > 0) throw new BadRequest(`Errors:\n${problems.join('\n')}`);
  return { stored, size: total, etag: etags.digest('hex') };
}

/** The status a request for this segment would get for its name alone (Swift's HEAD of it), or null. */
function segmentNameProblem(entry: ManifestEntry): string | null {
  try {
    checkContainerName(entry.container);
    checkObjectName(entry.object);
    return null;
  } catch (error) {
    if (error instanceof NimbusError) return statusLine(error.status);
    throw error;
  }
}

export function sloSystemHeaders(manifest: ValidatedManifest): Record<string, string> {
  return { [SLO_FLAG]: 'True', [SLO_ETAG]: manifest.etag, [SLO_SIZE]: String(manifest.size) };
}

async function readHandle(handle: ObjectHandle): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of handle.stream(0, handle.metadata.size - 1)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function sloSegments(handle: ObjectHandle): Promise<StoredSegment[]> {
  return JSON.parse((await readHandle(handle)).toString('utf8')) as StoredSegment[];
}

export interface LargeBody {
  source: BodySource;
  etag: string;
}

export async function sloBody(ops: ObjectOps, handle: ObjectHandle, account: string): Promise<LargeBody> {
  const segments: Segment[] = (await sloSegments(handle)).map((s) => {
    const path = splitSegmentPath(s.name) as { container: string; object: string };
    const range = s.range ? (parseSegmentRange(s.range, s.bytes) as { first: number; last: number }) : { first: 0, last: s.bytes - 1 };
    return { account, ...path, ...range, etag: s.hash };
  });
  return { source: segmentedSource(ops.objects, segments), etag: handle.metadata.system[SLO_ETAG] ?? '' };
}

/**
 * The manifest as `?multipart-manifest=get` returns it: as stored, or with
 * `format=raw` in the form a `?multipart-manifest=put` takes (slo.py's
 * convert_segment_listing: `path`, `etag`, `size_bytes`, and `range` if any),
 * so that a client can read a manifest, change it and put it back.
 */
export async function sloManifestJson(handle: ObjectHandle, format: string | null): Promise<Buffer> {
  if (format !== 'raw') return readHandle(handle);
  const raw = (await sloSegments(handle)).map(({ name, hash, bytes, range }) => ({
    etag: hash,
    path: name,
    ...(range !== undefined && { range }),
    size_bytes: bytes,
  }));
  return Buffer.from(JSON.stringify(raw));
}

/** Swift's dlo check of an `X-Object-Manifest` a write sets: `container/prefix`, no query characters. */
export function checkDloManifest(value: string | undefined): void {
  if (value === undefined) return;
  const slash = value.indexOf('/');
  const container = slash < 0 ? '' : value.slice(0, slash);
  const prefix = slash < 0 ? '' : value.slice(slash + 1);
  if (!container || !prefix || /[?&]/.test(value) || prefix.startsWith('/')) throw new BadRequest('X-Object-Manifest must be in the format container/prefix');
}

export async function dloBody(ops: ObjectOps, account: string, manifest: string): Promise<LargeBody> {
  const path = manifest.replace(/^\/+/, '');
  const slash = path.indexOf('/');
  const container = unquoteUrlPart(slash < 0 ? path : path.slice(0, slash));
  const prefix = unquoteUrlPart(slash < 0 ? '' : path.slice(slash + 1));
  const segments: Segment[] = [];
  const etags = createHash('md5');
  let marker = '';
  for (;;) {
    const page = await ops.containers.list(account, container, { prefix, delimiter: null, marker, endMarker: '', limit: 10_000, reverse: false });
    for (const entry of page) {
      if (!('row' in entry)) continue;
      const row = entry.row;
      if (row.size > 0) segments.push({ account, container, object: row.name, first: 0, last: row.size - 1, etag: null });
      etags.update(row.etag);
      marker = row.name;
    }
    if (page.length < 10_000) break;
  }
  return { source: segmentedSource(ops.objects, segments), etag: etags.digest('hex') };
}

/** Deletes an SLO's segments and then the manifest; counts for the bulk-delete style answer. */
export async function deleteSlo(ops: ObjectOps, handle: ObjectHandle, account: string): Promise<{ deleted: number; notFound: number }> {
  const segments = await sloSegments(handle);
  let deleted = 0;
  let notFound = 0;
  for (const s of segments) {
    const path = splitSegmentPath(s.name) as { container: string; object: string };
    const segment = await ops.open({ account, ...path });
    if (!segment) {
      notFound++;
      continue;
    }
    await segment.close();
    await ops.remove({ account, ...path });
    deleted++;
  }
  return { deleted, notFound };
}

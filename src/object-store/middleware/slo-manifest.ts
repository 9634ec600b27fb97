/**
 * The syntax of an SLO manifest (`PUT ?multipart-manifest=put`), checked as
 * Swift's slo.parse_and_validate_input checks it, before any segment is
 * looked at: a JSON list of objects, each with a string `path` of the form
 * `container/object` and only `etag` (string or null), `size_bytes` (an
 * integer or a string of digits) and `range` (one `M-N`, `M-` or `-N`)
 * besides. Every problem is one `Index N: ...` line of a 400. Inline `data`
 * segments are not offered here.
 */
import { BadRequest, PayloadTooLarge } from '../../core/errors.js';

export const SLO_LIMITS = { max_manifest_segments: 1000, max_manifest_size: 8 * 1024 * 1024, min_segment_size: 1 };

/** One segment as the client named it. */
export interface ManifestEntry {
  container: string;
  object: string;
  etag: string | null;
  sizeBytes: number | null;
  /** `M-N`, `M-` or `-N`, still to be fitted to the segment's size. */
  range: string | null;
}

const OPTIONAL_KEYS = ['etag', 'size_bytes', 'range'];

/** `container/object` (leading slashes dropped), or null when the path names no object. */
export function splitSegmentPath(path: string): { container: string; object: string } | null {
  const trimmed = path.replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) return null;
  return { container: trimmed.slice(0, slash), object: trimmed.slice(slash + 1) };
}

/** Python's int() of a JSON value, as Swift reads size_bytes; null when it is not one. */
function integerOf(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  return null;
}

/** A single byte range's syntax; 'multiple' for a list of them. */
function rangeSyntax(range: string): 'ok' | 'invalid' | 'multiple' {
  const parts = range.split(',');
  const valid = parts.every((part) => {
    const m = /^\s*(\d*)-(\d*)\s*$/.exec(part);
    return m !== null && (m[1] !== '' || m[2] !== '') && (m[1] === '' || m[2] === '' || Number(m[1]) <= Number(m[2]));
  });
  if (!valid) return 'invalid';
  return parts.length > 1 ? 'multiple' : 'ok';
}

/** Whether a `M-N`/`M-`/`-N` range leaves at least one byte of `size`. */
export function rangeFits(range: string, size: number): boolean {
  const m = /^\s*(\d*)-(\d*)\s*$/.exec(range);
  if (!m) return false;
  if (m[1] === '') return Number(m[2]) > 0 && size > 0;
  return Number(m[1]) < size;
}

function entryProblem(item: unknown, last: boolean, self: { container: string; object: string }): string | ManifestEntry {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'not a JSON object';
  const fields = item as Record<string, unknown>;
  if (!('path' in fields)) {
    return 'data' in fields ? 'inline data segments are not supported' : `expected keys to include one of 'data' or 'path'`;
  }
  const extraneous = Object.keys(fields)
    .filter((k) => k !== 'path' && !OPTIONAL_KEYS.includes(k))
    .sort();
  if (extraneous.length > 0) return `extraneous keys ${extraneous.map((k) => JSON.stringify(k)).join(', ')}`;
  if (typeof fields.path !== 'string') return '"path" must be a string';
  if (fields.etag !== undefined && fields.etag !== null && typeof fields.etag !== 'string') return '"etag" must be a string or null (if provided)';
  const path = splitSegmentPath(fields.path);
  if (!path || !fields.path.replace(/^\/+|\/+$/g, '').includes('/')) return 'path does not refer to an object. Path must be of the form /container/object.';
  let sizeBytes: number | null = null;
  if (fields.size_bytes !== undefined && fields.size_bytes !== null) {
    sizeBytes = integerOf(fields.size_bytes);
    if (sizeBytes === null) return 'invalid size_bytes';
    if (sizeBytes < SLO_LIMITS.min_segment_size && !last) return 'too small; each segment must be at least 1 byte.';
  }
  if (path.container === self.container && path.object === self.object) return 'manifest must not include itself as a segment';
  let range: string | null = null;
  if (fields.range !== undefined && fields.range !== null && fields.range !== '') {
    if (typeof fields.range !== 'string') return 'invalid range';
    const syntax = rangeSyntax(fields.range);
    if (syntax === 'invalid') return 'invalid range';
    if (syntax === 'multiple') return 'multiple ranges (only one allowed)';
    if (sizeBytes !== null && !rangeFits(fields.range, sizeBytes)) return 'unsatisfiable range';
    range = fields.range.trim();
  }
  return { ...path, etag: (fields.etag as string | null | undefined) ?? null, sizeBytes, range };
}

/** Parses and checks a manifest body; `self` is the manifest's own location (it may not be its own segment). */
export function parseManifest(body: Buffer, self: { container: string; object: string }): ManifestEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new BadRequest('Manifest must be valid JSON.\n');
  }
  if (!Array.isArray(parsed)) throw new BadRequest('Manifest must be a list.\n');
  if (parsed.length === 0) throw new BadRequest('Manifest must name at least one segment.\n');
  const problems: string[] = [];
  const entries: ManifestEntry[] = [];
  for (const [index, item] of parsed.entries()) {
    const result = entryProblem(item, index === parsed.length - 1, self);
    if (typeof result === 'string') problems.push(`Index ${index}: ${result}\n`);
    else entries.push(result);
  }
  if (problems.length > 0) throw new BadRequest(problems.join(''));
  if (entries.length > SLO_LIMITS.max_manifest_segments) {
    throw new PayloadTooLarge(`Number of object-backed segments must be <= ${SLO_LIMITS.max_manifest_segments}`);
  }
  return entries;
}

/** The manifest body, refused with Swift's 413 past max_manifest_size (from Content-Length before anything is read). */
export async function readManifestBody(body: AsyncIterable<Buffer> | Iterable<Buffer>, declaredSize: number | null): Promise<Buffer> {
  const limit = SLO_LIMITS.max_manifest_size;
  const tooLarge = () => new PayloadTooLarge(`Manifest File > ${limit} bytes`);
  if (declaredSize !== null && declaredSize > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

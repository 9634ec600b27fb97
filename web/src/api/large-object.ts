/**
 * Swift's static large objects as python-swiftclient makes them: a file above the segment size goes up in
 * segments to `<container>_segments`, then a manifest (`?multipart-manifest=put`) names them in order; the
 * container lists the one object, and deleting it with `?multipart-manifest=delete` removes the segments too.
 */
import { api, send } from './client';
import { ApiError } from './errors';
import { swiftPath } from './object-store';
import type { Session } from './session';
import { uploadFile, type Progress } from './transfer';

/** 100 MiB: big enough that most files go up whole, small enough that a progress bar moves per segment. */
export const DEFAULT_SEGMENT_MIB = 100;

export const segmentContainer = (container: string) => `${container}_segments`;

/** swiftclient's segment names: `<object>/slo/<mtime>/<size>/<segment size>/<index, 8 digits>`. */
function segmentName(object: string, file: File, segmentSize: number, index: number): string {
  return `${object}/slo/${file.lastModified / 1000}/${file.size}/${segmentSize}/${String(index).padStart(8, '0')}`;
}

/** Uploads `file` as `object`, in segments when it is larger than `segmentSize`; progress covers the whole file. */
export async function uploadObject(
  session: Session,
  container: string,
  object: string,
  file: File,
  segmentSize: number,
  onProgress: (progress: Progress) => void,
): Promise<void> {
  if (file.size <= segmentSize) {
    await uploadFile(session, 'object-store', swiftPath(container, object), file, onProgress);
    return;
  }
  const segments = segmentContainer(container);
  // 201 or 202 (it exists already): either way the segments have somewhere to go.
  await api(session, 'object-store', swiftPath(segments), { method: 'PUT', body: '' });
  const manifest: { path: string; etag: string | null; size_bytes: number }[] = [];
  for (let offset = 0, index = 0; offset < file.size; offset += segmentSize, index++) {
    const part = file.slice(offset, Math.min(offset + segmentSize, file.size));
    const name = segmentName(object, file, segmentSize, index);
    // The bar reaches 100% only once the manifest is stored: until then the object does not exist.
    const report = (p: Progress) => onProgress({ loaded: Math.min(offset + p.loaded, file.size - 1), total: file.size });
    const etag = await uploadFile(session, 'object-store', swiftPath(segments, name), part, report);
    manifest.push({ path: `/${segments}/${name}`, etag: etag?.replace(/"/g, '') ?? null, size_bytes: part.size });
  }
  await send(session, 'object-store', `${swiftPath(container, object)}?multipart-manifest=put`, {
    method: 'PUT',
    body: JSON.stringify(manifest),
    headers: { 'content-type': file.type || 'application/octet-stream' },
  });
  onProgress({ loaded: file.size, total: file.size });
}

/** Bulk-delete's summary, which Swift answers 200 even when a segment could not go. */
interface DeleteSummary {
  'Response Status'?: string;
  Errors?: [string, string][];
}

/** Deletes an object; a large object's manifest is deleted with its segments. */
export async function deleteObject(session: Session, container: string, object: string): Promise<void> {
  const path = swiftPath(container, object);
  const head = await send(session, 'object-store', path, { method: 'HEAD' });
  if (head.headers.get('x-static-large-object')?.toLowerCase() !== 'true') {
    await send(session, 'object-store', path, { method: 'DELETE' });
    return;
  }
  const summary = await api<DeleteSummary>(session, 'object-store', `${path}?multipart-manifest=delete`, { method: 'DELETE' });
  const status = summary['Response Status'] ?? '200 OK';
  if (!status.startsWith('2')) {
    const errors = (summary.Errors ?? []).map(([name, reason]) => `${name}: ${reason}`).join('; ');
    throw new ApiError(Number.parseInt(status, 10), `Deleting ${object} with its segments failed (${status})${errors ? `: ${errors}` : ''}`, null);
  }
}

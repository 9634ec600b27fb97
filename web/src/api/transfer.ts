/**
 * Moving files between the user's disk and the APIs: uploads go through XMLHttpRequest because
 * only its `upload` events report progress (fetch cannot, for a request body); downloads are
 * fetched with the token and handed to the browser as a file.
 */
import { send, serviceUrl, type ServiceType } from './client';
import { ApiError, errorMessage } from './errors';
import type { Session } from './session';

export interface Progress {
  loaded: number;
  total: number;
}

/** PUT `file` to `path` of `service`, reporting progress; resolves with the stored ETag when the service accepted it. */
export function uploadFile(
  session: Session,
  service: ServiceType,
  path: string,
  file: Blob,
  onProgress: (progress: Progress) => void,
  headers: Record<string, string> = {},
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', serviceUrl(session, service, path));
    const all: Record<string, string> = { 'x-auth-token': session.token, 'content-type': file.type || 'application/octet-stream', ...headers };
    for (const [name, value] of Object.entries(all)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress({ loaded: file.size, total: file.size });
        resolve(request.getResponseHeader('etag'));
        return;
      }
      const requestId = request.getResponseHeader('x-openstack-request-id') ?? request.getResponseHeader('x-trans-id');
      reject(new ApiError(request.status, errorMessage(request.responseText, request.status), requestId));
    };
    request.onerror = () => reject(new ApiError(0, `The upload of ${path} failed: the connection was lost.`, null));
    request.send(file);
  });
}

/** Offers `blob` to the user as a file named `filename` (the browser's own download). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken its copy once the click's task ran.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function saveText(text: string, filename: string, type = 'text/plain'): void {
  saveBlob(new Blob([text], { type }), filename);
}

/** GET `path` with the token and save the body under `filename`. */
export async function downloadFile(session: Session, service: ServiceType, path: string, filename: string): Promise<void> {
  const response = await send(session, service, path, { headers: { accept: '*/*' } });
  saveBlob(await response.blob(), filename);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The `web-download` import method's two halves: Glance's URI filter
 * (`[import_filtering_opts]`, checked by the API before the task exists) and
 * the fetch the import task runs.
 *
 * The filter is Glance's `validate_import_uri`: the scheme and the host must
 * be present; an allow list, when set, replaces the deny list of its kind; the
 * port is checked only when the URI names one. Redirects are followed by hand
 * and each target must pass the same filter: a redirect is another URI the
 * server would fetch, and letting it through would turn an allowed host into
 * a way to reach a disallowed one.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { ImportFiltering } from './options.js';

/** As urllib's redirect limit. */
const MAX_REDIRECTS = 10;

/** The URI's parts as Python's urlparse gives them: lower-case scheme and host, the port only when written. */
interface UriParts {
  scheme: string;
  host: string;
  port: number | null;
}

const AUTHORITY = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?(?:[/?#]|$)/;

function uriParts(uri: string): UriParts | null {
  const match = AUTHORITY.exec(uri);
  if (!match) return null;
  const [, scheme = '', rawHost = '', port] = match;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { scheme: scheme.toLowerCase(), host: host.toLowerCase(), port: port === undefined ? null : Number(port) };
}

/** Whether `web-download` may fetch `uri` (Glance's `validate_import_uri`). */
export function uriPassesFilter(uri: string | undefined, filter: ImportFiltering): boolean {
  if (!uri) return false;
  const parts = uriParts(uri);
  if (!parts || !parts.scheme || !parts.host) return false;
  const passes = <T>(value: T, allowed: readonly T[], disallowed: readonly T[]) => (allowed.length > 0 ? allowed.includes(value) : !disallowed.includes(value));
  if (!passes(parts.scheme, filter.allowedSchemes, filter.disallowedSchemes)) return false;
  if (!passes(parts.host, filter.allowedHosts, filter.disallowedHosts)) return false;
  return parts.port === null || parts.port === 0 || passes(parts.port, filter.allowedPorts, filter.disallowedPorts);
}

/** Why a download failed, as the task's message says it (urllib's wording for HTTP errors). */
export class WebDownloadError extends Error {}

/** Opens `uri` for reading, following redirects that pass the filter; the body streams. */
export async function openWebDownload(uri: string, filter: ImportFiltering, signal: AbortSignal): Promise<Readable> {
  let target = uri;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      response = await fetch(target, { redirect: 'manual', signal });
    } catch (error) {
      throw new WebDownloadError(
        `<urlopen error ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}>`,
      );
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      target = new URL(location, target).href;
      if (!uriPassesFilter(target, filter)) throw new WebDownloadError(`Redirect to ${target} does not pass filtering`);
      continue;
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new WebDownloadError(`HTTP Error ${response.status}: ${response.statusText}`);
    }
    return Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
  }
  throw new WebDownloadError(`More than ${MAX_REDIRECTS} redirects from ${uri}`);
}

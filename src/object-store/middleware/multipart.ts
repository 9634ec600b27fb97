/**
 * A streaming multipart/form-data reader: each part comes out with its
 * headers and its body as a stream, which must be read (or is skipped) before
 * the next part. Memory holds one chunk plus a boundary's length.
 */
import { BadRequest } from '../../core/errors.js';

export interface FormPart {
  /** Lower-case header names. */
  headers: Record<string, string>;
  name: string;
  filename: string | null;
  body: AsyncIterable<Buffer>;
}

export function boundaryOf(contentType: string | undefined): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match ? ((match[1] ?? match[2]) as string) : null;
}

/** How far the first boundary and each part's headers may be looked for before the form is refused (Swift reads them in bounded lines too). */
const MAX_SEARCH = 64 * 1024;

export async function* readMultipart(source: AsyncIterable<Buffer>, boundary: string): AsyncIterable<FormPart> {
  const iterator = source[Symbol.asyncIterator]();
  let buffer = Buffer.alloc(0);
  let ended = false;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return false;
    }
    buffer = Buffer.concat([buffer, next.value]);
    return true;
  };
  /** Index of `needle` in the buffer, reading more as needed; -1 at the end of the stream or past MAX_SEARCH bytes. */
  const find = async (needle: Buffer): Promise<number> => {
    for (;;) {
      const at = buffer.indexOf(needle);
      if (at >= 0) return at;
      if (buffer.length > MAX_SEARCH || !(await more())) return -1;
    }
  };

  const first = await find(Buffer.from(`--${boundary}`));
  if (first < 0) throw new BadRequest('FormPost: invalid starting boundary');
  buffer = buffer.subarray(first + boundary.length + 2);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  for (;;) {
    while (buffer.length < 2 && (await more()));
    if (buffer.subarray(0, 2).toString() === '--') return;
    const headerEnd = await find(Buffer.from('\r\n\r\n'));
    if (headerEnd < 0) throw new BadRequest('FormPost: truncated part headers');
    const headers: Record<string, string> = {};
    for (const line of buffer.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    buffer = buffer.subarray(headerEnd + 4);
    const disposition = headers['content-disposition'] ?? '';
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1] ?? null;
    let finished = false;
    /** The part's next bytes, or null once its closing delimiter is consumed. */
    const nextChunk = async (): Promise<Buffer | null> => {
      for (;;) {
        if (finished) return null;
        const at = buffer.indexOf(delimiter);
        if (at >= 0) {
          const chunk = buffer.subarray(0, at);
          buffer = buffer.subarray(at + delimiter.length);
          finished = true;
          return chunk;
        }
        // Keep what could be the start of a delimiter split across chunks.
        const safe = buffer.length - delimiter.length;
        if (safe > 0) {
          const chunk = buffer.subarray(0, safe);
          buffer = buffer.subarray(safe);
          return chunk;
        }
        if (!(await more())) throw new BadRequest('FormPost: truncated body');
      }
    };
    const body = (async function* () {
      for (let chunk = await nextChunk(); chunk !== null; chunk = await nextChunk()) if (chunk.length > 0) yield chunk;
    })();
    yield { headers, name, filename, body };
    // Whatever the consumer left unread is skipped.
    while ((await nextChunk()) !== null);
  }
}

/** A small text field's value. */
export async function fieldText(part: FormPart, limit = 8192): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.body) {
    size += chunk.length;
    if (size > limit) throw new BadRequest(`FormPost: ${part.name} too long`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

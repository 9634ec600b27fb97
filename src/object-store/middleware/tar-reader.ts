/**
 * A streaming reader of tar archives (ustar, GNU long names, pax `path`): each
 * regular file comes out with its body as a stream that must be read before
 * the next entry. Nothing is buffered beyond one header or one chunk.
 */
import { BadRequest } from '../../core/errors.js';

export interface TarEntry {
  name: string;
  size: number;
  body: AsyncIterable<Buffer>;
}

const BLOCK = 512;
/** A GNU long name or pax header is read whole: no more than this (names are at most 1024 bytes anyway). */
const MAX_EXTENDED_HEADER = 64 * 1024;

/** Pulls exact byte counts from a chunk stream. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private readonly source: AsyncIterator<Buffer>;
  private done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.source = source[Symbol.asyncIterator]();
  }

  private async fill(atLeast: number): Promise<void> {
    while (this.length < atLeast && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        this.buffered.push(next.value);
        this.length += next.value.length;
      }
    }
  }

  /** Up to `max` bytes (fewer only at the end of the stream). */
  async take(max: number): Promise<Buffer> {
    await this.fill(1);
    const all = Buffer.concat(this.buffered);
    const taken = all.subarray(0, Math.min(max, all.length));
    const rest = all.subarray(taken.length);
    this.buffered = rest.length ? [rest] : [];
    this.length = rest.length;
    return taken;
  }

  /** True when the stream ended with nothing left (errors of the source propagate). */
  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.length === 0;
  }

  async exactly(count: number): Promise<Buffer> {
    await this.fill(count);
    if (this.length < count) throw new BadRequest('Invalid Tar File: truncated');
    return this.take(count);
  }

  async skip(count: number): Promise<void> {
    for (let left = count; left > 0;) left -= (await this.exactly(Math.min(left, 64 * 1024))).length;
  }
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function octal(header: Buffer, start: number, length: number): number {
  const text = field(header, start, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new BadRequest('Invalid Tar File: bad header');
  return text === '' ? 0 : Number.parseInt(text, 8);
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

export async function* readTar(source: AsyncIterable<Buffer>): AsyncIterable<TarEntry> {
  const reader = new ByteReader(source);
  let longName: string | null = null;
  for (;;) {
    // Archives end with zero blocks; some writers stop without them.
    if (await reader.atEnd()) return;
    const header = await reader.exactly(BLOCK);
    if (header.every((b) => b === 0)) return;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = field(header, 345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = null;
    if (type === 'L' || type === 'x') {
      if (size > MAX_EXTENDED_HEADER) throw new BadRequest('Invalid Tar File: extended header too large');
      const text = (await reader.exactly(size)).toString('utf8');
      await reader.skip(padding(size));
      if (type === 'L') longName = text.replace(/\0+$/, '');
      else longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1] ?? null;
      continue;
    }
    if (type !== '0' && type !== '\0') {
      await reader.skip(size + padding(size));
      continue;
    }
    name = name.replace(/^\.?\/+/, '');
    let left = size;
    const body = (async function* () {
      while (left > 0) {
        const chunk = await reader.exactly(Math.min(left, 256 * 1024));
        left -= chunk.length;
        yield chunk;
      }
    })();
    yield { name, size, body };
    // Whatever the consumer did not read is skipped.
    await reader.skip(left + padding(size));
  }
}

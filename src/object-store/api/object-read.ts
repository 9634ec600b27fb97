/**
 * Object GET and HEAD: the object's headers, conditional answers (304/412),
 * ranges (206, multipart/byteranges for several, 416), and large objects
 * served from their segments. Bodies stream from the device files.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { NotFound } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { dloBody, isSlo, sloBody, sloManifestJson, type LargeBody } from '../middleware/large-objects.js';
import { plainSource, type BodySource } from '../proxy/body-source.js';
import type { ObjectOps } from '../proxy/object-ops.js';
import { evaluateConditions, parseRange, type ByteRange } from '../proxy/ranges.js';
import { httpDate } from '../proxy/timestamp.js';
import type { ObjectHandle } from '../storage/contract.js';
import type { Access } from './access.js';
import type { SwiftRequest } from './request.js';

export async function readObject(ops: ObjectOps, req: SwiftRequest, access: Access): Promise<unknown> {
  const where = { account: req.account, container: req.container as string, object: req.object as string };
  const handle = await ops.open(where);
  if (!handle) throw new NotFound(STANDARD_BODY);
  const { reply } = req;
  reply.raw.once('close', () => void handle.close());
  try {
    const manifestGet = req.query.get('multipart-manifest') === 'get';
    let large: LargeBody | null = null;
    let source: BodySource;
    // A small plain object read whole at open: sent in one write, no stream.
    let whole: Buffer | null = null;
    if (isSlo(handle) && manifestGet) {
      const json = await sloManifestJson(handle, req.query.get('format'));
      source = { size: json.length, read: () => Readable.from([json]) };
      reply.type('application/json; charset=utf-8');
    } else {
      if (isSlo(handle)) large = await sloBody(ops, handle, req.account);
      else if (handle.metadata.headers['x-object-manifest'] !== undefined && !manifestGet) {
        large = await dloBody(ops, req.account, handle.metadata.headers['x-object-manifest']);
      }
      source = large?.source ?? plainSource(handle);
      if (large === null) whole = handle.bytes;
      reply.type(handle.metadata.contentType);
    }
    const etag = large?.etag ?? handle.metadata.etag;
    setObjectHeaders(req, handle, large === null ? etag : `"${etag}"`, access);

    if (evaluateConditions(req.headers, etag, Math.ceil(Number(handle.metadata.timestamp))) === 'not-modified') {
      return reply.code(304).send();
    }
    const ranges = parseRange(req.headers.range, source.size);
    if (ranges === null || ranges.length === 0) {
      reply.header('content-length', String(source.size));
      if (req.method === 'HEAD') return reply.code(200).send();
      if (whole !== null) return reply.code(200).send(whole);
      return reply.code(200).send(Readable.from(source.read(0, source.size - 1)));
    }
    reply.code(206);
    if (ranges.length === 1) {
      const [range] = ranges as [ByteRange];
      reply.header('content-range', `bytes ${range.start}-${range.end}/${source.size}`);
      reply.header('content-length', String(range.end - range.start + 1));
      if (req.method === 'HEAD') return reply.send();
      return reply.send(Readable.from(source.read(range.start, range.end)));
    }
    return sendMultipart(req, source, ranges, String(reply.getHeader('content-type')));
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function setObjectHeaders(req: SwiftRequest, handle: ObjectHandle, etag: string, access: Access): void {
  const { reply } = req;
  const { metadata } = handle;
  reply.header('etag', etag);
  reply.header('last-modified', httpDate(handle.changedAt));
  reply.header('x-timestamp', metadata.timestamp);
  reply.header('accept-ranges', 'bytes');
  for (const [name, value] of Object.entries(metadata.headers)) reply.header(name, value);
  if (metadata.system['x-static-large-object']) reply.header('x-static-large-object', 'True');
  if (access.tempUrl && req.method === 'GET') reply.header('content-disposition', tempUrlDisposition(req));
}

/** Swift's tempurl: inline with `&inline`, else an attachment named after the object (or `&filename=`). */
function tempUrlDisposition(req: SwiftRequest): string {
  const filename = req.query.get('filename') ?? (req.object as string).split('/').at(-1) ?? '';
  const quoted = filename.replaceAll('"', '\\"');
  if (req.query.has('inline')) return req.query.get('filename') === null ? 'inline' : `inline; filename="${quoted}"`;
  return `attachment; filename="${quoted}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function sendMultipart(req: SwiftRequest, source: BodySource, ranges: ByteRange[], contentType: string): unknown {
  const boundary = randomBytes(16).toString('hex');
  const heads = ranges.map((r) =>
    Buffer.from(`--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Range: bytes ${r.start}-${r.end}/${source.size}\r\n\r\n`),
  );
  const tail = Buffer.from(`--${boundary}--`);
  const length = heads.reduce((sum, h, i) => sum + h.length + (ranges[i]!.end - ranges[i]!.start + 1) + 2, 0) + tail.length;
  req.reply.type(`multipart/byteranges;boundary=${boundary}`);
  req.reply.header('content-length', String(length));
  if (req.method === 'HEAD') return req.reply.send();
  async function* parts(): AsyncIterable<Buffer> {
    for (const [i, range] of ranges.entries()) {
      yield heads[i] as Buffer;
      yield* source.read(range.start, range.end);
      yield Buffer.from('\r\n');
    }
    yield tail;
  }
  return req.reply.send(Readable.from(parts()));
}

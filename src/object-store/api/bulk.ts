/**
 * Swift's bulk middleware: `?bulk-delete` (POST or DELETE with a newline list
 * of `/container/object` and `/container` paths, each authorized as its own
 * DELETE) and `PUT ?extract-archive=tar|tar.gz` (each file of the archive
 * becomes an object; at the account level the first path part names the
 * container, made when missing). Answers are Swift's bulk summaries, in plain
 * text or JSON after the Accept header.
 */
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { BadRequest, Conflict, LengthRequired, NimbusError, NotAcceptable, NotFound, PayloadTooLarge } from '../../core/errors.js';
import { STANDARD_BODY, statusLine, swiftErrorBody } from '../errors.js';
import { readTar } from '../middleware/tar-reader.js';
import { checkContainerName, checkObjectName, LIMITS } from '../proxy/constraints.js';
import { percentDecode, utf8Name } from '../proxy/unquote.js';
import { guessContentType } from '../proxy/content-type.js';
import type { ObjectOps } from '../proxy/object-ops.js';
import { newTimestamp } from '../proxy/timestamp.js';
import { authorize } from './access.js';
import type { SwiftApi } from './context.js';
import type { SwiftRequest } from './request.js';

export const BULK_LIMITS = { max_deletes_per_request: 10_000, max_failed_deletes: 1000, max_containers_per_extraction: 10_000, max_failed_extractions: 1000 };

export interface BulkSummary {
  counts: Record<string, number>;
  status: number;
  /** Swift's "Response Body": what went wrong as a whole. */
  body?: string;
  errors: Array<[string, string]>;
}

export function sendSummary(req: SwiftRequest, summary: BulkSummary): unknown {
  const json = /application\/json/.test(req.headers.accept ?? '');
  const fields: Record<string, unknown> = {
    ...summary.counts,
    'Response Status': statusLine(summary.status),
    'Response Body': summary.body ?? '',
    Errors: summary.errors,
  };
  const body = json
    ? JSON.stringify(fields)
    : Object.entries(fields)
        .map(([k, v]) => (k === 'Errors' ? `Errors: \n${summary.errors.map(([p, s]) => `${p}, ${s}`).join('\n')}` : `${k}: ${String(v)}`))
        .join('\n') + '\n';
  return req.reply
    .code(200)
    .type(json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8')
    .send(body);
}

/** Swift's max_path_length: the longest `/container/object` line (a line may be twice that before it is refused). */
const MAX_PATH_LENGTH = LIMITS.max_object_name_length + LIMITS.max_container_name_length + 2;

/**
 * The body's lines (as bytes, untrimmed), read as Swift's get_objs_to_delete
 * reads them: 411 without a length, 413 past max_deletes_per_request, 400
 * for a line longer than twice max_path_length; memory bounded by both.
 */
async function readDeleteLines(req: SwiftRequest): Promise<Buffer[]> {
  if (req.headers['content-length'] === undefined && !/chunked/i.test(req.headers['transfer-encoding'] ?? '')) {
    throw new LengthRequired(STANDARD_BODY);
  }
  const lines: Buffer[] = [];
  let line: Buffer = Buffer.alloc(0);
  const tooMany = () => new PayloadTooLarge(`Maximum Bulk Deletes: ${BULK_LIMITS.max_deletes_per_request} per request`);
  for await (const chunk of req.raw.raw as AsyncIterable<Buffer>) {
    line = line.length === 0 ? chunk : Buffer.concat([line, chunk]);
    for (let end = line.indexOf(10); end >= 0; end = line.indexOf(10)) {
      lines.push(line.subarray(0, end));
      line = line.subarray(end + 1);
      if (lines.length > BULK_LIMITS.max_deletes_per_request) throw tooMany();
    }
    if (line.length > MAX_PATH_LENGTH * 2) throw new BadRequest('Invalid File Name');
  }
  // The last line counts only when it names something (a body may end with a newline).
  if (line.toString('latin1').trim() !== '') lines.push(line);
  if (lines.length > BULK_LIMITS.max_deletes_per_request) throw tooMany();
  return lines;
}

/** Python's quote(name, safe='/') of a name's bytes, as Swift's bulk answers name what failed. */
function quoteName(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~/-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

interface DeleteTarget {
  /** As the answer names it. */
  shown: string;
  container: string;
  object: string | null;
}

/** Deletes one object or container, authorized as its own DELETE; counts it in the summary. */
async function deleteOne(api: SwiftApi, ops: ObjectOps, req: SwiftRequest, target: DeleteTarget, summary: BulkSummary): Promise<void> {
  const { container, object } = target;
  const item: SwiftRequest = { ...req, method: 'DELETE', container, object, query: new URLSearchParams() };
  try {
    checkContainerName(container);
    if (object === null) {
      await authorize(api, item, 'manage');
      const result = await api.containers.delete(req.account, container, newTimestamp());
      if (result === 'missing') throw new NotFound(STANDARD_BODY);
      if (result === 'not-empty') throw new Conflict(STANDARD_BODY);
    } else {
      checkObjectName(object);
      await authorize(api, item, 'write');
      const where = { account: req.account, container, object };
      const handle = await ops.open(where);
      if (!handle) throw new NotFound(STANDARD_BODY);
      await handle.close();
      await ops.remove(where);
    }
    summary.counts['Number Deleted']!++;
  } catch (error) {
    if (error instanceof NotFound) summary.counts['Number Not Found']!++;
    else if (error instanceof NimbusError) summary.errors.push([target.shown, statusLine(error.status)]);
    else throw error;
  }
}

/** Swift's bulk delete: objects first, then containers; the answer is a 200 whose summary carries the outcome. */
export async function bulkDelete(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  const summary: BulkSummary = { counts: { 'Number Deleted': 0, 'Number Not Found': 0 }, status: 200, errors: [] };
  try {
    const incoming = req.headers['content-type'];
    if (incoming !== undefined && incoming !== '' && !incoming.startsWith('text/plain')) throw new NotAcceptable(STANDARD_BODY);
    const targets: DeleteTarget[] = [];
    for (const raw of await readDeleteLines(req)) {
      const bytes = percentDecode(Buffer.from(raw.toString('latin1').trim(), 'latin1'));
      if (bytes.length === 0) continue;
      const name = utf8Name(bytes);
      if (name === null) {
        summary.errors.push([quoteName(bytes), statusLine(412)]);
        continue;
      }
      const path = name.replace(/^\/+/, '');
      const slash = path.replace(/\/+$/, '').indexOf('/');
      targets.push({
        shown: quoteName(Buffer.from(name)),
        container: slash < 0 ? path.replace(/\/+$/, '') : path.slice(0, slash),
        object: slash < 0 ? null : path.slice(slash + 1),
      });
    }
    const ordered = [...targets.filter((x) => x.object !== null), ...targets.filter((x) => x.object === null)];
    for (const target of ordered) {
      if (summary.errors.length >= BULK_LIMITS.max_failed_deletes) throw new BadRequest('Max delete failures exceeded');
      await deleteOne(api, ops, req, target, summary);
    }
    if (summary.errors.length > 0) summary.status = 400;
    else if (summary.counts['Number Deleted'] === 0 && summary.counts['Number Not Found'] === 0) {
      summary.status = 400;
      summary.body = 'Invalid bulk delete.';
    }
  } catch (error) {
    if (!(error instanceof NimbusError)) throw error;
    summary.status = error.status;
    summary.body = swiftErrorBody(error.status, error.message);
  }
  return sendSummary(req, summary);
}

export async function extractArchive(api: SwiftApi, ops: ObjectOps, req: SwiftRequest, format: string): Promise<unknown> {
  if (!['tar', 'tar.gz', 'tgz'].includes(format)) throw new BadRequest(`Unsupported archive format: ${format}`);
  let source: AsyncIterable<Buffer> = req.raw.raw;
  if (format !== 'tar') source = (req.raw.raw as Readable).pipe(createGunzip());
  const summary: BulkSummary = { counts: { 'Number Files Created': 0 }, status: 201, errors: [] };
  const made = new Set<string>();
  try {
    for await (const entry of readTar(source)) {
      const full = req.container === null ? entry.name : `${req.container}/${req.object ? `${req.object}/` : ''}${entry.name}`;
      const slash = full.indexOf('/');
      if (slash <= 0 || slash === full.length - 1) continue;
      const container = full.slice(0, slash);
      const object = full.slice(slash + 1);
      const item: SwiftRequest = { ...req, container, object, query: new URLSearchParams() };
      try {
        checkContainerName(container);
        checkObjectName(object);
        let info = await api.containers.info(req.account, container);
        if (!info && !made.has(container)) {
          if (made.size >= BULK_LIMITS.max_containers_per_extraction) throw new BadRequest('More than max containers');
          await authorize(api, { ...item, object: null }, 'manage');
          await api.containers.create(req.account, container, newTimestamp(), {});
          made.add(container);
          info = await api.containers.info(req.account, container);
        }
        if (!info) throw new NotFound(STANDARD_BODY);
        await authorize(api, item, 'write');
        const where = { account: req.account, container, object };
        await ops.store({
          where,
          body: entry.body,
          contentType: guessContentType(object),
          headers: {},
          system: {},
          expectedEtag: null,
          declaredSize: entry.size,
          enforceQuotas: true,
        });
        summary.counts['Number Files Created']!++;
      } catch (error) {
        if (!(error instanceof NimbusError)) throw error;
        summary.errors.push([`/${container}/${object}`, statusLine(error.status)]);
        if (summary.errors.length >= BULK_LIMITS.max_failed_extractions) break;
      }
    }
  } catch (error) {
    // A malformed archive (tar or gzip) ends the extraction; anything else is a bug.
    if (error instanceof NimbusError) summary.errors.push(['archive', error.message]);
    else if (/^Z_/.test(String((error as NodeJS.ErrnoException).code))) summary.errors.push(['archive', 'Invalid Tar File: not gzip']);
    else throw error;
  }
  if (summary.errors.length > 0) summary.status = 400;
  return sendSummary(req, summary);
}

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
import { BadRequest, NimbusError, NotFound } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { readTar } from '../middleware/tar-reader.js';
import { checkContainerName, checkObjectName } from '../proxy/constraints.js';
import { guessContentType } from '../proxy/content-type.js';
import type { ObjectOps } from '../proxy/object-ops.js';
import { newTimestamp } from '../proxy/timestamp.js';
import { authorize } from './access.js';
import type { SwiftApi } from './context.js';
import type { SwiftRequest } from './request.js';

export const BULK_LIMITS = { max_deletes_per_request: 10_000, max_failed_deletes: 1000, max_containers_per_extraction: 10_000, max_failed_extractions: 1000 };
const MAX_DELETE_BODY = 10_000 * 2048;

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Request Entity Too Large' };
const statusLine = (status: number) => `${status} ${STATUS_TEXT[status] ?? 'Error'}`;

export interface BulkSummary {
  counts: Record<string, number>;
  status: number;
  errors: Array<[string, string]>;
}

export function sendSummary(req: SwiftRequest, summary: BulkSummary): unknown {
  const json = /application\/json/.test(req.headers.accept ?? '');
  const fields: Record<string, unknown> = { ...summary.counts, 'Response Status': statusLine(summary.status), 'Response Body': '', Errors: summary.errors };
  const body = json
    ? JSON.stringify(fields)
    : Object.entries(fields)
        .map(([k, v]) => (k === 'Errors' ? `Errors: \n${summary.errors.map(([p, s]) => `${p}, ${s}`).join('\n')}` : `${k}: ${String(v)}`))
        .join('\n') + '\n';
  return req.reply.code(200).type(json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8').send(body);
}

async function readText(req: SwiftRequest, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.raw.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BadRequest('Too many deletes requested');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function bulkDelete(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  const paths = (await readText(req, MAX_DELETE_BODY)).split('\n').map((p) => p.trim()).filter(Boolean);
  if (paths.length > BULK_LIMITS.max_deletes_per_request) throw new BadRequest(`Max delete requests per request: ${BULK_LIMITS.max_deletes_per_request}`);
  const summary: BulkSummary = { counts: { 'Number Deleted': 0, 'Number Not Found': 0 }, status: 200, errors: [] };
  for (const raw of paths) {
    const path = decodeURIComponent(raw).replace(/^\/+/, '');
    const slash = path.indexOf('/');
    const container = slash < 0 ? path : path.slice(0, slash);
    const object = slash < 0 ? null : path.slice(slash + 1);
    const item: SwiftRequest = { ...req, method: 'DELETE', container, object, query: new URLSearchParams() };
    try {
      if (object === null) {
        await authorize(api, item, 'manage');
        const result = await api.containers.delete(req.account, container, newTimestamp());
        if (result === 'missing') throw new NotFound(STANDARD_BODY);
        if (result === 'not-empty') summary.errors.push([`/${path}`, statusLine(409)]);
        else summary.counts['Number Deleted']!++;
      } else {
        await authorize(api, item, 'write');
        const where = { account: req.account, container, object };
        const handle = await ops.open(where);
        if (!handle) throw new NotFound(STANDARD_BODY);
        await handle.close();
        await ops.remove(where);
        summary.counts['Number Deleted']!++;
      }
    } catch (error) {
      if (error instanceof NotFound) summary.counts['Number Not Found']!++;
      else if (error instanceof NimbusError) summary.errors.push([`/${path}`, statusLine(error.status)]);
      else throw error;
    }
    if (summary.errors.length >= BULK_LIMITS.max_failed_deletes) break;
  }
  if (summary.errors.length > 0) summary.status = 400;
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
          where, body: entry.body, contentType: guessContentType(object), headers: {}, system: {}, expectedEtag: null,
          declaredSize: entry.size, enforceQuotas: true,
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

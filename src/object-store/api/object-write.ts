/**
 * Object PUT (streamed, ETag-checked, quota-checked; SLO manifests; with
 * X-Copy-From a copy, see object-copy.ts), POST (metadata and expiry) and
 * DELETE (with versioning and SLO deletion). Every write is durable on a
 * quorum of devices before its answer.
 */
import { BadRequest, LengthRequired, MethodNotAllowed, NotFound, PreconditionFailed } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { deleteSlo, isSlo, sloSystemHeaders, validateManifest } from '../middleware/large-objects.js';
import { parseManifest, readManifestBody } from '../middleware/slo-manifest.js';
import { archiveCurrent, restorePrevious, versionsContainer } from '../middleware/versioning.js';
import { checkSize } from '../proxy/constraints.js';
import { guessContentType } from '../proxy/content-type.js';
import type { ObjectOps, StoreRequest } from '../proxy/object-ops.js';
import { httpDate, newTimestamp } from '../proxy/timestamp.js';
import { authorize } from './access.js';
import { sendSummary } from './bulk.js';
import type { SwiftApi } from './context.js';
import { accountHeader, copyObject, parseCopyPath } from './object-copy.js';
import { location, targetContainer, writeHeaders } from './object-common.js';
import { headerTrue, type SwiftRequest } from './request.js';

function contentLength(req: SwiftRequest): number | null {
  const value = req.headers['content-length'];
  if (value !== undefined) {
    if (!/^\d+$/.test(value)) throw new BadRequest('Invalid Content-Length');
    checkSize(Number(value));
    return Number(value);
  }
  if (!/chunked/i.test(req.headers['transfer-encoding'] ?? '')) throw new LengthRequired('Missing Content-Length header.');
  return null;
}

function requestBody(req: SwiftRequest): AsyncIterable<Buffer> {
  return req.raw.raw.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
}

export async function putObject(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  await authorize(api, req, 'write');
  const where = location(req);
  const copyFrom = req.headers['x-copy-from'];
  if (copyFrom !== undefined) {
    if (req.query.get('multipart-manifest') === 'put') throw new MethodNotAllowed('Multipart Manifest PUTs cannot be COPY requests');
    const from = { account: accountHeader(req.headers['x-copy-from-account'], req.account), ...parseCopyPath(copyFrom, 'X-Copy-From') };
    return copyObject(api, ops, req, from, where);
  }
  const length = contentLength(req);
  const container = await targetContainer(api, where);
  const headers = writeHeaders(req.headers);
  const detect = headerTrue(req.headers['x-detect-content-type']) || req.headers['content-type'] === undefined;
  const contentType = detect ? guessContentType(where.object) : (req.headers['content-type'] as string);

  const store: StoreRequest = {
    where,
    body: requestBody(req),
    contentType,
    headers,
    system: {},
    expectedEtag: req.headers.etag ?? null,
    declaredSize: length,
    enforceQuotas: true,
  };
  let answerEtag: string | null = null;
  if (req.query.get('multipart-manifest') === 'put') {
    const entries = parseManifest(await readManifestBody(store.body, length), where);
    const manifest = await validateManifest(ops, req.account, entries);
    const json = Buffer.from(JSON.stringify(manifest.stored));
    Object.assign(store, {
      body: [json],
      declaredSize: json.length,
      system: sloSystemHeaders(manifest),
      expectedEtag: null,
      listed: () => ({ size: manifest.size, etag: manifest.etag }),
    });
    answerEtag = `"${manifest.etag}"`;
  }
  if (req.headers['if-none-match'] === '*') {
    // Create-only upload: refused when the object exists.
    const existing = await ops.open(where);
    await existing?.close();
    if (existing) throw new PreconditionFailed(STANDARD_BODY);
  }
  const versions = versionsContainer(container);
  if (versions) store.prepare = async () => void (await archiveCurrent(ops, where, versions.container));
  const stored = await ops.store(store);
  return req.reply
    .code(201)
    .header('etag', answerEtag ?? stored.etag)
    .header('last-modified', httpDate(stored.timestamp))
    .type('text/html; charset=UTF-8')
    .send();
}

export async function postObject(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  await authorize(api, req, 'write');
  const where = location(req);
  const handle = await ops.open(where);
  if (!handle) throw new NotFound(STANDARD_BODY);
  await handle.close();
  const headers = writeHeaders(req.headers);
  const contentType = req.headers['content-type'] ?? handle.metadata.contentType;
  const timestamp = newTimestamp();
  if (!(await ops.objects.post(where, { timestamp, contentType, headers }))) throw new NotFound(STANDARD_BODY);
  if (contentType !== handle.metadata.contentType) {
    await ops.containers.putObject(where.account, where.container, {
      name: where.object,
      createdAt: timestamp,
      size: handle.metadata.size,
      contentType,
      etag: handle.metadata.etag,
    });
  }
  return req.reply.code(202).type('text/html; charset=UTF-8').send();
}

export async function deleteObject(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  await authorize(api, req, 'write');
  const where = location(req);
  const container = await targetContainer(api, where);
  const handle = await ops.open(where);
  if (req.query.get('multipart-manifest') === 'delete' && handle && isSlo(handle)) {
    const counts = await deleteSlo(ops, handle, req.account);
    await handle.close();
    await ops.remove(where);
    return sendSummary(req, { counts: { 'Number Deleted': counts.deleted + 1, 'Number Not Found': counts.notFound }, status: 200, errors: [] });
  }
  await handle?.close();
  const versions = versionsContainer(container);
  if (versions?.mode === 'stack' && (await restorePrevious(ops, where, versions.container))) return req.reply.code(204).send();
  if (versions?.mode === 'history' && handle) await archiveCurrent(ops, where, versions.container);
  if (!handle) throw new NotFound(STANDARD_BODY);
  await ops.remove(where);
  return req.reply.code(204).send();
}

/**
 * Object PUT (streamed, ETag-checked, quota-checked; manifests; X-Copy-From),
 * COPY, POST (metadata and expiry) and DELETE (with versioning and SLO
 * deletion). Every write is durable on a quorum of devices before its answer.
 */
import { BadRequest, Forbidden, LengthRequired, MethodNotAllowed, NotFound, PreconditionFailed, Unauthorized } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { checkDloManifest, deleteSlo, dloBody, isSlo, sloBody, sloSystemHeaders, validateManifest } from '../middleware/large-objects.js';
import { parseManifest, readManifestBody } from '../middleware/slo-manifest.js';
import { archiveCurrent, restorePrevious, versionsContainer } from '../middleware/versioning.js';
import { plainSource, type BodySource } from '../proxy/body-source.js';
import { checkAccountName, checkMetadata, checkSize } from '../proxy/constraints.js';
import { guessContentType } from '../proxy/content-type.js';
import { objectUserHeaders } from '../proxy/metadata.js';
import type { ObjectOps, StoreRequest } from '../proxy/object-ops.js';
import type { ObjectLocation } from '../proxy/replicated-objects.js';
import { unquoteUrlPart } from '../proxy/unquote.js';
import { httpDate, newTimestamp } from '../proxy/timestamp.js';
import type { ObjectHandle } from '../storage/contract.js';
import { authorize } from './access.js';
import { sendSummary } from './bulk.js';
import type { SwiftApi } from './context.js';
import { headerTrue, isSwiftAccount, RESELLER_PREFIX, type SwiftRequest } from './request.js';

function location(req: SwiftRequest): ObjectLocation {
  return { account: req.account, container: req.container as string, object: req.object as string };
}

/**
 * The headers a write stores, checked: X-Delete-At / X-Delete-After into the
 * stored X-Delete-At (400 when not a future time), X-Object-Manifest's form,
 * the metadata limits.
 */
function expiryHeaders(headers: Record<string, string>): Record<string, string> {
  const user = objectUserHeaders(headers);
  checkDloManifest(user['x-object-manifest']);
  const after = headers['x-delete-after'];
  if (after !== undefined) {
    if (!/^\d+$/.test(after.trim())) throw new BadRequest('Non-integer X-Delete-After');
    user['x-delete-at'] = String(Math.floor(Date.now() / 1000) + Number(after));
  } else if (user['x-delete-at'] !== undefined) {
    const at = user['x-delete-at'].trim();
    if (!/^\d+(\.\d+)?$/.test(at)) throw new BadRequest('Non-integer X-Delete-At');
    if (Number(at) < Date.now() / 1000) throw new BadRequest('X-Delete-At in past');
    user['x-delete-at'] = String(Math.floor(Number(at)));
  }
  checkMetadata(user, 'object');
  return user;
}

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

async function targetContainer(api: SwiftApi, where: ObjectLocation) {
  const info = await api.containers.info(where.account, where.container);
  if (!info) throw new NotFound(STANDARD_BODY);
  return info;
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
  const headers = expiryHeaders(req.headers);
  const detect = headerTrue(req.headers['x-detect-content-type']) || req.headers['content-type'] === undefined;
  const contentType = detect ? guessContentType(where.object) : (req.headers['content-type'] as string);

  const store: StoreRequest = { where, body: requestBody(req), contentType, headers, system: {}, expectedEtag: req.headers.etag ?? null, declaredSize: length, enforceQuotas: true };
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

function parseCopyPath(value: string, header: string): { container: string; object: string } {
  const path = unquoteUrlPart(value).replace(/^\/+/, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw new PreconditionFailed(`${header} header must be of the form <container name>/<object name>`);
  return { container: path.slice(0, slash), object: path.slice(slash + 1) };
}

/**
 * `Destination-Account` / `X-Copy-From-Account` (Swift's cross-account copy):
 * the account named, or `fallback` without the header; 412 as Swift's
 * check_account_format for an empty one or one with a slash.
 */
function accountHeader(value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  const account = unquoteUrlPart(value);
  if (account === '') throw new PreconditionFailed('Account name cannot be empty');
  if (account.includes('/')) throw new PreconditionFailed('Account name cannot contain slashes');
  checkAccountName(account);
  return account;
}

/** The request as made on `where` (another account, container or object), for authorizing that side of a copy. */
function requestAt(api: SwiftApi, req: SwiftRequest, where: ObjectLocation, method: string): SwiftRequest {
  // keystoneauth owns only its reseller prefix's accounts: anything else is refused.
  if (!isSwiftAccount(where.account)) throw (req.headers['x-auth-token'] ?? req.headers['x-storage-token']) ? new Forbidden(STANDARD_BODY) : new Unauthorized(STANDARD_BODY);
  return {
    ...req,
    method,
    account: where.account,
    project: where.account.slice(RESELLER_PREFIX.length),
    container: where.container,
    object: where.object,
    containerPath: `${api.prefix}/v1/${where.account}/${where.container}`,
  };
}

/** COPY is a PUT at Destination (in Destination-Account, or this account) from this object. */
export async function copyRequest(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  const destination = req.headers.destination;
  if (destination === undefined) throw new PreconditionFailed('You must provide a Destination header');
  const target = { account: accountHeader(req.headers['destination-account'], req.account), ...parseCopyPath(destination, 'Destination') };
  const destReq = requestAt(api, req, target, 'PUT');
  await authorize(api, destReq, 'write');
  return copyObject(api, ops, destReq, location(req), target);
}

/** Stores a copy of `from` at `where` (`req` is the write at `where`, already authorized), after checking the caller may read `from`. */
async function copyObject(api: SwiftApi, ops: ObjectOps, req: SwiftRequest, from: ObjectLocation, where: ObjectLocation): Promise<unknown> {
  await authorize(api, { ...requestAt(api, req, from, 'GET'), query: new URLSearchParams() }, 'read');
  const source = await ops.open(from);
  if (!source) throw new NotFound(STANDARD_BODY);
  try {
    const container = await targetContainer(api, where);
    const body = await copySource(ops, req, source, from.account);
    const fresh = headerTrue(req.headers['x-fresh-metadata']);
    const kept = fresh ? {} : { ...source.metadata.headers };
    if (body.manifestCopied === false) delete kept['x-object-manifest'];
    const headers = { ...kept, ...expiryHeaders(req.headers) };
    const versions = versionsContainer(container);
    const stored = await ops.store({
      prepare: versions ? async () => void (await archiveCurrent(ops, where, versions.container)) : undefined,
      where,
      body: body.source.read(0, body.size - 1),
      contentType: req.headers['content-type'] ?? source.metadata.contentType,
      headers,
      system: body.manifestCopied ? source.metadata.system : {},
      expectedEtag: null,
      declaredSize: body.size,
      enforceQuotas: true,
    });
    // A copy answers with the new object's metadata, as Swift's copy middleware does.
    for (const [name, value] of Object.entries(stored.headers)) req.reply.header(name, value);
    return req.reply
      .code(201)
      .header('etag', stored.etag)
      .header('last-modified', httpDate(stored.timestamp))
      .header('x-copied-from', `${encodeURIComponent(from.container)}/${encodeURIComponent(from.object)}`)
      .header('x-copied-from-account', encodeURIComponent(from.account))
      .header('x-copied-from-last-modified', httpDate(source.metadata.timestamp))
      .type('text/html; charset=UTF-8')
      .send();
  } finally {
    await source.close();
  }
}

/** A large object copies as its whole content, unless `multipart-manifest=get` asks for the manifest itself. */
async function copySource(
  ops: ObjectOps, req: SwiftRequest, source: ObjectHandle, sourceAccount: string,
): Promise<{ source: BodySource; size: number; manifestCopied: boolean }> {
  const manifestOnly = req.query.get('multipart-manifest') === 'get';
  let body: BodySource = plainSource(source);
  let manifestCopied = true;
  if (!manifestOnly && isSlo(source)) {
    body = (await sloBody(ops, source, sourceAccount)).source;
    manifestCopied = false;
  } else if (!manifestOnly && source.metadata.headers['x-object-manifest'] !== undefined) {
    body = (await dloBody(ops, sourceAccount, source.metadata.headers['x-object-manifest'])).source;
    manifestCopied = false;
  }
  return { source: body, size: body.size, manifestCopied };
}

export async function postObject(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  await authorize(api, req, 'write');
  const where = location(req);
  const handle = await ops.open(where);
  if (!handle) throw new NotFound(STANDARD_BODY);
  await handle.close();
  const headers = expiryHeaders(req.headers);
  const contentType = req.headers['content-type'] ?? handle.metadata.contentType;
  const timestamp = newTimestamp();
  if (!(await ops.objects.post(where, { timestamp, contentType, headers }))) throw new NotFound(STANDARD_BODY);
  if (contentType !== handle.metadata.contentType) {
    await ops.containers.putObject(where.account, where.container, {
      name: where.object, createdAt: timestamp, size: handle.metadata.size, contentType, etag: handle.metadata.etag,
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

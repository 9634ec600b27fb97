/**
 * Copies (Swift's copy middleware): `COPY` with `Destination` (and
 * `Destination-Account`), and a `PUT` with `X-Copy-From` (and
 * `X-Copy-From-Account`). The caller needs read rights on the source and
 * write rights on the destination, each checked for its own token; a large
 * object copies as its content unless `multipart-manifest=get` asks for the
 * manifest itself.
 */
import { Forbidden, NotFound, PreconditionFailed, Unauthorized } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { dloBody, isSlo, sloBody } from '../middleware/large-objects.js';
import { archiveCurrent, versionsContainer } from '../middleware/versioning.js';
import { plainSource, type BodySource } from '../proxy/body-source.js';
import { checkAccountName, checkContainerName, checkObjectName } from '../proxy/constraints.js';
import type { ObjectOps } from '../proxy/object-ops.js';
import type { ObjectLocation } from '../proxy/replicated-objects.js';
import { httpDate } from '../proxy/timestamp.js';
import { unquoteUrlPart } from '../proxy/unquote.js';
import type { ObjectHandle } from '../storage/contract.js';
import { authorize } from './access.js';
import type { SwiftApi } from './context.js';
import { location, targetContainer, writeHeaders } from './object-common.js';
import { headerTrue, isSwiftAccount, RESELLER_PREFIX, type SwiftRequest } from './request.js';

/** `<container>/<object>` of a Destination or X-Copy-From header, unquoted and within Swift's name limits. */
export function parseCopyPath(value: string, header: string): { container: string; object: string } {
  const path = unquoteUrlPart(value).replace(/^\/+/, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw new PreconditionFailed(`${header} header must be of the form <container name>/<object name>`);
  const named = { container: path.slice(0, slash), object: path.slice(slash + 1) };
  // A copy's destination is a new name like a PUT's: the same limits.
  checkContainerName(named.container);
  checkObjectName(named.object);
  return named;
}

/**
 * `Destination-Account` / `X-Copy-From-Account` (Swift's cross-account copy):
 * the account named, or `fallback` without the header; 412 as Swift's
 * check_account_format for an empty one or one with a slash.
 */
export function accountHeader(value: string | undefined, fallback: string): string {
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
  if (!isSwiftAccount(where.account))
    throw (req.headers['x-auth-token'] ?? req.headers['x-storage-token']) ? new Forbidden(STANDARD_BODY) : new Unauthorized(STANDARD_BODY);
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
export async function copyObject(api: SwiftApi, ops: ObjectOps, req: SwiftRequest, from: ObjectLocation, where: ObjectLocation): Promise<unknown> {
  await authorize(api, { ...requestAt(api, req, from, 'GET'), query: new URLSearchParams() }, 'read');
  const source = await ops.open(from);
  if (!source) throw new NotFound(STANDARD_BODY);
  try {
    const container = await targetContainer(api, where);
    const body = await copySource(ops, req, source, from.account);
    const fresh = headerTrue(req.headers['x-fresh-metadata']);
    const kept = fresh ? {} : { ...source.metadata.headers };
    if (body.manifestCopied === false) delete kept['x-object-manifest'];
    const headers = { ...kept, ...writeHeaders(req.headers) };
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
  ops: ObjectOps,
  req: SwiftRequest,
  source: ObjectHandle,
  sourceAccount: string,
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

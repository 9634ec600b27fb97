/**
 * Form POST uploads (Swift's formpost middleware): a browser form posts
 * multipart/form-data to `/v1/AUTH_x/container[/prefix]` with `redirect`,
 * `max_file_size`, `max_file_count`, `expires` and `signature` (an HMAC of
 * `path\nredirect\nmax_file_size\nmax_file_count\nexpires` under a Temp-URL
 * key) before its files; each file becomes `<prefix><filename>`. The answer is
 * a 303 to `redirect` with the status, or a short HTML page.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequest, NimbusError, NotFound, Unauthorized } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { boundaryOf, fieldText, readMultipart } from '../middleware/multipart.js';
import { TEMPURL_DIGESTS } from '../middleware/tempurl.js';
import { guessContentType } from '../proxy/content-type.js';
import type { ObjectOps } from '../proxy/object-ops.js';
import type { SwiftApi } from './context.js';
import type { SwiftRequest } from './request.js';

const ATTRIBUTES = ['redirect', 'max_file_size', 'max_file_count', 'expires', 'signature'];

export function isFormPost(req: SwiftRequest): boolean {
  return req.method === 'POST' && req.container !== null && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}

function signatureValid(signature: string, message: string, keys: string[]): boolean {
  const colon = signature.indexOf(':');
  const digest = colon > 0 ? signature.slice(0, colon) : ({ 40: 'sha1', 64: 'sha256', 128: 'sha512' }[signature.length] ?? '');
  if (!TEMPURL_DIGESTS.includes(digest)) return false;
  const given = colon > 0 ? Buffer.from(signature.slice(colon + 1), 'base64') : Buffer.from(signature, 'hex');
  return keys.some((key) => {
    const mac = createHmac(digest, key).update(message).digest();
    return mac.length === given.length && timingSafeEqual(mac, given);
  });
}

/** A form's integer attribute (Python's int() of it; absent or empty is 0): 400 otherwise, as Swift's FormInvalid. */
function formInteger(value: string | undefined, name: string): number {
  if (value === undefined || value === '') return 0;
  if (!/^\s*[+-]?\d+\s*$/.test(value)) throw new BadRequest(`FormPost: ${name} not an integer`);
  return Number(value);
}

export async function formPost(api: SwiftApi, ops: ObjectOps, req: SwiftRequest): Promise<unknown> {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) throw new BadRequest('FormPost: invalid starting boundary');
  const container = req.container as string;
  const prefix = req.object ?? '';
  const info = await api.containers.info(req.account, container);
  const account = await api.accounts.info(req.account);
  const keys = [
    account?.metadata['x-account-meta-temp-url-key'],
    account?.metadata['x-account-meta-temp-url-key-2'],
    info?.metadata['x-container-meta-temp-url-key'],
    info?.metadata['x-container-meta-temp-url-key-2'],
  ].filter((k): k is string => !!k);

  const fields: Record<string, string> = {};
  let checked = false;
  let created = 0;
  let status = 201;
  let message = '';
  try {
    for await (const part of readMultipart(req.raw.raw, boundary)) {
      if (part.filename === null) {
        if (ATTRIBUTES.includes(part.name)) fields[part.name] = await fieldText(part);
        continue;
      }
      if (!checked) {
        const path = `${req.containerPath}${prefix === '' ? '' : `/${prefix}`}`;
        const signed = [path, fields.redirect ?? '', fields.max_file_size ?? '', fields.max_file_count ?? '', fields.expires ?? ''].join('\n');
        if (!(formInteger(fields.expires, 'expired') > Date.now() / 1000)) throw new Unauthorized('FormPost: Form Expired');
        if (!signatureValid(fields.signature ?? '', signed, keys)) throw new Unauthorized('FormPost: Invalid Signature');
        if (!info) throw new NotFound(STANDARD_BODY);
        checked = true;
      }
      if (part.filename === '') continue;
      if (created >= formInteger(fields.max_file_count, 'max_file_count')) throw new BadRequest('max file count exceeded');
      const object = `${prefix}${part.filename}`;
      const maxSize = formInteger(fields.max_file_size, 'max_file_size');
      const where = { account: req.account, container, object };
      await ops
        .store({
          where,
          body: part.body,
          contentType: part.headers['content-type'] ?? guessContentType(object),
          headers: {},
          system: {},
          expectedEtag: null,
          declaredSize: null,
          enforceQuotas: true,
          maxBytes: maxSize,
        })
        .catch((error: unknown) => {
          if (error instanceof NimbusError && error.status === 413) throw new BadRequest('max_file_size exceeded');
          throw error;
        });
      created++;
    }
    if (!checked) throw new Unauthorized('FormPost: Invalid Signature');
  } catch (error) {
    if (!(error instanceof NimbusError) || !fields.redirect || error.status === 401) throw error;
    status = error.status;
    message = error.message;
  }
  if (fields.redirect) {
    const separator = fields.redirect.includes('?') ? '&' : '?';
    return req.reply
      .code(303)
      .header('location', `${fields.redirect}${separator}status=${status}&message=${encodeURIComponent(message)}`)
      .send();
  }
  return req.reply.code(201).type('text/html; charset=UTF-8').send('<html><body><h1>201 Created</h1></body></html>');
}

/**
 * Who may do what, as Swift's keystoneauth decides: the operator roles on the
 * account's project own the account; the reseller admin role owns every
 * account; the project reader roles read (GET, HEAD) their project's account
 * and the system reader roles every account, without owning it; anyone else
 * gets what the container's ACLs grant; a valid temp URL stands for the one
 * object and method it signs. Refusals are 401 for the
 * anonymous and 403 for an authenticated caller.
 */
import type { CallerContext } from '../../core/context.js';
import { Forbidden, ServiceUnavailable, Unauthorized } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { grantsUser, parseAcl, referrerAllowed } from '../proxy/acl.js';
import { accountRight } from '../proxy/ownership.js';
import { tempUrlQuery, tempUrlValid } from '../middleware/tempurl.js';
import type { SwiftApi } from './context.js';
import type { SwiftRequest } from './request.js';

export interface Access {
  /** The caller owns the account (may change ACLs, metadata, containers). */
  owner: boolean;
  /** The caller holds the reseller admin role (may set account quotas). */
  reseller: boolean;
  auth: CallerContext | null;
  /** Granted by a temp URL signature. */
  tempUrl: boolean;
}

/** What the request wants: an object read, an object write, a container listing, or account/container management. */
export type Intent = 'read' | 'write' | 'list' | 'manage';

export async function authorize(api: SwiftApi, req: SwiftRequest, intent: Intent): Promise<Access> {
  const temp = req.object !== null ? tempUrlQuery(req.query) : null;
  if (temp !== null) {
    const keys = await tempUrlKeys(api, req);
    if (tempUrlValid(temp, req.method, { containerPath: req.containerPath, object: req.object as string }, keys)) {
      return { owner: false, reseller: false, auth: null, tempUrl: true };
    }
    throw new Unauthorized(`Unauthorized\nTemp URL invalid\n`);
  }

  const token = req.headers['x-auth-token'] ?? req.headers['x-storage-token'];
  let auth: CallerContext | null = null;
  if (token) {
    const authenticator = api.authenticator();
    if (!authenticator) throw new ServiceUnavailable(STANDARD_BODY);
    auth = await authenticator.authenticate(token).catch((error: unknown) => {
      throw error instanceof Unauthorized ? new Unauthorized(STANDARD_BODY) : error;
    });
    const right = accountRight(api, auth, req.project, req.method === 'GET' || req.method === 'HEAD');
    if (right !== null) return { owner: right !== 'reader', reseller: right === 'reseller', auth, tempUrl: false };
  }

  if (intent !== 'manage' && req.container !== null) {
    const info = await api.containers.info(req.account, req.container);
    const acl = parseAcl(info?.metadata[intent === 'write' ? 'x-container-write' : 'x-container-read']);
    if (auth !== null && grantsUser(acl, auth)) return { owner: false, reseller: false, auth, tempUrl: false };
    const referrerOk = intent !== 'write' && referrerAllowed(req.headers.referer, acl.referrers);
    if (referrerOk && (intent === 'read' || acl.listings)) return { owner: false, reseller: false, auth, tempUrl: false };
  }
  throw auth === null ? new Unauthorized(STANDARD_BODY) : new Forbidden(STANDARD_BODY);
}

async function tempUrlKeys(api: SwiftApi, req: SwiftRequest): Promise<string[]> {
  const account = await api.accounts.info(req.account);
  const container = req.container !== null ? await api.containers.info(req.account, req.container) : null;
  return [
    account?.metadata['x-account-meta-temp-url-key'],
    account?.metadata['x-account-meta-temp-url-key-2'],
    container?.metadata['x-container-meta-temp-url-key'],
    container?.metadata['x-container-meta-temp-url-key-2'],
  ].filter((k): k is string => typeof k === 'string' && k !== '');
}

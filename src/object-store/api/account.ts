/**
 * Account requests: HEAD and GET (counts, metadata, container listing) and
 * POST (metadata; account quotas only for the reseller admin, as Swift's
 * account_quotas middleware). Accounts come to be with their first
 * container (account_autocreate); PUT and DELETE are not offered.
 */
import { BadRequest, Forbidden, MethodNotAllowed } from '../../core/errors.js';
import { STANDARD_BODY } from '../errors.js';
import { checkMetadata, mergedMetadata } from '../proxy/constraints.js';
import { metadataUpdates, visibleMetadata } from '../proxy/metadata.js';
import { newTimestamp } from '../proxy/timestamp.js';
import type { AccountInfo } from '../storage/contract.js';
import { authorize } from './access.js';
import type { SwiftApi } from './context.js';
import { ACCOUNT_LISTING_LIMIT, CONTENT_TYPES, listingFormat, listingQuery, renderContainerListing } from './listing.js';
import type { SwiftRequest } from './request.js';

export const POLICY_NAME = 'Policy-0';

/** account_quotas: only the reseller admin sets these (digits, or empty to remove). */
const ACCOUNT_QUOTAS = ['x-account-quota-bytes', 'x-account-quota-count', 'x-account-meta-quota-bytes'];

export async function handleAccount(api: SwiftApi, req: SwiftRequest): Promise<unknown> {
  const { reply } = req;
  switch (req.method) {
    case 'HEAD':
    case 'GET': {
      const access = await authorize(api, req, 'manage');
      const info = await api.accounts.info(req.account);
      setAccountHeaders(req, info, access.owner);
      if (req.method === 'HEAD') return reply.code(204).send();
      const format = listingFormat(req);
      const entries = await api.accounts.list(req.account, listingQuery(req, ACCOUNT_LISTING_LIMIT));
      if (entries.length === 0 && format === 'plain') return reply.code(204).send();
      return reply
        .code(200)
        .type(CONTENT_TYPES[format])
        .send(renderContainerListing(entries, format, req.account));
    }
    case 'POST': {
      const access = await authorize(api, req, 'manage');
      const updates = metadataUpdates(req.headers, 'account');
      // The older header sets the current one too, unless both are given (as Swift's account_quotas).
      const legacy = updates['x-account-meta-quota-bytes'];
      if (legacy !== undefined && !updates['x-account-quota-bytes']) updates['x-account-quota-bytes'] = legacy;
      checkMetadata(updates, 'account');
      checkMetadata(mergedMetadata((await api.accounts.info(req.account))?.metadata ?? {}, updates), 'account');
      for (const name of ACCOUNT_QUOTAS) {
        const quota = updates[name];
        if (quota === undefined) continue;
        if (!access.reseller) throw new Forbidden(STANDARD_BODY);
        if (quota !== '' && !/^\d+$/.test(quota)) throw new BadRequest(STANDARD_BODY);
      }
      await api.accounts.updateMetadata(req.account, updates);
      setAccountHeaders(req, await api.accounts.info(req.account), true);
      return reply.code(204).send();
    }
    default:
      throw new MethodNotAllowed(STANDARD_BODY, { headers: { allow: 'HEAD, GET, POST' } });
  }
}

function setAccountHeaders(req: SwiftRequest, info: AccountInfo | null, owner: boolean): void {
  const { reply } = req;
  const containers = info?.containerCount ?? 0;
  reply.header('x-account-container-count', String(containers));
  reply.header('x-account-object-count', String(info?.objectCount ?? 0));
  reply.header('x-account-bytes-used', String(info?.bytesUsed ?? 0));
  reply.header('x-timestamp', info?.createdAt ?? newTimestamp());
  if (containers > 0) {
    const policy = `x-account-storage-policy-${POLICY_NAME.toLowerCase()}`;
    reply.header(`${policy}-container-count`, String(containers));
    reply.header(`${policy}-object-count`, String(info?.objectCount ?? 0));
    reply.header(`${policy}-bytes-used`, String(info?.bytesUsed ?? 0));
  }
  for (const [name, value] of visibleMetadata(info?.metadata ?? {}, owner)) reply.header(name, value);
  reply.type('text/plain; charset=utf-8');
}

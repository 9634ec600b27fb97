/**
 * `GET /info`: the capabilities Swift's proxy announces, only for what this
 * server does.
 */
import { LIMITS } from '../proxy/constraints.js';
import { SLO_LIMITS } from '../middleware/slo-manifest.js';
import { TEMPURL_DIGESTS, TEMPURL_METHODS } from '../middleware/tempurl.js';
import { POLICY_NAME } from './account.js';
import { BULK_LIMITS } from './bulk.js';
import type { SyncRealms } from '../middleware/container-sync.js';

export function capabilities(realms: SyncRealms): Record<string, unknown> {
  return {
    swift: {
      version: '2.30.0',
      ...LIMITS,
      policies: [{ name: POLICY_NAME, aliases: POLICY_NAME, default: true }],
      allow_account_management: false,
      account_autocreate: true,
    },
    tempurl: {
      methods: TEMPURL_METHODS,
      incoming_remove_headers: ['x-timestamp'],
      incoming_allow_headers: [],
      outgoing_remove_headers: ['x-object-meta-*'],
      outgoing_allow_headers: ['x-object-meta-public-*'],
      allowed_digests: TEMPURL_DIGESTS,
    },
    slo: { ...SLO_LIMITS, allow_async_delete: false, yield_frequency: 10 },
    dlo: { max_get_time: 86400 },
    versioned_writes: { allowed_flags: ['x-versions-location', 'x-history-location'] },
    bulk_delete: { max_deletes_per_request: BULK_LIMITS.max_deletes_per_request, max_failed_deletes: BULK_LIMITS.max_failed_deletes },
    bulk_upload: { max_containers_per_extraction: BULK_LIMITS.max_containers_per_extraction, max_failed_extractions: BULK_LIMITS.max_failed_extractions },
    formpost: {},
    crossdomain: {},
    account_quotas: {},
    container_quotas: {},
    keystoneauth: {},
    staticweb: {},
    ...(realms.enabled ? { container_sync: realms.info() } : {}),
  };
}

/** What every identity operation needs; built once in identity/index.ts. */
import type { Kysely } from 'kysely';
import type { IdentityConfig } from '../config.js';
import type { WriteGeneration } from '../../core/db/write-generation.js';
import type { Logger } from '../../core/logger.js';
import type { Authorizer } from '../../core/policy/authorizer.js';
import type { IdentityTables } from '../store/index.js';
import type { TokenCodec } from '../tokens/index.js';

export interface IdentityDeps {
  db: Kysely<IdentityTables>;
  /** Counts writes through `db`, so caches of identity data know when to re-read. */
  writes: WriteGeneration;
  config: IdentityConfig;
  /** Keystone's policy rules (identityAuthorizer over the server's enforcer). */
  authz: Authorizer;
  tokens: TokenCodec;
  log: Logger;
  /** The public base URL of the identity API, e.g. http://127.0.0.1:5000/identity. */
  identityUrl: string;
  /** Region of this cloud's endpoints (RegionOne). */
  region: string;
  /** Id of the admin project (tokens scoped to it have is_admin_project). */
  adminProjectId(): string | null;
}

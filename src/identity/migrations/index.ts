import type { Migrations } from '../../core/db/migrate.js';
import * as initial from './0001-initial.js';
import * as trusts from './0002-trusts.js';
import * as federation from './0003-federation.js';
import * as endpointFilter from './0004-endpoint-filter.js';
import * as policies from './0005-policies.js';
import * as domainConfig from './0006-domain-config.js';
import * as oauth1Consumers from './0007-oauth1-consumers.js';
import * as oauth1Tokens from './0008-oauth1-tokens.js';

export const identityMigrations: Migrations = {
  '0001-initial': initial,
  '0002-trusts': trusts,
  '0003-federation': federation,
  '0004-endpoint-filter': endpointFilter,
  '0005-policies': policies,
  '0006-domain-config': domainConfig,
  '0007-oauth1-consumers': oauth1Consumers,
  '0008-oauth1-tokens': oauth1Tokens,
};

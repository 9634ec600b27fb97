/**
 * Every identity table by name, for what must watch them all at run time (the
 * cluster's write notifications). A record over the table map's keys, so a
 * table added to IdentityTables without being listed here fails to compile.
 */
import type { IdentityTables } from './tables.js';

const TABLES: Record<keyof IdentityTables, true> = {
  domain: true,
  project: true,
  project_tag: true,
  user: true,
  password: true,
  group: true,
  user_group_membership: true,
  role: true,
  implied_role: true,
  assignment: true,
  region: true,
  service: true,
  endpoint: true,
  application_credential: true,
  application_credential_role: true,
  trust: true,
  identity_provider: true,
  idp_remote_id: true,
  mapping: true,
  federation_protocol: true,
  service_provider: true,
  trust_role: true,
  credential: true,
  registered_limit: true,
  limit: true,
  revocation_event: true,
  endpoint_group: true,
  project_endpoint: true,
  project_endpoint_group: true,
  policy: true,
  domain_config: true,
  consumer: true,
  request_token: true,
  access_token: true,
};

export const IDENTITY_TABLE_NAMES: readonly string[] = Object.keys(TABLES);

/** Row types of the identity tables (see migrations/0001-initial.ts). */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { BoolColumn } from '../../core/db/values.js';

export interface DomainTable {
  id: string;
  name: string;
  description: string | null;
  enabled: BoolColumn;
  extra: string;
  created_at: string;
}

export interface ProjectTable {
  id: string;
  name: string;
  domain_id: string;
  parent_id: string | null;
  description: string | null;
  enabled: BoolColumn;
  extra: string;
  created_at: string;
}

export interface ProjectTagTable {
  project_id: string;
  name: string;
}

export interface UserTable {
  id: string;
  name: string;
  domain_id: string;
  enabled: BoolColumn;
  default_project_id: string | null;
  description: string | null;
  extra: string;
  options: string;
  failed_auth_count: number;
  failed_auth_at: string | null;
  last_active_at: string | null;
  created_at: string;
}

export interface PasswordTable {
  id: string;
  user_id: string;
  hash: string;
  self_service: BoolColumn;
  expires_at: string | null;
  created_at: string;
}

export interface GroupTable {
  id: string;
  name: string;
  domain_id: string;
  description: string | null;
  extra: string;
  created_at: string;
}

export interface MembershipTable {
  user_id: string;
  group_id: string;
}

export interface RoleTable {
  id: string;
  name: string;
  /** '' for global roles. */
  domain_id: string;
  description: string | null;
  options: string;
  extra: string;
  created_at: string;
}

export interface ImpliedRoleTable {
  prior_role_id: string;
  implied_role_id: string;
}

export type AssignmentType = 'UserProject' | 'GroupProject' | 'UserDomain' | 'GroupDomain' | 'UserSystem' | 'GroupSystem';

export interface AssignmentTable {
  type: AssignmentType;
  actor_id: string;
  /** A project or domain id, or 'system'. */
  target_id: string;
  role_id: string;
  inherited: BoolColumn;
}

export interface RegionTable {
  id: string;
  description: string | null;
  parent_region_id: string | null;
  extra: string;
}

export interface ServiceTable {
  id: string;
  type: string;
  name: string | null;
  description: string | null;
  enabled: BoolColumn;
  extra: string;
}

export interface EndpointTable {
  id: string;
  service_id: string;
  interface: string;
  url: string;
  region_id: string | null;
  enabled: BoolColumn;
  extra: string;
}

export interface AppCredentialTable {
  id: string;
  name: string;
  user_id: string;
  project_id: string | null;
  secret_hash: string;
  description: string | null;
  expires_at: string | null;
  unrestricted: BoolColumn;
  system: string | null;
  created_at: string;
}

export interface AppCredentialRoleTable {
  application_credential_id: string;
  role_id: string;
}

export interface TrustTable {
  id: string;
  trustor_user_id: string;
  trustee_user_id: string;
  project_id: string | null;
  impersonation: BoolColumn;
  /** ISO 8601 UTC with microseconds, or null: never expires. */
  expires_at: string | null;
  /** Null: unlimited. A trust whose uses reach 0 no longer exists for Keystone. */
  remaining_uses: number | null;
  redelegated_trust_id: string | null;
  redelegation_count: number;
  created_at: string;
}

export interface TrustRoleTable {
  trust_id: string;
  role_id: string;
}

export interface IdentityProviderTable {
  id: string;
  enabled: BoolColumn;
  description: string | null;
  domain_id: string;
  authorization_ttl: number | null;
}

export interface IdpRemoteIdTable {
  idp_id: string;
  remote_id: string;
}

export interface MappingTable {
  id: string;
  /** The rules as JSON text. */
  rules: string;
  schema_version: string;
}

export interface FederationProtocolTable {
  id: string;
  idp_id: string;
  mapping_id: string;
  remote_id_attribute: string | null;
}

export interface ServiceProviderTable {
  id: string;
  enabled: BoolColumn;
  description: string | null;
  auth_url: string;
  sp_url: string;
  relay_state_prefix: string;
}

export interface CredentialTable {
  id: string;
  user_id: string;
  project_id: string | null;
  type: string;
  blob: string;
  extra: string;
}

export interface RegisteredLimitTable {
  id: string;
  service_id: string;
  /** '' when the limit applies to every region. */
  region_id: string;
  resource_name: string;
  default_limit: number;
  description: string | null;
}

export interface LimitTable {
  id: string;
  project_id: string;
  domain_id: string;
  service_id: string;
  region_id: string;
  resource_name: string;
  resource_limit: number;
  description: string | null;
}

export interface RevocationEventTable {
  id: import('kysely').Generated<number>;
  audit_id: string | null;
  user_id: string | null;
  project_id: string | null;
  domain_id: string | null;
  issued_before: string;
  revoked_at: string;
}

export interface EndpointGroupTable {
  id: string;
  name: string;
  description: string | null;
  /** JSON object: the endpoint attributes an endpoint must all match. */
  filters: string;
}

export interface ProjectEndpointTable {
  endpoint_id: string;
  project_id: string;
}

export interface ProjectEndpointGroupTable {
  endpoint_group_id: string;
  project_id: string;
}

/** A blob of the policies API (/v3/policies); Nimbus's own policy lives in policies.ts and policy.yaml. */
export interface PolicyBlobTable {
  id: string;
  type: string;
  blob: string;
  extra: string;
}

export interface DomainConfigTable {
  domain_id: string;
  group_name: string;
  option_name: string;
  /** JSON text of the option's value. */
  value: string;
  sensitive: BoolColumn;
}

/** An OS-OAUTH1 consumer; its secret is shown once, when it is created. */
export interface ConsumerTable {
  id: string;
  description: string | null;
  secret: string;
  extra: string;
}

/** An OS-OAUTH1 request token; authorizing it sets the user, the roles and the verifier. */
export interface RequestTokenTable {
  id: string;
  request_secret: string;
  verifier: string | null;
  authorizing_user_id: string | null;
  requested_project_id: string;
  /** JSON array of role ids, set when authorized. */
  role_ids: string | null;
  consumer_id: string;
  /** ISO 8601 with microseconds; null when request tokens do not expire. */
  expires_at: string | null;
}

/** An OS-OAUTH1 access token: a consumer's delegation of a user's roles on one project. */
export interface AccessTokenTable {
  id: string;
  access_secret: string;
  authorizing_user_id: string;
  project_id: string;
  /** JSON array of role ids. */
  role_ids: string;
  consumer_id: string;
  expires_at: string | null;
}

/** A type alias (not an interface) so Kysely's withTables accepts it. */
export type IdentityTables = {
  domain: DomainTable;
  project: ProjectTable;
  project_tag: ProjectTagTable;
  user: UserTable;
  password: PasswordTable;
  group: GroupTable;
  user_group_membership: MembershipTable;
  role: RoleTable;
  implied_role: ImpliedRoleTable;
  assignment: AssignmentTable;
  region: RegionTable;
  service: ServiceTable;
  endpoint: EndpointTable;
  application_credential: AppCredentialTable;
  application_credential_role: AppCredentialRoleTable;
  trust: TrustTable;
  identity_provider: IdentityProviderTable;
  idp_remote_id: IdpRemoteIdTable;
  mapping: MappingTable;
  federation_protocol: FederationProtocolTable;
  service_provider: ServiceProviderTable;
  trust_role: TrustRoleTable;
  credential: CredentialTable;
  registered_limit: RegisteredLimitTable;
  limit: LimitTable;
  revocation_event: RevocationEventTable;
  endpoint_group: EndpointGroupTable;
  project_endpoint: ProjectEndpointTable;
  project_endpoint_group: ProjectEndpointGroupTable;
  policy: PolicyBlobTable;
  domain_config: DomainConfigTable;
  consumer: ConsumerTable;
  request_token: RequestTokenTable;
  access_token: AccessTokenTable;
};

export type Domain = Selectable<DomainTable>;
export type Project = Selectable<ProjectTable>;
export type User = Selectable<UserTable>;
export type Password = Selectable<PasswordTable>;
export type Group = Selectable<GroupTable>;
export type Role = Selectable<RoleTable>;
export type Assignment = Selectable<AssignmentTable>;
export type Region = Selectable<RegionTable>;
export type Trust = Selectable<TrustTable>;
export type IdentityProvider = Selectable<IdentityProviderTable>;
export type Mapping = Selectable<MappingTable>;
export type FederationProtocol = Selectable<FederationProtocolTable>;
export type ServiceProvider = Selectable<ServiceProviderTable>;
export type Service = Selectable<ServiceTable>;
export type Endpoint = Selectable<EndpointTable>;
export type EndpointGroup = Selectable<EndpointGroupTable>;
export type ProjectEndpointGroup = Selectable<ProjectEndpointGroupTable>;
export type PolicyBlob = Selectable<PolicyBlobTable>;
export type DomainConfigOption = Selectable<DomainConfigTable>;
export type Consumer = Selectable<ConsumerTable>;
export type RequestToken = Selectable<RequestTokenTable>;
export type AccessToken = Selectable<AccessTokenTable>;
export type AppCredential = Selectable<AppCredentialTable>;
export type Credential = Selectable<CredentialTable>;
export type RegisteredLimit = Selectable<RegisteredLimitTable>;
export type Limit = Selectable<LimitTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;

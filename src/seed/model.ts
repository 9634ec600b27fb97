/**
 * What a seed file holds, once its shape is checked (schema.ts). Names refer
 * to other entries of the seed or to what the cloud already has (the
 * `Default` domain, the `admin` project, the `member` role, the `public`
 * network). Resources a project owns default to the `admin` project; those
 * naming a `user` are made with that user's own token.
 */
import type { Json, JsonObject } from '../core/json.js';

/** Exactly one of two sets of keys (schema.ts checks it with the place of the entry). */
export type OneOf<A, B> = (A & { [K in keyof B]?: never }) | (B & { [K in keyof A]?: never });

export interface SeedDomain {
  name: string;
  description?: string;
  enabled?: boolean;
}

/** Each service's quota API takes its own resource names (Nova's `instances`, Neutron's `network`, Cinder's `volumes`). */
export interface SeedQuotas {
  compute?: Record<string, number>;
  network?: Record<string, number>;
  volume?: Record<string, number>;
}

export interface SeedProject {
  name: string;
  domain?: string;
  description?: string;
  enabled?: boolean;
  tags?: string[];
  quotas?: SeedQuotas;
}

/** A role on a project or on a domain. */
export type SeedRoleGrant = { role: string } & OneOf<{ project: string }, { domain: string }>;

export interface SeedUser {
  name: string;
  domain?: string;
  password: string;
  email?: string;
  description?: string;
  enabled?: boolean;
  default_project?: string;
  roles?: SeedRoleGrant[];
}

export interface SeedGroup {
  name: string;
  domain?: string;
  description?: string;
  users?: string[];
  roles?: SeedRoleGrant[];
}

export interface SeedApplicationCredential {
  name: string;
  user: string;
  project: string;
  secret: string;
  description?: string;
  /** Absent: every role the user has on the project. */
  roles?: string[];
  expires_at?: string;
  unrestricted?: boolean;
}

export interface SeedFlavor {
  name: string;
  ram_mb: number;
  vcpus: number;
  disk_gb: number;
  ephemeral_gb?: number;
  swap_mb?: number;
  public?: boolean;
  description?: string;
  extra_specs?: Record<string, string>;
  /** Projects that may use a private flavor. */
  projects?: string[];
}

/** Its bytes: a file (relative to the seed file) or a blank disk made at start. */
export type SeedImage = SeedImageAttributes & OneOf<{ file: string }, { generate: { size_mb: number; format: 'raw' | 'qcow2' } }>;

export interface SeedImageAttributes {
  name: string;
  project?: string;
  disk_format?: string;
  container_format?: string;
  visibility?: 'public' | 'private' | 'shared' | 'community';
  min_disk?: number;
  min_ram?: number;
  properties?: Record<string, string>;
  tags?: string[];
}

export interface SeedNetwork {
  name: string;
  project?: string;
  description?: string;
  shared?: boolean;
  external?: boolean;
  mtu?: number;
  port_security_enabled?: boolean;
}

export interface SeedSubnet {
  name: string;
  network: string;
  cidr: string;
  project?: string;
  ip_version?: 4 | 6;
  gateway_ip?: string | null;
  enable_dhcp?: boolean;
  dns_nameservers?: string[];
  allocation_pools?: Array<{ start: string; end: string }>;
  description?: string;
}

export interface SeedRouter {
  name: string;
  project?: string;
  description?: string;
  /** The external network of its gateway. */
  external_gateway?: string;
  /** Subnets it routes (one interface each). */
  interfaces?: string[];
}

export interface SeedSecurityGroupRule {
  direction: 'ingress' | 'egress';
  ethertype?: 'IPv4' | 'IPv6';
  protocol?: string;
  port_range_min?: number;
  port_range_max?: number;
  remote_ip_prefix?: string;
  /** Another security group of the seed (or of the project). */
  remote_group?: string;
  description?: string;
}

export interface SeedSecurityGroup {
  name: string;
  project?: string;
  description?: string;
  stateful?: boolean;
  rules?: SeedSecurityGroupRule[];
}

export interface SeedKeypair {
  name: string;
  /** Key pairs are a user's own: the seed logs in as this user. */
  user: string;
  /** The project the user's token is scoped to; default the user's default project. */
  project?: string;
  /** Absent: a key pair is generated and its private key written under the data directory. */
  public_key?: string;
  type?: 'ssh' | 'x509';
}

export interface SeedVolume {
  name: string;
  size_gb: number;
  project?: string;
  user?: string;
  description?: string;
  image?: string;
  volume_type?: string;
  availability_zone?: string;
  metadata?: Record<string, string>;
}

/** Its bytes: inline text or a file (relative to the seed file). */
export type SeedObject = SeedObjectAttributes & SeedContent;
export type SeedContent = OneOf<{ content: string }, { file: string }>;

export interface SeedObjectAttributes {
  name: string;
  content_type?: string;
  metadata?: Record<string, string>;
}

export interface SeedContainer {
  name: string;
  project?: string;
  user?: string;
  read_acl?: string;
  write_acl?: string;
  metadata?: Record<string, string>;
  objects?: SeedObject[];
}

/** Its template: the HOT template itself, or a file (relative to the seed file). */
export type SeedStack = SeedStackAttributes & OneOf<{ template: JsonObject }, { template_file: string }>;

export interface SeedStackAttributes {
  name: string;
  project?: string;
  user?: string;
  parameters?: Record<string, Json>;
  environment?: JsonObject;
  timeout_mins?: number;
}

export interface Seed {
  domains?: SeedDomain[];
  projects?: SeedProject[];
  users?: SeedUser[];
  groups?: SeedGroup[];
  application_credentials?: SeedApplicationCredential[];
  flavors?: SeedFlavor[];
  images?: SeedImage[];
  networks?: SeedNetwork[];
  subnets?: SeedSubnet[];
  routers?: SeedRouter[];
  security_groups?: SeedSecurityGroup[];
  keypairs?: SeedKeypair[];
  volumes?: SeedVolume[];
  containers?: SeedContainer[];
  stacks?: SeedStack[];
  /** `/_nimbus/faults` rules, each the REST body's object (docs/fault-injection.md), added once the rest is made. */
  faults?: Array<Record<string, unknown>>;
}

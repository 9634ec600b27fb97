/**
 * The subnet pools and address scopes of network/operations.ts (Heat's
 * OS::Neutron::SubnetPool and ::AddressScope), as the same service layer as
 * /network/v2.0/subnetpools and /address-scopes takes them: Neutron's
 * checks, visibility and policy hold (sharing, `is_default` and another
 * project's `projectId` are admin-only; 403 otherwise).
 */
import type { ResourceInfo } from './operations.js';

export interface AddressScopeInfo extends ResourceInfo {
  shared: boolean;
  ipVersion: 4 | 6;
}

export interface CreateAddressScopeRequest {
  name: string;
  ipVersion: 4 | 6;
  shared?: boolean;
  projectId?: string;
}

/** Neutron refuses un-sharing a shared scope (403). */
export type UpdateAddressScopeRequest = Partial<Pick<CreateAddressScopeRequest, 'name' | 'shared'>>;

export interface SubnetPoolInfo extends ResourceInfo {
  prefixes: string[];
  ipVersion: 4 | 6;
  defaultPrefixLength: number;
  minPrefixLength: number;
  maxPrefixLength: number;
  /** The per-project quota of addresses from the pool; null when unlimited. */
  defaultQuota: number | null;
  isDefault: boolean;
  shared: boolean;
  addressScopeId: string | null;
}

export interface CreateSubnetPoolRequest {
  name: string;
  /** CIDRs of one IP version. */
  prefixes: string[];
  defaultPrefixLength?: number;
  minPrefixLength?: number;
  maxPrefixLength?: number;
  defaultQuota?: number;
  isDefault?: boolean;
  shared?: boolean;
  addressScopeId?: string;
  projectId?: string;
}

/** Prefixes may only grow (400 `IllegalSubnetPoolPrefixUpdate` otherwise); a null scope leaves its address scope. */
export type UpdateSubnetPoolRequest = Partial<Omit<CreateSubnetPoolRequest, 'shared' | 'projectId' | 'addressScopeId'>> & { addressScopeId?: string | null };

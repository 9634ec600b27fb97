/** The network service's tables (see migrations/). */
import type { Insertable, Selectable } from 'kysely';
import type { JsonColumn } from '../../core/db/values.js';

export interface ResourceTable {
  id: string;
  kind: string;
  project_id: string;
  /** The owning network of a subnet or port; the group of a rule. */
  parent_id: string | null;
  name: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
  tags: JsonColumn;
  attrs: JsonColumn;
}

export interface IpAllocationTable {
  subnet_id: string;
  ip_address: string;
  network_id: string;
  port_id: string;
}

export interface MacAddressTable {
  mac_address: string;
  port_id: string;
}

export interface SegmentTable {
  network_type: string;
  physical_network: string;
  segmentation_id: number;
  network_id: string;
}

export interface PortForwardingTable {
  id: string;
  floatingip_id: string;
  project_id: string;
  router_id: string;
  protocol: string;
  external_port: number;
  internal_port_id: string;
  internal_ip_address: string;
  internal_port: number;
  description: string;
}

/** A type alias (not an interface) so Kysely's withTables accepts it. */
export type NetworkTables = {
  neutron_resource: ResourceTable;
  neutron_ip_allocation: IpAllocationTable;
  neutron_mac_address: MacAddressTable;
  neutron_segment: SegmentTable;
  neutron_port_forwarding: PortForwardingTable;
};

export type ResourceRow = Selectable<ResourceTable>;
export type NewResourceRow = Insertable<ResourceTable>;

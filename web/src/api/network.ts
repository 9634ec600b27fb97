/** The shapes of the Neutron resources the panels read. */
export interface Network {
  id: string;
  name: string;
  status: string;
  subnets: string[];
  shared: boolean;
  'router:external': boolean;
  project_id: string;
}

export interface Subnet {
  id: string;
  name: string;
  network_id: string;
  cidr: string;
  ip_version: number;
}

export interface Router {
  id: string;
  name: string;
  status: string;
  external_gateway_info: { network_id: string } | null;
}

export interface Port {
  id: string;
  name: string;
  network_id: string;
  device_id: string;
  device_owner: string;
  fixed_ips: { subnet_id: string; ip_address: string }[];
  status: string;
}

export interface FloatingIp {
  id: string;
  floating_ip_address: string;
  floating_network_id: string;
  port_id: string | null;
  fixed_ip_address: string | null;
  status: string;
}

export interface SecurityGroupRule {
  id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
}

export interface SecurityGroup {
  id: string;
  name: string;
  description?: string;
  security_group_rules?: SecurityGroupRule[];
}

export function nameOrId(resource: { id: string; name: string }): string {
  return resource.name || resource.id;
}

/**
 * `/v2.0/extensions`: exactly the API extensions this service implements.
 * Clients (openstacksdk, Terraform, Tempest) switch behaviour on this list,
 * so an alias is added here only together with the feature.
 */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';
import type { NetworkApi } from './context.js';

interface Extension {
  alias: string;
  name: string;
  description: string;
}

export const EXTENSIONS: Extension[] = [
  { alias: 'allowed-address-pairs', name: 'Allowed Address Pairs', description: 'Provides allowed address pairs' },
  { alias: 'binding', name: 'Port Binding', description: 'Expose port bindings of a virtual port to external application' },
  { alias: 'external-net', name: 'Neutron external network', description: 'Adds external network attribute to network resource.' },
  {
    alias: 'extra_dhcp_opt',
    name: 'Neutron Extra DHCP options',
    description:
      'Extra options configuration for DHCP. For example PXE boot options to DHCP clients can be specified (e.g. tftp-server, server-ip-address, bootfile-name)',
  },
  { alias: 'ip-substring-filtering', name: 'IP address substring filtering', description: 'Provides IP address substring filtering when listing ports' },
  { alias: 'ip_allocation', name: 'IP Allocation', description: 'IP allocation extension.' },
  { alias: 'net-mtu', name: 'Network MTU', description: 'Provides MTU attribute for a network resource.' },
  { alias: 'net-mtu-writable', name: 'Network MTU (writable)', description: 'Provides a writable MTU attribute for a network resource.' },
  { alias: 'pagination', name: 'Pagination support', description: 'Extension that indicates that pagination is enabled.' },
  { alias: 'port-security', name: 'Port Security', description: 'Provides port security' },
  { alias: 'project-id', name: 'project_id field enabled', description: 'Extension that indicates that project_id field is enabled.' },
  { alias: 'provider', name: 'Provider Network', description: 'Expose mapping of virtual networks to physical networks' },
  { alias: 'quotas', name: 'Quota management support', description: 'Expose functions for quotas management per tenant' },
  { alias: 'quota_details', name: 'Quota details management support', description: 'Expose functions for quotas usage statistics per project' },
  {
    alias: 'revision-if-match',
    name: 'If-Match constraints based on revision_number',
    description: 'Extension indicating that If-Match based on revision_number is supported.',
  },
  { alias: 'security-group', name: 'security-group', description: 'The security groups extension.' },
  { alias: 'sorting', name: 'Sorting support', description: 'Extension that indicates that sorting is enabled.' },
  { alias: 'standard-attr-description', name: 'standard-attr-description', description: 'Extension to add descriptions to standard attributes' },
  { alias: 'standard-attr-revisions', name: 'Resource revision numbers', description: 'This extension will display the revision number of neutron resources.' },
  {
    alias: 'standard-attr-tag',
    name: 'Tag support for resources with standard attribute: subnet, trunk, network_segment_range, router, network, policy, subnetpool, port, security_group, floatingip',
    description: 'Enables to set tag on resources with standard attribute.',
  },
  {
    alias: 'standard-attr-timestamp',
    name: 'Resource timestamps',
    description: 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.',
  },
  { alias: 'stateful-security-group', name: 'Stateful security group', description: 'Indicates if the security group is stateful or not' },
  {
    alias: 'security-groups-normalized-cidr',
    name: 'Security group rule normalized CIDR',
    description: 'Add new field with normalized remote_ip_prefix cidr in SG rule',
  },
  { alias: 'subnet-service-types', name: 'Subnet service types', description: 'Provides ability to set the subnet service_types field' },
];

/** Added by modules as their features land (routers, floating IPs, RBAC). */
export const LATER_EXTENSIONS: Extension[] = [];

export function extensionRoutes(app: FastifyInstance, api: NetworkApi, extra: Extension[]): void {
  const all = [...EXTENSIONS, ...extra].sort((a, b) => a.alias.localeCompare(b.alias));
  const render = (e: Extension) => ({ ...e, updated: '2013-01-01T00:00:00-00:00', links: [] });
  app.get('/v2.0/extensions', async (request) => {
    await api.authenticate(request);
    return { extensions: all.map(render) };
  });
  app.get<{ Params: { alias: string } }>('/v2.0/extensions/:alias', async (request) => {
    await api.authenticate(request);
    const found = all.find((e) => e.alias === request.params.alias);
    if (!found) throw notFound.extension(request.params.alias);
    return { extension: render(found) };
  });
}

export type { Extension };

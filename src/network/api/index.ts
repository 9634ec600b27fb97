/** Every network route, mounted under /network. */
import type { FastifyInstance } from 'fastify';
import type { NetworkApi } from './context.js';
import { agentRoutes } from './agents.js';
import { crudRoutes } from './crud.js';
import { extensionRoutes, type Extension } from './extensions.js';
import { autoAllocatedTopologyRoutes } from './auto-allocated-topology.js';
import { availabilityZoneRoutes } from './availability-zones.js';
import { flavorProfileRoutes } from './flavor-profiles.js';
import { ipAvailabilityRoutes } from './ip-availability.js';
import { installNulGuard } from './nul-guard.js';
import { portForwardingRoutes } from './port-forwardings.js';
import { qosRuleRoutes } from './qos.js';
import { quotaRoutes } from './quotas.js';
import { routerInterfaceRoutes } from './router-interfaces.js';
import { serviceProviderRoutes } from './service-providers.js';
import { subnetPoolActionRoutes } from './subnet-pools.js';
import { versionRoutes } from './versions.js';
import { SCOPE_ATTRS } from '../service/address-scopes.js';
import { FLAVOR_ATTRS } from '../service/flavors.js';
import { LABEL_ATTRS, RULE_ATTRS as METERING_RULE_ATTRS } from '../service/metering.js';
import { FIP_ATTRS } from '../service/floating-ips.js';
import { NETWORK_ATTRS } from '../service/networks.js';
import { PORT_ATTRS } from '../service/ports.js';
import { QOS_POLICY_ATTRS } from '../service/qos-policies.js';
import { RBAC_ATTRS } from '../service/rbac.js';
import { ROUTER_ATTRS } from '../service/routers.js';
import { GROUP_ATTRS, RULE_ATTRS } from '../service/security-groups.js';
import { POOL_ATTRS } from '../service/subnet-pools.js';
import { PROFILE_ATTRS } from '../service/service-profiles.js';
import { SEGMENT_ATTRS } from '../service/segments.js';
import { SUBNET_ATTRS } from '../service/subnets.js';

export function networkRoutes(app: FastifyInstance, api: NetworkApi): void {
  const { ops } = api;
  installNulGuard(app);
  versionRoutes(app, api);
  const extra: Extension[] = [
    {
      alias: 'router',
      name: 'Neutron L3 Router',
      description: 'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.',
    },
    {
      alias: 'ext-gw-mode',
      name: 'Neutron L3 Configurable external gateway mode',
      description: 'Extension of the router abstraction for specifying whether SNAT should occur on the external gateway',
    },
    { alias: 'extraroute', name: 'Neutron Extra Route', description: 'Extra routes configuration for L3 router' },
    {
      alias: 'extraroute-atomic',
      name: 'Atomically add/remove extra routes',
      description: 'Edit extra routes of a router on server side by atomically adding/removing extra routes',
    },
    { alias: 'dvr', name: 'Distributed Virtual Router', description: 'Enables configuration of Distributed Virtual Routers.' },
    { alias: 'l3-ha', name: 'HA Router extension', description: 'Adds HA capability to routers.' },
    { alias: 'availability_zone', name: 'Availability Zone', description: 'The availability zone extension.' },
    { alias: 'network_availability_zone', name: 'Network Availability Zone', description: 'Availability zone support for network.' },
    { alias: 'router_availability_zone', name: 'Router Availability Zone', description: 'Availability zone support for router.' },
    { alias: 'rbac-policies', name: 'RBAC Policies', description: 'Allows creation and modification of policies that control tenant access to resources.' },
    { alias: 'subnet_allocation', name: 'Subnet Allocation', description: 'Enables allocation of subnets from a subnet pool' },
    { alias: 'subnetpool-prefix-ops', name: 'Subnet Pool Prefix Operations', description: 'Provides support for adjusting the prefix list of subnet pools' },
    { alias: 'default-subnetpools', name: 'Default Subnetpools', description: 'Provides ability to mark and use a subnetpool as the default.' },
    { alias: 'address-scope', name: 'Address scope', description: 'Address scopes extension.' },
    {
      alias: 'floating-ip-port-forwarding',
      name: 'Floating IP Port Forwarding',
      description: 'Allow port forwarding from floating IP port to an internal port',
    },
    {
      alias: 'floating-ip-port-forwarding-description',
      name: 'Floating IP Port Forwarding new attribute description',
      description: 'Add a description field to Port Forwarding rules',
    },
    {
      alias: 'expose-port-forwarding-in-fip',
      name: 'Expose port forwardings in a floating IP',
      description: 'Expose on floating IP GET requests the port forwardings related to it.',
    },
    { alias: 'network-ip-availability', name: 'Network IP Availability', description: 'Provides IP availability data for each network and subnet.' },
    { alias: 'auto-allocated-topology', name: 'Auto Allocated Topology Services', description: 'Auto Allocated Topology Services.' },
    { alias: 'service-type', name: 'Neutron Service Type Management', description: 'API for retrieving service providers for Neutron advanced services' },
    { alias: 'flavors', name: 'Neutron Service Flavors', description: 'Flavor specification for Neutron advanced services.' },
    { alias: 'l3-flavors', name: 'Router Flavor Extension', description: 'Flavor support for routers.' },
    { alias: 'agent', name: 'agent', description: 'The agent management extension.' },
    { alias: 'metering', name: 'Neutron Metering', description: 'Neutron Metering extension.' },
    { alias: 'dhcp_agent_scheduler', name: 'DHCP Agent Scheduler', description: 'Schedule networks among dhcp agents' },
    { alias: 'l3_agent_scheduler', name: 'L3 Agent Scheduler', description: 'Schedule routers among l3 agents' },
    ...QOS_EXTENSIONS,
    { alias: 'segment', name: 'Segment', description: 'Segments extension.' },
    { alias: 'standard-attr-segment', name: 'Standard Attribute Segment Extension', description: 'Add standard attributes to Segment resource' },
  ];
  extensionRoutes(app, api, extra);
  quotaRoutes(app, api);
  availabilityZoneRoutes(app, api);
  crudRoutes(app, api, { path: 'networks', collection: 'networks', singular: 'network', kind: 'network', attributes: NETWORK_ATTRS, ops: ops.networks });
  crudRoutes(app, api, { path: 'subnets', collection: 'subnets', singular: 'subnet', kind: 'subnet', attributes: SUBNET_ATTRS, ops: ops.subnets });
  crudRoutes(app, api, { path: 'ports', collection: 'ports', singular: 'port', kind: 'port', attributes: PORT_ATTRS, ops: ops.ports });
  crudRoutes(app, api, {
    path: 'security-groups',
    collection: 'security_groups',
    singular: 'security_group',
    kind: 'security_group',
    attributes: GROUP_ATTRS,
    ops: ops.securityGroups,
  });
  crudRoutes(app, api, { path: 'routers', collection: 'routers', singular: 'router', kind: 'router', attributes: ROUTER_ATTRS, ops: ops.routers });
  crudRoutes(app, api, {
    path: 'floatingips',
    collection: 'floatingips',
    singular: 'floatingip',
    kind: 'floatingip',
    attributes: FIP_ATTRS,
    ops: ops.floatingIps,
  });
  crudRoutes(app, api, { path: 'rbac-policies', collection: 'rbac_policies', singular: 'rbac_policy', attributes: RBAC_ATTRS, ops: ops.rbac });
  routerInterfaceRoutes(app, api);
  crudRoutes(app, api, {
    path: 'subnetpools',
    collection: 'subnetpools',
    singular: 'subnetpool',
    kind: 'subnetpool',
    attributes: POOL_ATTRS,
    ops: ops.subnetPools,
  });
  subnetPoolActionRoutes(app, api);
  ipAvailabilityRoutes(app, api);
  autoAllocatedTopologyRoutes(app, api);
  serviceProviderRoutes(app, api);
  crudRoutes(app, api, { path: 'flavors', collection: 'flavors', singular: 'flavor', attributes: FLAVOR_ATTRS, ops: ops.flavors });
  crudRoutes(app, api, {
    path: 'service_profiles',
    collection: 'service_profiles',
    singular: 'service_profile',
    attributes: PROFILE_ATTRS,
    ops: ops.serviceProfiles,
  });
  flavorProfileRoutes(app, api);
  portForwardingRoutes(app, api);
  agentRoutes(app, api);
  crudRoutes(app, api, {
    path: 'metering/metering-labels',
    collection: 'metering_labels',
    singular: 'metering_label',
    attributes: LABEL_ATTRS,
    ops: ops.metering.labels,
  });
  crudRoutes(app, api, {
    path: 'metering/metering-label-rules',
    collection: 'metering_label_rules',
    singular: 'metering_label_rule',
    attributes: METERING_RULE_ATTRS,
    ops: ops.metering.rules,
  });
  crudRoutes(app, api, { path: 'qos/policies', collection: 'policies', singular: 'policy', attributes: QOS_POLICY_ATTRS, ops: ops.qosPolicies });
  qosRuleRoutes(app, api);
  crudRoutes(app, api, { path: 'segments', collection: 'segments', singular: 'segment', attributes: SEGMENT_ATTRS, ops: ops.segments });
  crudRoutes(app, api, { path: 'address-scopes', collection: 'address_scopes', singular: 'address_scope', attributes: SCOPE_ATTRS, ops: ops.addressScopes });
  crudRoutes(app, api, {
    path: 'security-group-rules',
    collection: 'security_group_rules',
    singular: 'security_group_rule',
    attributes: RULE_ATTRS,
    ops: {
      create: (a, b) => ops.securityGroups.createRule(a, b),
      get: (a, id) => ops.securityGroups.getRule(a, id),
      list: (a) => ops.securityGroups.listRules(a),
      delete: (a, id) => ops.securityGroups.deleteRule(a, id),
    },
  });
}

/** The QoS family as Neutron lists it (policies, rules, rule types with details, defaults, directions, the rules alias). */
const QOS_EXTENSIONS: Extension[] = [
  { alias: 'qos', name: 'Quality of Service', description: 'The Quality of Service extension.' },
  {
    alias: 'qos-bw-limit-direction',
    name: 'Direction for QoS bandwidth limit rule',
    description: 'Allow to configure QoS bandwidth limit rule with specific direction: ingress or egress',
  },
  {
    alias: 'qos-bw-minimum-ingress',
    name: 'Ingress direction for QoS minimum bandwidth rule',
    description: 'Allow to configure QoS minumum bandwidth rule with ingress direction.',
  },
  { alias: 'qos-default', name: 'QoS default policy', description: 'Expose the QoS default policy per project' },
  {
    alias: 'qos-rule-type-details',
    name: 'Details of QoS rule types',
    description: 'Expose details about QoS rule types supported by loaded backend drivers',
  },
  {
    alias: 'qos-rules-alias',
    name: 'Quality of Service rules alias API',
    description: 'API to enable GET, PUT and DELETE operations on QoS policy rules without specifying the corresponding policy ID.',
  },
];

export type { NetworkApi } from './context.js';

/**
 * Neutron's error body, `{"NeutronError": {"type", "message", "detail"}}`,
 * and the named errors of neutron-lib the network service raises. Each
 * factory gives the status, the `type` clients match on and Neutron's message.
 */
import { STATUS_CODES } from 'node:http';
import { BadRequest, Conflict, Forbidden, NotFound, PreconditionFailed, ServiceUnavailable, type NimbusError } from '../core/errors.js';

/** Types Neutron sends when no named exception applies (webob's class names). */
const DEFAULT_TYPES: Record<number, string> = {
  400: 'HTTPBadRequest',
  401: 'HTTPUnauthorized',
  403: 'HTTPForbidden',
  404: 'HTTPNotFound',
  405: 'HTTPMethodNotAllowed',
  409: 'HTTPConflict',
  412: 'HTTPPreconditionFailed',
  415: 'HTTPUnsupportedMediaType',
  500: 'HTTPInternalServerError',
};

export function renderNeutronError(error: NimbusError, status: number): unknown {
  const type = error.type ?? DEFAULT_TYPES[status] ?? (STATUS_CODES[status] ?? 'Error').replaceAll(' ', '');
  return { NeutronError: { type, message: error.message, detail: '' } };
}

/** neutron-lib's `<Resource>NotFound` family. */
export const notFound = {
  network: (id: string) => new NotFound(`Network ${id} could not be found.`, { type: 'NetworkNotFound' }),
  subnet: (id: string) => new NotFound(`Subnet ${id} could not be found.`, { type: 'SubnetNotFound' }),
  port: (id: string) => new NotFound(`Port ${id} could not be found.`, { type: 'PortNotFound' }),
  router: (id: string) => new NotFound(`Router ${id} could not be found.`, { type: 'RouterNotFound' }),
  floatingip: (id: string) => new NotFound(`Floating IP ${id} could not be found`, { type: 'FloatingIPNotFound' }),
  security_group: (id: string) => new NotFound(`Security group ${id} does not exist`, { type: 'SecurityGroupNotFound' }),
  security_group_rule: (id: string) => new NotFound(`Security group rule ${id} does not exist`, { type: 'SecurityGroupRuleNotFound' }),
  rbac_policy: (id: string) => new NotFound(`RBAC policy with id ${id} could not be found.`, { type: 'RbacPolicyNotFound' }),
  subnetpool: (id: string) => new NotFound(`Subnet pool ${id} could not be found.`, { type: 'SubnetPoolNotFound' }),
  address_scope: (id: string) => new NotFound(`Address scope ${id} could not be found.`, { type: 'AddressScopeNotFound' }),
  port_forwarding: (id: string) => new NotFound(`Port Forwarding ${id} could not be found.`, { type: 'PortForwardingNotFound' }),
  extension: (alias: string) => new NotFound(`Extension with alias ${alias} does not exist`, { type: 'ExtensionNotFound' }),
  segment: (id: string) => new NotFound(`Segment ${id} could not be found.`, { type: 'SegmentNotFound' }),
  availabilityZone: (zone: string) => new NotFound(`AvailabilityZone ${zone} could not be found.`, { type: 'AvailabilityZoneNotFound' }),
  /** What a path with a NUL, or an API the caller may not use, is: nothing at all. */
  resource: () => new NotFound('The resource could not be found.', { type: 'HTTPNotFound' }),
} as const;

export const badRequest = (message: string) => new BadRequest(message, { type: 'HTTPBadRequest' });
export const invalidInput = (message: string) => new BadRequest(`Invalid input for operation: ${message}.`, { type: 'InvalidInput' });

export const errors = {
  // A request body's shape (route schemas, service/body-schemas.ts), in Neutron's API-layer words.
  missingResource: (resource: string) => new BadRequest(`Unable to find '${resource}' in request body`, { type: 'HTTPBadRequest' }),
  resourceNotObject: (resource: string) => new BadRequest(`Body of ${resource} must be an object.`, { type: 'HTTPBadRequest' }),
  unrecognizedAttributes: (...names: string[]) => new BadRequest(`Unrecognized attribute(s) '${names.join(', ')}'`, { type: 'HTTPBadRequest' }),
  readOnlyAttribute: (name: string) => new BadRequest(`Cannot update read-only attribute ${name}`, { type: 'HTTPBadRequest' }),
  invalidAttribute: (name: string, reason: string) => new BadRequest(`Invalid input for ${name}. Reason: ${reason}.`, { type: 'HTTPBadRequest' }),
  portSecurityAndIpRequiredForSecurityGroups: () =>
    new BadRequest('Port security must be enabled and port must have an IP address in order to use security groups.', {
      type: 'PortSecurityAndIPRequiredForSecurityGroups',
    }),
  portSecurityPortHasSecurityGroup: () =>
    new BadRequest('Port has security group associated. Cannot disable port security or ip address until security group is removed', {
      type: 'PortSecurityPortHasSecurityGroup',
    }),
  allowedAddressPairExhausted: (max: number) =>
    new BadRequest(`The number of allowed address pair exceeds the maximum ${max}.`, { type: 'AllowedAddressPairExhausted' }),
  addressPairAndPortSecurityRequired: () =>
    new BadRequest('Port Security must be enabled in order to have allowed address pairs on a port.', { type: 'AddressPairAndPortSecurityRequired' }),
  portInUse: (portId: string, networkId: string, deviceId: string) =>
    new Conflict(`Unable to complete operation on port ${portId} for network ${networkId}. Port already has an attached device ${deviceId}.`, {
      type: 'PortInUse',
    }),
  routerInterfaceInUseByFloatingIp: (routerId: string, subnetIds: string) =>
    new Conflict(`Router interface for subnet ${subnetIds} on router ${routerId} cannot be deleted, as it is required by one or more floating IPs.`, {
      type: 'RouterInterfaceInUseByFloatingIP',
    }),
  routerExternalGatewayInUseByFloatingIp: (routerId: string, networkId: string) =>
    new Conflict(
      `Gateway cannot be updated for router ${routerId}, since a gateway to external network ${networkId} is required by one or more floating IPs.`,
      { type: 'RouterExternalGatewayInUseByFloatingIp' },
    ),
  routesExhausted: (routerId: string, max: number) =>
    new BadRequest(`Unable to complete operation for ${routerId}. The number of routes exceeds the maximum ${max}.`, { type: 'RoutesExhausted' }),
  invalidRoutes: (routes: string) =>
    new BadRequest(`Invalid format for routes: ${routes}, the nexthop is not connected with router`, { type: 'InvalidRoutes' }),
  fipInUseByPortForwarding: (id: string) => new Conflict(`Floating IP ${id} in use by Port Forwarding resources.`, { type: 'FipInUseByPortForwarding' }),
  invalidSharedSetting: (networkId: string) =>
    new BadRequest(`Unable to reconfigure sharing settings for network ${networkId}. Multiple tenants are using it.`, { type: 'InvalidSharedSetting' }),
  securityGroupDefaultAlreadyExists: () => new Conflict('Default security group already exists.', { type: 'SecurityGroupDefaultAlreadyExists' }),
  securityGroupCannotUpdateDefault: () => new Conflict('Updating default security group not allowed.', { type: 'SecurityGroupCannotUpdateDefault' }),
  securityGroupRuleInvalidEtherType: (ethertype: string) =>
    new BadRequest(`Security group rule for ethertype '${ethertype}' not supported. Allowed values are ['IPv4', 'IPv6'].`, {
      type: 'SecurityGroupRuleInvalidEtherType',
    }),
  securityGroupRuleInvalidProtocol: (protocol: string, ...known: string[]) =>
    new BadRequest(
      `Security group rule protocol ${protocol} not supported. Only protocol values [None, ${known.map((p) => `'${p}'`).join(', ')}] and integer representations [0 to 255] are supported.`,
      { type: 'SecurityGroupRuleInvalidProtocol' },
    ),
  securityGroupEthertypeConflictWithProtocol: (ethertype: string, protocol: string) =>
    new BadRequest(`Invalid ethertype ${ethertype} for protocol ${protocol}.`, { type: 'SecurityGroupEthertypeConflictWithProtocol' }),
  securityGroupRemoteGroupAndRemoteIpPrefix: () =>
    new BadRequest('Only remote_ip_prefix or remote_group_id may be provided.', { type: 'SecurityGroupRemoteGroupAndRemoteIpPrefix' }),
  securityGroupRuleParameterConflict: (ethertype: string, prefix: string) =>
    new BadRequest(`Conflicting value ethertype ${ethertype} for CIDR ${prefix}`, { type: 'SecurityGroupRuleParameterConflict' }),
  securityGroupProtocolRequiredWithPorts: () =>
    new BadRequest('Must also specify protocol if port range is given.', { type: 'SecurityGroupProtocolRequiredWithPorts' }),
  securityGroupInvalidPortValue: (port: number) => new BadRequest(`Invalid value for port ${port}.`, { type: 'SecurityGroupInvalidPortValue' }),
  securityGroupInvalidPortRange: () =>
    new BadRequest('For TCP/UDP protocols, port_range_min must be <= port_range_max', { type: 'SecurityGroupInvalidPortRange' }),
  securityGroupInvalidIcmpValue: (field: string, value: number) =>
    new BadRequest(`Invalid value for ICMP ${field} (port-range-${field === 'type' ? 'min' : 'max'}): ${value}. It must be 0 to 255.`, {
      type: 'SecurityGroupInvalidIcmpValue',
    }),
  securityGroupMissingIcmpType: (code: number) =>
    new BadRequest(`ICMP code (port-range-max) ${code} is provided but ICMP type (port-range-min) is missing.`, { type: 'SecurityGroupMissingIcmpType' }),
  securityGroupInvalidProtocolForPortRange: (protocol: string) =>
    new BadRequest(`Invalid protocol ${protocol} for port range, only supported for TCP, UDP, UDPLITE, SCTP and DCCP.`, {
      type: 'SecurityGroupInvalidProtocolForPortRange',
    }),
  bulkTooLarge: (max: number, asked: number) =>
    new BadRequest(`A bulk request may create at most ${max} resources; this one asks for ${asked}.`, { type: 'HTTPBadRequest' }),
  portForwardingFilterNotSupported: (field: string) =>
    new BadRequest(`Port Forwarding filter ${field} is not supported.`, { type: 'PortForwardingNotSupportFilterField' }),
  requiredAttribute: (name: string) => new BadRequest(`Failed to parse request. Required attribute '${name}' not specified`, { type: 'HTTPBadRequest' }),
  portHasBindingFloatingIp: (fip: { address: string; id: string }, portId: string, fixedIp: string) =>
    new Conflict(
      `Cannot create port forwarding to floating IP ${fip.address} (${fip.id}) with port ${portId} using fixed IP ${fixedIp}, as that port already has a binding floating IP.`,
      { type: 'PortHasBindingFloatingIP' },
    ),
  mtuTooBig: (max: number) => new BadRequest(`Requested MTU is too big, maximum is ${max}`, { type: 'InvalidInput' }),
  invalidData: () => new BadRequest('Request body contains invalid data', { type: 'HTTPBadRequest' }),
  hostRoutesExhausted: (limit: number) =>
    new BadRequest(`Unable to complete operation for subnet. The number of host routes exceeds the limit ${limit}.`, { type: 'HostRoutesExhausted' }),
  dnsNameServersExhausted: (limit: number) =>
    new BadRequest(`Unable to complete operation for subnet. The number of DNS nameservers exceeds the limit ${limit}.`, { type: 'DNSNameServersExhausted' }),
  duplicateRbacPolicy: (target: string, action: string, networkId: string) =>
    new Conflict(
      `Failed to create a duplicate rbac_policy: for attribute(s) ['target_tenant', 'action', 'object_id'] with value(s) ${target}, ${action}, ${networkId}`,
      { type: 'DuplicateRbacPolicy' },
    ),
  projectTenantMismatch: () => new BadRequest("'project_id' and 'tenant_id' do not match", { type: 'HTTPBadRequest' }),
  projectScopeRequired: () => new BadRequest('A project-scoped token is required to create network resources.', { type: 'HTTPBadRequest' }),
  floatingNetworkNotExternal: (networkId: string) =>
    new BadRequest(`Bad floatingip request: Network ${networkId} is not a valid external network.`, { type: 'BadRequest' }),
  tagsNotSupported: (kind: string) => new BadRequest(`Resource ${kind} does not support tags.`, { type: 'HTTPBadRequest' }),
  /** neutron-lib's BadRequest(resource, msg). */
  badResourceRequest: (resource: string, message: string) =>
    new BadRequest(`Bad ${resource} request: ${message.endsWith('.') ? message : `${message}.`}`, { type: 'HTTPBadRequest' }),
  networkInUse: (id: string) =>
    new Conflict(`Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`, { type: 'NetworkInUse' }),
  subnetInUse: (id: string, reason = 'One or more ports have an IP allocation from this subnet.') =>
    new Conflict(`Unable to complete operation on subnet ${id}: ${reason}`, { type: 'SubnetInUse' }),
  ipAddressGenerationFailure: (networkId: string) =>
    new Conflict(`No more IP addresses available on network ${networkId}.`, { type: 'IpAddressGenerationFailure' }),
  ipAddressInUse: (ip: string, networkId: string) =>
    new Conflict(`Unable to complete operation for network ${networkId}. The IP address ${ip} is in use.`, { type: 'IpAddressInUse' }),
  invalidIpForSubnet: (ip: string) => new BadRequest(`IP address ${ip} is not a valid IP for the specified subnet.`, { type: 'InvalidIpForSubnet' }),
  invalidIpForNetwork: (ip: string) =>
    new BadRequest(`IP address ${ip} is not a valid IP for any of the subnets on the specified network.`, { type: 'InvalidIpForNetwork' }),
  overlappingAllocationPools: (pool1: string, pool2: string, cidr: string) =>
    new Conflict(`Found overlapping allocation pools: ${pool1} and ${pool2} for subnet ${cidr}.`, { type: 'OverlappingAllocationPools' }),
  outOfBoundsAllocationPool: (pool: string, cidr: string) =>
    new BadRequest(`The allocation pool ${pool} spans beyond the subnet cidr ${cidr}.`, { type: 'OutOfBoundsAllocationPool' }),
  gatewayConflictWithAllocationPools: (ip: string, pool: string) =>
    new Conflict(`Gateway ip ${ip} conflicts with allocation pool ${pool}.`, { type: 'GatewayConflictWithAllocationPools' }),
  invalidAllocationPool: (pool: string) => new BadRequest(`The allocation pool ${pool} is not valid.`, { type: 'InvalidAllocationPool' }),
  macAddressInUse: (mac: string, networkId: string) =>
    new Conflict(`Unable to complete operation for network ${networkId}. The mac address ${mac} is in use.`, { type: 'MacAddressInUse' }),
  overQuota: (resource: string) => new Conflict(`Quota exceeded for resources: ['${resource}'].`, { type: 'OverQuota' }),
  securityGroupRuleExists: (id: string) => new Conflict(`Security group rule already exists. Rule id is ${id}.`, { type: 'SecurityGroupRuleExists' }),
  securityGroupInUse: (id: string) => new Conflict(`Security Group ${id} in use.`, { type: 'SecurityGroupInUse' }),
  securityGroupCannotRemoveDefault: () =>
    new Conflict('Insufficient rights for removing default security group.', { type: 'SecurityGroupCannotRemoveDefault' }),
  routerInUse: (id: string) => new Conflict(`Router ${id} still has ports`, { type: 'RouterInUse' }),
  routerInterfaceNotFound: (routerId: string, portId: string) =>
    new NotFound(`Router ${routerId} does not have an interface with id ${portId}`, { type: 'RouterInterfaceNotFound' }),
  routerInterfaceNotFoundForSubnet: (routerId: string, subnetId: string) =>
    new NotFound(`Router ${routerId} has no interface on subnet ${subnetId}`, { type: 'RouterInterfaceNotFoundForSubnet' }),
  externalGatewayForFloatingIPNotFound: (subnetId: string, externalNetworkId: string, portId: string) =>
    new NotFound(
      `External network ${externalNetworkId} is not reachable from subnet ${subnetId}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
      { type: 'ExternalGatewayForFloatingIPNotFound' },
    ),
  floatingIpPortAlreadyAssociated: (fip: { address: string; id: string }, portId: string, fixedIp: string, networkId: string) =>
    new Conflict(
      `Cannot associate floating IP ${fip.address} (${fip.id}) with port ${portId} using fixed IP ${fixedIp}, as that fixed IP already has a floating IP on external network ${networkId}.`,
      { type: 'FloatingIPPortAlreadyAssociated' },
    ),
  networkNotExternal: (id: string) => new BadRequest(`Network ${id} is not a valid external network`, { type: 'BadRequest' }),
  revisionMismatch: (expected: string, current: number) =>
    new PreconditionFailed(`Constraint ${expected} failed: current revision is ${current}.`, { type: 'RevisionNumberConstraintFailed' }),
  segmentInUse: (id: string, reason: string) => new Conflict(`Segment '${id}' cannot be deleted: ${reason}.`, { type: 'SegmentInUse' }),
  subnetsNotAllAssociatedWithSegments: (networkId: string) =>
    new BadRequest(`All of the subnets on network '${networkId}' must either all be associated with segments or all not associated with any segment.`, {
      type: 'SubnetsNotAllAssociatedWithSegments',
    }),
  networkIdsDontMatch: (networkId: string, segmentId: string) =>
    new BadRequest(`The subnet's network id, '${networkId}', doesn't match the network_id of segment '${segmentId}'`, { type: 'NetworkIdsDontMatch' }),
  hostNotCompatibleWithFixedIps: (host: string, portId: string) =>
    new Conflict(`Host ${host} is not connected to a segment where the existing fixed_ips on port ${portId} will function given the routed network topology.`, {
      type: 'HostNotCompatibleWithFixedIps',
    }),
  segmentationIdExhausted: (type: string) =>
    new Conflict(`Unable to create the network. No ${type} segmentation id available.`, { type: 'NoNetworkAvailable' }),
  /** A segment taken by another network: ML2's type drivers' VlanIdInUse, FlatNetworkInUse and TunnelIdInUse. */
  segmentInUseByNetwork: (type: string, id: number, physnet: string | null) => {
    if (type === 'flat') return new Conflict(`Unable to create the flat network. Physical network ${physnet ?? ''} is in use.`, { type: 'FlatNetworkInUse' });
    if (type === 'vlan')
      return new Conflict(`Unable to create the network. The VLAN ${id} on physical network ${physnet ?? ''} is in use.`, { type: 'VlanIdInUse' });
    return new Conflict(`Unable to create the network. The tunnel ID ${id} is in use.`, { type: 'TunnelIdInUse' });
  },
  notAuthorized: () => new Forbidden('Not authorized.', { type: 'NotAuthorized' }),
  autoAllocationFailure: (reason: string) => new Conflict(`Deployment error: ${reason}.`, { type: 'AutoAllocationFailure' }),
  defaultExternalNetworkExists: (networkId: string) =>
    new Conflict(`A default external network already exists: ${networkId}.`, { type: 'DefaultExternalNetworkExists' }),
  // Flavors and service profiles (neutron-lib's exceptions/flavors.py).
  invalidFlavorServiceType: (type: string) => new BadRequest(`Invalid service type ${type}.`, { type: 'InvalidFlavorServiceType' }),
  flavorNotFound: (id: string) => new NotFound(`Flavor ${id} could not be found.`, { type: 'FlavorNotFound' }),
  flavorInUse: (id: string) => new Conflict(`Flavor ${id} is used by some service instance.`, { type: 'FlavorInUse' }),
  serviceProfileNotFound: (id: string) => new NotFound(`Service Profile ${id} could not be found.`, { type: 'ServiceProfileNotFound' }),
  serviceProfileInUse: (id: string) => new Conflict(`Service Profile ${id} is used by some service instance.`, { type: 'ServiceProfileInUse' }),
  flavorServiceProfileBindingExists: (profileId: string, flavorId: string) =>
    new Conflict(`Service Profile ${profileId} is already associated with flavor ${flavorId}.`, { type: 'FlavorServiceProfileBindingExists' }),
  flavorServiceProfileBindingNotFound: (profileId: string, flavorId: string) =>
    new NotFound(`Service Profile ${profileId} is not associated with flavor ${flavorId}.`, { type: 'FlavorServiceProfileBindingNotFound' }),
  serviceProfileDriverNotFound: (driver: string) =>
    new NotFound(`Service Profile driver ${driver} could not be found.`, { type: 'ServiceProfileDriverNotFound' }),
  serviceProfileEmpty: () => new BadRequest('Service Profile needs either a driver or metainfo.', { type: 'ServiceProfileEmpty' }),
  serviceProfileDisabled: () => new ServiceUnavailable('Service Profile is not enabled.', { type: 'ServiceProfileDisabled' }),
  policyNotAuthorized: (action: string) => new Forbidden(`(rule:${action}) is disallowed by policy`, { type: 'PolicyNotAuthorized' }),
  tagNotFound: (resource: string, id: string, tag: string) => new NotFound(`Tag ${tag} could not be found for ${resource} ${id}.`, { type: 'TagNotFound' }),
  emptySubnetPoolPrefixList: () => new BadRequest('Empty subnet pool prefix list.', { type: 'EmptySubnetPoolPrefixList' }),
  prefixVersionMismatch: () => new BadRequest('Cannot mix IPv4 and IPv6 prefixes in a subnet pool.', { type: 'PrefixVersionMismatch' }),
  illegalPrefixBounds: (type: string, prefixlen: number, baseType: string, base: number) =>
    new BadRequest(`Illegal prefix bounds: ${type}=${prefixlen}, ${baseType}=${base}.`, { type: 'IllegalSubnetPoolPrefixBounds' }),
  illegalPrefixUpdate: (msg: string) => new BadRequest(`Illegal update to prefixes: ${msg}.`, { type: 'IllegalSubnetPoolPrefixUpdate' }),
  illegalSubnetPoolUpdate: (reason: string) => new BadRequest(`Illegal subnetpool update : ${reason}.`, { type: 'IllegalSubnetPoolUpdate' }),
  subnetPoolDeleteError: (reason: string) => new BadRequest(`Unable to delete subnet pool: ${reason}.`, { type: 'SubnetPoolDeleteError' }),
  subnetPoolQuotaExceeded: () => new Conflict('Per-project subnet pool prefix quota exceeded.', { type: 'SubnetPoolQuotaExceeded' }),
  /** Neutron lets this one through as a 500; a full pool is the caller's conflict, so Nimbus answers 409. */
  subnetAllocation: (reason: string) => new Conflict(`Failed to allocate subnet: ${reason}.`, { type: 'SubnetAllocationError' }),
  minPrefixAllocation: (prefixlen: number, min: number) =>
    new BadRequest(`Unable to allocate subnet with prefix length ${prefixlen}, minimum allowed prefix is ${min}.`, { type: 'MinPrefixSubnetAllocationError' }),
  maxPrefixAllocation: (prefixlen: number, max: number) =>
    new BadRequest(`Unable to allocate subnet with prefix length ${prefixlen}, maximum allowed prefix is ${max}.`, { type: 'MaxPrefixSubnetAllocationError' }),
  networkSubnetPoolAffinity: () =>
    new BadRequest('Subnets hosted on the same network must be allocated from the same subnet pool.', { type: 'NetworkSubnetPoolAffinityError' }),
  networkAddressScopeAffinity: () =>
    new BadRequest('Subnets of the same address family hosted on the same network must all participate in the same address scope.', {
      type: 'NetworkAddressScopeAffinityError',
    }),
  addressScopePrefixConflict: () =>
    new Conflict('Failed to associate address scope: subnetpools within an address scope must have unique prefixes.', { type: 'AddressScopePrefixConflict' }),
  illegalAddressScopeAssociation: (poolId: string, scopeId: string) =>
    new BadRequest(`Illegal subnetpool association: subnetpool ${poolId} cannot be associated with address scope ${scopeId}.`, {
      type: 'IllegalSubnetPoolAssociationToAddressScope',
    }),
  illegalAddressScopeVersion: (poolId: string, scopeId: string, version: number) =>
    new BadRequest(
      `Illegal subnetpool association: subnetpool ${poolId} cannot associate with address scope ${scopeId} because subnetpool ip_version is not ${version}.`,
      {
        type: 'IllegalSubnetPoolIpVersionAssociationToAddressScope',
      },
    ),
  addressScopeInUse: (id: string) =>
    new Conflict(`Unable to complete operation on address scope ${id}. There are one or more subnet pools in use on the address scope.`, {
      type: 'AddressScopeInUse',
    }),
  addressScopeUpdate: (id: string, reason: string) => new BadRequest(`Unable to update address scope ${id} : ${reason}.`, { type: 'AddressScopeUpdateError' }),
  /** Finding by name (operations.ts `find`) when several resources have it, worded as neutronclient's NeutronClientNoUniqueMatch. */
  noUniqueMatch: (resource: string, name: string) =>
    new Conflict(`Multiple ${resource} matches found for name '${name}', use an ID to be more specific.`, { type: 'NoUniqueMatch' }),
  agentNotFound: (id: string) => new NotFound(`Agent ${id} could not be found.`, { type: 'AgentNotFound' }),
  invalidDhcpAgent: (id: string) => new NotFound(`Agent ${id} is not a valid DHCP Agent or has been disabled.`, { type: 'InvalidDHCPAgent' }),
  networkHostedByDhcpAgent: (networkId: string, agentId: string) =>
    new Conflict(`The network ${networkId} has been already hosted by the DHCP Agent ${agentId}.`, { type: 'NetworkHostedByDHCPAgent' }),
  networkNotHostedByDhcpAgent: (networkId: string, agentId: string) =>
    new Conflict(`The network ${networkId} is not hosted by the DHCP Agent ${agentId}.`, { type: 'NetworkNotHostedByDhcpAgent' }),
  invalidL3Agent: (id: string) => new NotFound(`Agent ${id} is not a L3 Agent or has been disabled`, { type: 'InvalidL3Agent' }),
  routerHostedByL3Agent: (routerId: string, agentId: string) =>
    new Conflict(`The router ${routerId} has been already hosted by the L3 Agent ${agentId}.`, { type: 'RouterHostedByL3Agent' }),
  meteringLabelNotFound: (id: string) => new NotFound(`Metering label ${id} does not exist`, { type: 'MeteringLabelNotFound' }),
  meteringLabelRuleNotFound: (id: string) => new NotFound(`Metering label rule ${id} does not exist`, { type: 'MeteringLabelRuleNotFound' }),
  meteringLabelRuleOverlaps: (prefix: string) =>
    new Conflict(`Metering label rule with remote_ip_prefix ${prefix} overlaps another.`, { type: 'MeteringLabelRuleOverlaps' }),
  /** neutron-lib's generic `Invalid`, which Neutron's metering plugin raises with its own wording. */
  invalid: (message: string) => new BadRequest(message, { type: 'Invalid' }),
  rbacInUse: (id: string) => new Conflict(`RBAC policy on object ${id} cannot be removed because other objects depend on it.`, { type: 'RbacPolicyInUse' }),
};

/** neutron-lib's QoS errors (neutron_lib/exceptions/qos.py). */
export const qosErrors = {
  policyNotFound: (id: string) => new NotFound(`QoS policy ${id} could not be found.`, { type: 'QosPolicyNotFound' }),
  ruleNotFound: (ruleId: string, policyId: string) =>
    new NotFound(`QoS rule ${ruleId} for policy ${policyId} could not be found.`, { type: 'QosRuleNotFound' }),
  ruleTypeNotFound: (type: string) => new NotFound(`QoS rule type ${type} could not be found.`, { type: 'HTTPNotFound' }),
  defaultExists: (projectId: string) => new Conflict(`A default QoS policy exists for project ${projectId}.`, { type: 'QoSPolicyDefaultAlreadyExists' }),
  policyInUse: (policyId: string, objectType: string, objectId: string) =>
    new Conflict(`QoS Policy ${policyId} is used by ${objectType} ${objectId}.`, { type: 'QosPolicyInUse' }),
  ruleNotSupported: (ruleType: string, portId: string) => new Conflict(`Rule ${ruleType} is not supported by port ${portId}`, { type: 'QosRuleNotSupported' }),
  rulesConflict: (newRuleType: string, ruleId: string, policyId: string) =>
    new Conflict(`Rule ${newRuleType} conflicts with rule ${ruleId} which already exists in QoS Policy ${policyId}.`, { type: 'QoSRulesConflict' }),
  ruleParameterConflict: (value: number, policyId: string, existingRule: string, existingValue: number) =>
    new Conflict(
      `Unable to add the rule with value ${value} to the policy ${policyId} as the existing rule of type ${existingRule} restricts the bandwidth to ${existingValue}.`,
      { type: 'QoSRuleParameterConflict' },
    ),
};

/**
 * Neutron's error body, `{"NeutronError": {"type", "message", "detail"}}`,
 * and the named errors of neutron-lib the network service raises. Each
 * factory gives the status, the `type` clients match on and Neutron's message.
 */
import { STATUS_CODES } from 'node:http';
import { BadRequest, Conflict, Forbidden, NotFound, PreconditionFailed, type NimbusError } from '../core/errors.js';

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
} as const;

export const badRequest = (message: string) => new BadRequest(message, { type: 'HTTPBadRequest' });
export const invalidInput = (message: string) => new BadRequest(`Invalid input for operation: ${message}.`, { type: 'InvalidInput' });

export const errors = {
  networkInUse: (id: string) =>
    new Conflict(`Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`, { type: 'NetworkInUse' }),
  subnetInUse: (id: string, reason = 'One or more ports have an IP allocation from this subnet.') =>
    new Conflict(`Unable to complete operation on subnet ${id}: ${reason}`, { type: 'SubnetInUse' }),
  ipAddressGenerationFailure: (networkId: string) =>
    new Conflict(`No more IP addresses available on network ${networkId}.`, { type: 'IpAddressGenerationFailure' }),
  ipAddressInUse: (ip: string, networkId: string) =>
    new Conflict(`Unable to complete operation for network ${networkId}. The IP address ${ip} is in use.`, { type: 'IpAddressInUse' }),
  invalidIpForSubnet: (ip: string) =>
    new BadRequest(`IP address ${ip} is not a valid IP for the specified subnet.`, { type: 'InvalidIpForSubnet' }),
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
  securityGroupRuleExists: (id: string) =>
    new Conflict(`Security group rule already exists. Rule id is ${id}.`, { type: 'SecurityGroupRuleExists' }),
  securityGroupInUse: (id: string) =>
    new Conflict(`Security Group ${id} in use.`, { type: 'SecurityGroupInUse' }),
  securityGroupCannotRemoveDefault: () =>
    new Conflict('Insufficient rights for removing default security group.', { type: 'SecurityGroupCannotRemoveDefault' }),
  routerInUse: (id: string) =>
    new Conflict(`Router ${id} still has ports`, { type: 'RouterInUse' }),
  routerInterfaceNotFound: (routerId: string, portId: string) =>
    new NotFound(`Router ${routerId} does not have an interface with id ${portId}`, { type: 'RouterInterfaceNotFound' }),
  routerInterfaceNotFoundForSubnet: (routerId: string, subnetId: string) =>
    new NotFound(`Router ${routerId} has no interface on subnet ${subnetId}`, { type: 'RouterInterfaceNotFoundForSubnet' }),
  externalGatewayForFloatingIPNotFound: (subnetId: string, externalNetworkId: string, portId: string) =>
    new NotFound(
      `External network ${externalNetworkId} is not reachable from subnet ${subnetId}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
      { type: 'ExternalGatewayForFloatingIPNotFound' },
    ),
  floatingIpPortAlreadyAssociated: (portId: string, fipId: string) =>
    new Conflict(`Cannot associate floating IP with port ${portId}: it already has floating IP ${fipId}.`, { type: 'FloatingIPPortAlreadyAssociated' }),
  networkNotExternal: (id: string) =>
    new BadRequest(`Network ${id} is not a valid external network`, { type: 'BadRequest' }),
  revisionMismatch: (expected: string, current: number) =>
    new PreconditionFailed(`Constraint ${expected} failed: current revision is ${current}.`, { type: 'RevisionNumberConstraintFailed' }),
  segmentationIdExhausted: (type: string) =>
    new Conflict(`Unable to create the network. No ${type} segmentation id available.`, { type: 'NoNetworkAvailable' }),
  segmentationIdInUse: (id: number, type: string) =>
    new Conflict(`Unable to create the network. The ${type} ${id} is in use.`, { type: 'SegmentationIdInUse' }),
  policyNotAuthorized: (action: string) =>
    new Forbidden(`(rule:${action}) is disallowed by policy`, { type: 'PolicyNotAuthorized' }),
  tagNotFound: (resource: string, id: string, tag: string) =>
    new NotFound(`Tag ${tag} could not be found for ${resource} ${id}.`, { type: 'TagNotFound' }),
  rbacInUse: (id: string) =>
    new Conflict(`RBAC policy on object ${id} cannot be removed because other objects depend on it.`, { type: 'RbacPolicyInUse' }),
};

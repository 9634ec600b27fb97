/**
 * The resource types over the other services (Nova, Neutron, Cinder, Swift,
 * Keystone, Glance, Aodh) and the custom constraints over their objects, for the engine's
 * registry. Each type reaches its service only through that service's
 * operations.ts, as the stack owner.
 */
import type { ResourcePlugin } from '../types.js';
import { alarmingResourceTypes } from './alarming/alarms.js';
import { flavorResource } from './compute/flavor.js';
import { keyPairResource } from './compute/keypair.js';
import { serverGroupResource } from './compute/server-group.js';
import { serverResource } from './compute/server.js';
import { glanceImageResource } from './image/image.js';
import { glanceWebImageResource } from './image/web-image.js';
import { domainResource } from './identity/domain.js';
import { groupResource } from './identity/group.js';
import { projectResource } from './identity/project.js';
import { roleResource } from './identity/role.js';
import { userResource } from './identity/user.js';
import { floatingIpAssociationResource, floatingIpResource } from './network/floating-ip.js';
import { addressScopeResource } from './network/address-scope.js';
import { netResource } from './network/net.js';
import { portResource } from './network/port.js';
import { routerInterfaceResource, routerResource } from './network/router.js';
import { securityGroupResource, securityGroupRuleResource } from './network/security-group.js';
import { subnetPoolResource } from './network/subnet-pool.js';
import { subnetResource } from './network/subnet.js';
import { containerResource } from './object-store/container.js';
import { volumeAttachmentResource } from './volume/volume-attachment.js';
import { volumeTypeResource } from './volume/volume-type.js';
import { volumeResource } from './volume/volume.js';

export { customConstraints } from './constraints.js';

export const serviceResourceTypes: ResourcePlugin[] = [
  serverResource,
  keyPairResource,
  flavorResource,
  serverGroupResource,
  netResource,
  subnetResource,
  portResource,
  routerResource,
  routerInterfaceResource,
  floatingIpResource,
  floatingIpAssociationResource,
  securityGroupResource,
  securityGroupRuleResource,
  subnetPoolResource,
  addressScopeResource,
  volumeResource,
  volumeAttachmentResource,
  volumeTypeResource,
  containerResource,
  projectResource,
  userResource,
  roleResource,
  groupResource,
  domainResource,
  glanceImageResource,
  glanceWebImageResource,
  ...alarmingResourceTypes,
];

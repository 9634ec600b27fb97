/**
 * Neutron's default policy, the part Nimbus enforces through the policy
 * engine: who counts as admin, and the admin-only attributes. Ownership and
 * visibility (owner, shared, external, RBAC) are checked in service/access.ts.
 * Operators override any rule in <data-dir>/policy.yaml.
 */
const ADMIN = 'rule:network:context_is_admin';

export const networkPolicyDefaults: Record<string, string> = {
  'network:context_is_admin': 'role:admin',
  'network:create_network:shared': ADMIN,
  'network:create_network:router:external': ADMIN,
  'network:create_network:is_default': ADMIN,
  'network:create_network:provider:network_type': ADMIN,
  'network:create_network:provider:physical_network': ADMIN,
  'network:create_network:provider:segmentation_id': ADMIN,
  'network:update_network:shared': ADMIN,
  'network:update_network:router:external': ADMIN,
  'network:update_network:is_default': ADMIN,
  'network:update_network:provider:network_type': ADMIN,
  'network:update_network:provider:physical_network': ADMIN,
  'network:update_network:provider:segmentation_id': ADMIN,
  'network:create_subnetpool:shared': ADMIN,
  'network:create_subnetpool:is_default': ADMIN,
  'network:update_subnetpool:is_default': ADMIN,
  'network:create_address_scope:shared': ADMIN,
  'network:update_address_scope:shared': ADMIN,
};

/**
 * Neutron's secure-RBAC default policy (neutron/conf/policies/*.py, the
 * admin / member / reader personas of project scope), each rule under
 * Neutron's own name prefixed with `network:`, in the enforcer every service
 * shares. Operators override any rule in <data-dir>/policy.yaml.
 *
 * Neutron's `field:` checks are not part of oslo's check language; the
 * targets built in service/access.ts carry them as booleans instead
 * (`shared`, `router:external`, `network_device`), tested with oslo's
 * literal check (`True:%(shared)s`). The owner of the network a subnet or
 * port is on is `network:project_id`, of a rule's group
 * `security_group:project_id`, of a port forwarding's floating IP
 * `ext_parent:project_id`, as in Neutron.
 */
const ADMIN = 'rule:network:context_is_admin';
const SERVICE = 'role:service';
const ADMIN_OR_SERVICE = `${ADMIN} or ${SERVICE}`;
const PROJECT_MEMBER = '(role:member and project_id:%(project_id)s)';
const PROJECT_READER = '(role:reader and project_id:%(project_id)s)';
const ADMIN_OR_PROJECT_MEMBER = `${ADMIN} or ${PROJECT_MEMBER}`;
const ADMIN_OR_PROJECT_READER = `${ADMIN} or ${PROJECT_READER}`;
const NET_OWNER_MEMBER = '(role:member and project_id:%(network:project_id)s)';
const NET_OWNER_READER = '(role:reader and project_id:%(network:project_id)s)';
const ADMIN_OR_NET_OWNER_MEMBER = `${ADMIN} or ${NET_OWNER_MEMBER}`;
const SG_OWNER_MEMBER = '(role:member and project_id:%(security_group:project_id)s)';
const SG_OWNER_READER = '(role:reader and project_id:%(security_group:project_id)s)';
const PARENT_OWNER_MEMBER = '(role:member and project_id:%(ext_parent:project_id)s)';
const PARENT_OWNER_READER = '(role:reader and project_id:%(ext_parent:project_id)s)';
const SHARED = 'rule:network:shared';
const EXTERNAL = 'rule:network:external';

/** Resources whose tags are read and written under their own `get_`/`update_` rules (Neutron's `<action>_<resource>:tags`). */
const TAGGED = ['network', 'subnet', 'port', 'router', 'floatingip', 'security_group', 'subnetpool'];

export const networkPolicyDefaults: Record<string, string> = {
  'network:context_is_admin': 'role:admin',
  'network:shared': 'True:%(shared)s',
  'network:external': 'True:%(router:external)s',
  'network:network_device': 'True:%(network_device)s',

  'network:create_network': ADMIN_OR_PROJECT_MEMBER,
  'network:get_network': `${ADMIN_OR_PROJECT_READER} or ${SERVICE} or ${SHARED} or ${EXTERNAL}`,
  'network:update_network': ADMIN_OR_PROJECT_MEMBER,
  'network:delete_network': ADMIN_OR_PROJECT_MEMBER,
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
  'network:get_network:provider:network_type': ADMIN,
  'network:get_network:provider:physical_network': ADMIN,
  'network:get_network:provider:segmentation_id': ADMIN,

  'network:create_subnet': ADMIN_OR_NET_OWNER_MEMBER,
  'network:get_subnet': `${PROJECT_READER} or ${SHARED} or ${EXTERNAL} or ${ADMIN} or ${NET_OWNER_READER} or ${SERVICE}`,
  'network:update_subnet': `${PROJECT_MEMBER} or ${ADMIN_OR_NET_OWNER_MEMBER}`,
  'network:delete_subnet': `${PROJECT_MEMBER} or ${ADMIN_OR_NET_OWNER_MEMBER}`,
  'network:create_subnet:service_types': ADMIN,
  'network:create_subnet:segment_id': ADMIN,
  'network:get_subnet:segment_id': ADMIN,
  'network:update_subnet:service_types': ADMIN,

  'network:create_port': `${ADMIN_OR_SERVICE} or ${NET_OWNER_MEMBER} or (${SHARED} and ${PROJECT_MEMBER})`,
  'network:create_port:device_owner': `not rule:network:network_device or ${ADMIN_OR_SERVICE} or ${NET_OWNER_MEMBER}`,
  'network:create_port:mac_address': `${ADMIN_OR_SERVICE} or ${NET_OWNER_MEMBER}`,
  'network:create_port:fixed_ips:ip_address': `${ADMIN_OR_SERVICE} or ${NET_OWNER_MEMBER}`,
  'network:create_port:port_security_enabled': `${ADMIN_OR_SERVICE} or ${NET_OWNER_MEMBER}`,
  'network:create_port:binding:host_id': ADMIN_OR_SERVICE,
  'network:create_port:binding:profile': ADMIN_OR_SERVICE,
  'network:create_port:allowed_address_pairs': `${ADMIN_OR_NET_OWNER_MEMBER} or ${SERVICE}`,
  'network:get_port': `${ADMIN_OR_SERVICE} or ${NET_OWNER_READER} or ${PROJECT_READER}`,
  'network:get_port:binding:vif_type': ADMIN_OR_SERVICE,
  'network:get_port:binding:vif_details': ADMIN_OR_SERVICE,
  'network:get_port:binding:host_id': ADMIN_OR_SERVICE,
  'network:get_port:binding:profile': ADMIN_OR_SERVICE,
  'network:update_port': `${ADMIN_OR_SERVICE} or ${PROJECT_MEMBER}`,
  'network:update_port:device_owner': `not rule:network:network_device or ${ADMIN_OR_SERVICE} or ${NET_OWNER_MEMBER}`,
  'network:update_port:mac_address': ADMIN_OR_SERVICE,
  'network:update_port:fixed_ips:ip_address': `${ADMIN_OR_SERVICE} or ${NET_OWNER_MEMBER}`,
  'network:update_port:port_security_enabled': `${ADMIN_OR_SERVICE} or ${NET_OWNER_MEMBER}`,
  'network:update_port:binding:host_id': ADMIN_OR_SERVICE,
  'network:update_port:binding:profile': ADMIN_OR_SERVICE,
  'network:update_port:allowed_address_pairs': `${ADMIN_OR_NET_OWNER_MEMBER} or ${SERVICE}`,
  'network:delete_port': `${ADMIN_OR_SERVICE} or ${NET_OWNER_MEMBER} or ${PROJECT_MEMBER}`,

  'network:create_router': ADMIN_OR_PROJECT_MEMBER,
  'network:create_router:distributed': ADMIN,
  'network:create_router:ha': ADMIN,
  'network:create_router:external_gateway_info:enable_snat': ADMIN,
  'network:create_router:external_gateway_info:external_fixed_ips': ADMIN,
  'network:get_router': ADMIN_OR_PROJECT_READER,
  'network:get_router:distributed': ADMIN,
  'network:get_router:ha': ADMIN,
  'network:update_router': ADMIN_OR_PROJECT_MEMBER,
  'network:update_router:distributed': ADMIN,
  'network:update_router:ha': ADMIN,
  'network:update_router:external_gateway_info:enable_snat': ADMIN,
  'network:update_router:external_gateway_info:external_fixed_ips': ADMIN,
  'network:delete_router': ADMIN_OR_PROJECT_MEMBER,
  'network:add_router_interface': ADMIN_OR_PROJECT_MEMBER,
  'network:remove_router_interface': ADMIN_OR_PROJECT_MEMBER,
  'network:add_extraroutes': ADMIN_OR_PROJECT_MEMBER,
  'network:remove_extraroutes': ADMIN_OR_PROJECT_MEMBER,

  'network:create_floatingip': ADMIN_OR_PROJECT_MEMBER,
  'network:create_floatingip:floating_ip_address': ADMIN,
  'network:get_floatingip': ADMIN_OR_PROJECT_READER,
  'network:update_floatingip': ADMIN_OR_PROJECT_MEMBER,
  'network:delete_floatingip': ADMIN_OR_PROJECT_MEMBER,

  'network:create_floatingip_port_forwarding': `${ADMIN} or ${PARENT_OWNER_MEMBER}`,
  'network:get_floatingip_port_forwarding': `${ADMIN} or ${PARENT_OWNER_READER}`,
  'network:update_floatingip_port_forwarding': `${ADMIN} or ${PARENT_OWNER_MEMBER}`,
  'network:delete_floatingip_port_forwarding': `${ADMIN} or ${PARENT_OWNER_MEMBER}`,

  'network:create_security_group': ADMIN_OR_PROJECT_MEMBER,
  'network:get_security_group': ADMIN_OR_PROJECT_READER,
  'network:update_security_group': ADMIN_OR_PROJECT_MEMBER,
  'network:delete_security_group': ADMIN_OR_PROJECT_MEMBER,
  'network:create_security_group_rule': `${ADMIN} or ${SG_OWNER_MEMBER}`,
  'network:get_security_group_rule': `${ADMIN} or ${SG_OWNER_READER}`,
  'network:delete_security_group_rule': `${ADMIN} or ${SG_OWNER_MEMBER}`,

  'network:create_rbac_policy': ADMIN_OR_PROJECT_MEMBER,
  'network:create_rbac_policy:target_tenant': `${ADMIN} or not True:%(wildcard)s`,
  'network:get_rbac_policy': ADMIN_OR_PROJECT_READER,
  'network:update_rbac_policy': ADMIN_OR_PROJECT_MEMBER,
  'network:update_rbac_policy:target_tenant': `${ADMIN} or not True:%(wildcard)s`,
  'network:delete_rbac_policy': ADMIN_OR_PROJECT_MEMBER,

  'network:create_subnetpool': ADMIN_OR_PROJECT_MEMBER,
  'network:create_subnetpool:shared': ADMIN,
  'network:create_subnetpool:is_default': ADMIN,
  'network:get_subnetpool': `${ADMIN_OR_PROJECT_READER} or ${SHARED}`,
  'network:update_subnetpool': ADMIN_OR_PROJECT_MEMBER,
  'network:update_subnetpool:is_default': ADMIN,
  'network:delete_subnetpool': ADMIN_OR_PROJECT_MEMBER,

  'network:get_auto_allocated_topology': ADMIN_OR_PROJECT_READER,
  'network:delete_auto_allocated_topology': ADMIN_OR_PROJECT_MEMBER,

  // Service providers belong to no project: any reader (Neutron's rule has no project check).
  'network:get_service_provider': 'role:reader',
  'network:create_flavor': ADMIN,
  'network:get_flavor': 'role:reader',
  'network:update_flavor': ADMIN,
  'network:delete_flavor': ADMIN,
  'network:create_service_profile': ADMIN,
  'network:get_service_profile': ADMIN,
  'network:update_service_profile': ADMIN,
  'network:delete_service_profile': ADMIN,
  'network:create_flavor_service_profile': ADMIN,
  'network:delete_flavor_service_profile': ADMIN,
  'network:add_prefixes': ADMIN_OR_PROJECT_MEMBER,
  'network:remove_prefixes': ADMIN_OR_PROJECT_MEMBER,

  'network:create_address_scope': ADMIN_OR_PROJECT_MEMBER,
  'network:create_address_scope:shared': ADMIN,
  'network:get_address_scope': `${ADMIN_OR_PROJECT_READER} or ${SHARED}`,
  'network:update_address_scope': ADMIN_OR_PROJECT_MEMBER,
  'network:update_address_scope:shared': ADMIN,
  'network:delete_address_scope': ADMIN_OR_PROJECT_MEMBER,

  'network:get_quota': ADMIN_OR_PROJECT_READER,
  'network:update_quota': ADMIN,
  'network:delete_quota': ADMIN,

  'network:get_network_ip_availability': ADMIN_OR_SERVICE,

  'network:create_metering_label': ADMIN,
  'network:get_metering_label': ADMIN,
  'network:delete_metering_label': ADMIN,
  'network:create_metering_label_rule': ADMIN,
  'network:get_metering_label_rule': ADMIN,
  'network:delete_metering_label_rule': ADMIN,

  // QoS (neutron/conf/policies/qos.py): admins write, readers of the policy's project (or anyone, when shared) read.
  'network:get_policy': `${ADMIN_OR_PROJECT_READER} or ${SHARED}`,
  'network:create_policy': ADMIN,
  'network:update_policy': ADMIN,
  'network:delete_policy': ADMIN,
  'network:get_rule_type': 'role:admin',
  ...Object.fromEntries(
    ['bandwidth_limit', 'dscp_marking', 'minimum_bandwidth'].flatMap((type) => [
      [`network:get_policy_${type}_rule`, `${ADMIN_OR_PROJECT_READER} or ${SHARED}`],
      [`network:create_policy_${type}_rule`, ADMIN],
      [`network:update_policy_${type}_rule`, ADMIN],
      [`network:delete_policy_${type}_rule`, ADMIN],
    ]),
  ),

  // Segments (neutron/conf/policies/segment.py): admins only, reads included.
  'network:create_segment': ADMIN,
  'network:get_segment': ADMIN,
  'network:update_segment': ADMIN,
  'network:delete_segment': ADMIN,

  'network:get_agent': ADMIN,
  'network:update_agent': ADMIN,
  'network:delete_agent': ADMIN,
  'network:get_dhcp-networks': ADMIN,
  'network:create_dhcp-network': ADMIN,
  'network:delete_dhcp-network': ADMIN,
  'network:get_dhcp-agents': ADMIN,
  'network:get_l3-routers': ADMIN,
  'network:create_l3-router': ADMIN,
  'network:delete_l3-router': ADMIN,
  'network:get_l3-agents': ADMIN,

  ...Object.fromEntries(
    TAGGED.flatMap((kind) => [
      [`network:update_${kind}:tags`, `rule:network:update_${kind}`],
      [`network:delete_${kind}:tags`, `rule:network:update_${kind}`],
    ]),
  ),
};

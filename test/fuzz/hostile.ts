/**
 * What an attacker sends: values of the wrong type, numbers at the edges of
 * every integer width, strings with NULs, lone surrogates, traversal and
 * control characters, huge strings and nesting just under the parser's limit.
 */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Field names the OpenStack APIs take, so hostile values land where services read them. */
export const FIELD_NAMES = [
  // shared
  'id', 'name', 'description', 'project_id', 'tenant_id', 'user_id', 'domain_id', 'enabled', 'tags', 'metadata',
  'status', 'size', 'type', 'host', 'force', 'admin_state_up', 'shared', 'is_public', 'visibility',
  // compute
  'flavorRef', 'imageRef', 'min_count', 'max_count', 'networks', 'uuid', 'port', 'fixed_ip', 'security_groups',
  'user_data', 'key_name', 'availability_zone', 'block_device_mapping_v2', 'source_type', 'destination_type',
  'boot_index', 'volume_size', 'delete_on_termination', 'personality', 'path', 'contents', 'config_drive', 'OS-DCF:diskConfig',
  'ram', 'vcpus', 'disk', 'swap', 'rxtx_factor', 'os-flavor-access:is_public', 'public_key', 'adminPass',
  'policies', 'policy', 'rules', 'max_server_per_host', 'instances', 'cores', 'key_pairs', 'server_groups',
  'server_group_members', 'metadata_items', 'injected_files', 'block_migration', 'disk_over_commit',
  'rescue_image_ref', 'backup_type', 'rotation', 'length', 'console', 'protocol', 'volumeId', 'device', 'tag',
  'net_id', 'port_id', 'fixed_ips', 'ip_address', 'hosts', 'forced_down', 'disabled_reason', 'state',
  // network
  'network_id', 'subnet_id', 'cidr', 'ip_version', 'gateway_ip', 'allocation_pools', 'start', 'end',
  'dns_nameservers', 'host_routes', 'destination', 'nexthop', 'enable_dhcp', 'mac_address', 'device_id',
  'device_owner', 'router:external', 'external_gateway_info', 'routes', 'floating_network_id',
  'floating_ip_address', 'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id', 'direction',
  'ethertype', 'security_group_id', 'prefixes', 'min_prefixlen', 'max_prefixlen', 'default_prefixlen',
  'address_scope_id', 'subnetpool_id', 'prefixlen', 'object_type', 'object_id', 'action', 'target_tenant',
  'internal_port_id', 'internal_ip_address', 'internal_port', 'external_port', 'mtu', 'port_security_enabled',
  'allowed_address_pairs', 'extra_dhcp_opts', 'binding:host_id', 'binding:profile', 'provider:network_type',
  'provider:segmentation_id', 'network', 'subnet', 'floatingip', 'security_group', 'security_group_rule',
  // volume
  'volume_id', 'snapshot_id', 'image_id', 'backup_id', 'volume_type', 'source_volid', 'container', 'incremental',
  'new_size', 'attach_status', 'mountpoint', 'instance_uuid', 'connector', 'connection_info', 'mode', 'bootable',
  'readonly', 'new_type', 'migration_policy', 'image_name', 'extra_specs', 'keys', 'specs', 'consumer', 'auth_key',
  'volumes', 'gigabytes', 'snapshots', 'backups', 'backup_gigabytes', 'per_volume_gigabytes', 'multiattach',
  // image
  'disk_format', 'container_format', 'protected', 'member', 'min_disk', 'min_ram', 'os_hidden', 'input', 'method',
  'stores', 'op', 'value', 'from',
  // placement
  'resource_providers', 'inventories', 'total', 'reserved', 'min_unit', 'max_unit', 'step_size',
  'allocation_ratio', 'resource_provider_generation', 'allocations', 'resources', 'consumer_generation',
  'parent_provider_uuid', 'traits', 'aggregates', 'mappings', 'consumer_type',
  // identity
  'password', 'original_password', 'identity', 'methods', 'scope', 'domain', 'project', 'system', 'unscoped',
  'parent_id', 'is_domain', 'options', 'blob', 'roles', 'expires_at', 'secret', 'unrestricted',
  'access_rules', 'role_id', 'group_id', 'service_id', 'region_id', 'interface', 'url', 'resource_name',
  'default_limit', 'resource_limit', 'parent_region_id', 'token', 'application_credential', 'totp', 'passcode',
];

/** Root keys that services expect, by the path segment the route ends in. */
export const ACTION_NAMES: Record<string, string[]> = {
  compute: [
    'reboot', 'os-start', 'os-stop', 'resize', 'confirmResize', 'revertResize', 'createImage', 'createBackup',
    'rebuild', 'changePassword', 'lock', 'unlock', 'pause', 'unpause', 'suspend', 'resume', 'shelve',
    'shelveOffload', 'unshelve', 'rescue', 'unrescue', 'migrate', 'os-migrateLive', 'evacuate', 'os-resetState',
    'injectNetworkInfo', 'resetNetwork', 'forceDelete', 'restore', 'addSecurityGroup', 'removeSecurityGroup',
    'addFloatingIp', 'removeFloatingIp', 'addFixedIp', 'removeFixedIp', 'trigger_crash_dump',
    'os-getConsoleOutput', 'os-getVNCConsole', 'os-getSerialConsole', 'os-getSPICEConsole', 'force_complete',
    'add_host', 'remove_host', 'set_metadata', 'addTenantAccess', 'removeTenantAccess', 'os-resetState',
  ],
  volume: [
    'os-extend', 'os-attach', 'os-detach', 'os-reserve', 'os-unreserve', 'os-begin_detaching', 'os-roll_detaching',
    'os-reset_status', 'os-set_bootable', 'os-update_readonly_flag', 'os-retype', 'os-volume_upload_image',
    'os-force_delete', 'os-force_detach', 'os-initialize_connection', 'os-terminate_connection', 'revert',
    'os-set_image_metadata', 'os-unset_image_metadata', 'os-show_image_metadata', 'os-update_snapshot_status',
    'os-complete', 'addProjectAccess', 'removeProjectAccess', 'os-migrate_volume', 'os-unmanage', 'restore',
    'accept', 'transfer', 'backup', 'attachment', 'snapshot', 'volume', 'qos_specs', 'volume_type', 'quota_set',
  ],
};

const EDGE_NUMBERS = [0, -1, 1, 0.5, -0.5, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53 + 1, -(2 ** 53) - 1, 1e308, -1e308, 1e-308, 9.99e99];

/** Strings a service must refuse or store safely; every one is valid JSON once stringified. */
export const EDGE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '..', '../../../../etc/passwd', '/', '//', '\\',
  '%00', '%2e%2e%2f', '%ff', '\r\n', '\t', 'null', 'true', '-1', '1e308', 'NaN', '0x10', '00000000-0000-0000-0000-000000000000',
  '🔥'.repeat(64), 'ʼ\u202e', "' OR '1'='1", '<script>', '{{7*7}}', '$(id)', 'a'.repeat(256), 'b'.repeat(4097),
  '10.0.0.0/8', '0.0.0.0/0', '::/0', '256.1.1.1', '10.0.0.1/33', 'fe80::1%eth0', 'ff:ff:ff:ff:ff:ff', '01:00:00:00:00:00',
];

const HUGE = 'x'.repeat(70_000);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant(HUGE) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** Nested just under core's depth limit: whatever walks it must not recurse badly. */
function nestedJson(depth: number): Json {
  let value: Json = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileNumber,
  hostileString,
);

export const hostileValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { weight: 6, arbitrary: scalar },
    { weight: 1, arbitrary: fc.constantFrom<Json>([], {}, [null], { '': null }, nestedJson(60)) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie('value'), { maxKeys: 3 }) },
  ),
})).value;

/** An object of known field names with hostile values, sometimes with a plausible one beside them. */
export function hostileObject(plausible: fc.Arbitrary<Json>): fc.Arbitrary<Record<string, Json>> {
  return fc.dictionary(
    fc.constantFrom(...FIELD_NAMES),
    fc.oneof({ weight: 3, arbitrary: hostileValue }, { weight: 1, arbitrary: plausible }),
    { minKeys: 1, maxKeys: 6 },
  );
}

/** `collections` → `collection`, as OpenStack names a request body's root key after its route. */
export function singular(segment: string): string {
  const bare = segment.replace(/^os-/, '').replaceAll('-', '_');
  if (bare.endsWith('ies')) return `${bare.slice(0, -3)}y`;
  if (bare.endsWith('sses')) return bare.slice(0, -2);
  if (bare.endsWith('s')) return bare.slice(0, -1);
  return bare;
}

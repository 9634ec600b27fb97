/**
 * One or more valid bodies for the routes that take the richest input, keyed
 * by `METHOD pattern`. The fuzzer mutates them one node at a time, which
 * reaches the code behind validation far more often than random field names.
 * `$name` strings stand for fixture ids (see fixtures.ts `byName`); `$unique`
 * for a name no earlier request used, so that a create is not refused as a
 * duplicate before the mutated field is read.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SERVER_ACTIONS: Json[] = [
  { reboot: { type: 'SOFT' } },
  { 'os-stop': null },
  { 'os-start': null },
  { resize: { flavorRef: '$flavor' } },
  { confirmResize: null },
  { createImage: { name: 'snap', metadata: { a: 'b' } } },
  { createBackup: { name: 'b', backup_type: 'daily', rotation: 1 } },
  { rebuild: { imageRef: '$image', name: 'r' } },
  { changePassword: { adminPass: 'secret' } },
  { lock: { locked_reason: 'why' } },
  { pause: null },
  { suspend: null },
  { shelve: null },
  { unshelve: { availability_zone: 'nova' } },
  { rescue: { adminPass: 'x', rescue_image_ref: '$image' } },
  { migrate: { host: 'fake-0' } },
  { 'os-migrateLive': { host: null, block_migration: 'auto' } },
  { evacuate: { host: 'fake-0' } },
  { 'os-resetState': { state: 'error' } },
  { addSecurityGroup: { name: 'fuzz' } },
  { removeSecurityGroup: { name: 'default' } },
  { 'os-getConsoleOutput': { length: 50 } },
  { 'os-getVNCConsole': { type: 'novnc' } },
  { addFloatingIp: { address: '172.24.4.10' } },
  { trigger_crash_dump: null },
];

const VOLUME_ACTIONS: Json[] = [
  { 'os-extend': { new_size: 2 } },
  { 'os-reserve': {} },
  { 'os-attach': { instance_uuid: '$server', mountpoint: '/dev/vdb' } },
  { 'os-detach': { attachment_id: '$server' } },
  { 'os-reset_status': { status: 'available', attach_status: 'detached' } },
  { 'os-set_bootable': { bootable: true } },
  { 'os-update_readonly_flag': { readonly: true } },
  { 'os-retype': { new_type: 'lvmdriver-1', migration_policy: 'never' } },
  { 'os-volume_upload_image': { image_name: 'up', disk_format: 'raw', container_format: 'bare', force: false } },
  { 'os-initialize_connection': { connector: { host: 'h', initiator: 'iqn' } } },
  { 'os-set_image_metadata': { metadata: { a: 'b' } } },
  { 'os-unset_image_metadata': { key: 'a' } },
  { revert: { snapshot_id: '$snapshot' } },
  { 'os-force_delete': {} },
];

export const EXAMPLES: Record<string, Json[]> = {
  'POST /identity/v3/auth/tokens': [
    {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'demo', domain: { id: 'default' }, password: '$demoPassword' } } },
        scope: { project: { name: 'demo', domain: { id: 'default' } } },
      },
    },
    { auth: { identity: { methods: ['token'], token: { id: 'x' } }, scope: { system: { all: true } } } },
    { auth: { identity: { methods: ['application_credential'], application_credential: { id: 'x', secret: 'y' } } } },
  ],
  'POST /identity/v3/projects': [{ project: { name: '$unique', parent_id: '$project', domain_id: 'default', tags: ['a'], is_domain: false } }],
  'POST /identity/v3/users': [{ user: { name: '$unique', password: 'p', default_project_id: '$project', options: { ignore_lockout_failure_attempts: true } } }],
  'POST /identity/v3/users/:id/password': [{ user: { original_password: 'a', password: 'b' } }],
  'POST /identity/v3/credentials': [{ credential: { type: 'ec2', user_id: '$user', project_id: '$project', blob: '{"access": "a", "secret": "s"}' } }],
  'POST /identity/v3/users/:user_id/application_credentials': [
    {
      application_credential: {
        name: '$unique',
        roles: [{ name: 'member' }],
        expires_at: '2030-01-01T00:00:00',
        access_rules: [{ service: 'compute', method: 'GET', path: '/v2.1/servers' }],
      },
    },
  ],
  'POST /identity/v3/limits': [{ limits: [{ service_id: '$service', project_id: '$project', resource_name: 'r', resource_limit: 1 }] }],
  'POST /compute/v2.1/servers': [
    {
      server: {
        name: 's',
        flavorRef: '$flavor',
        imageRef: '$image',
        networks: [{ uuid: '$network' }],
        min_count: 1,
        max_count: 2,
        metadata: { a: 'b' },
        user_data: 'aGk=',
        security_groups: [{ name: 'default' }],
        key_name: 'fuzz',
      },
    },
    {
      server: {
        name: 's',
        flavorRef: '$flavor',
        block_device_mapping_v2: [{ boot_index: 0, uuid: '$image', source_type: 'image', destination_type: 'volume', volume_size: 1 }],
        networks: 'auto',
      },
    },
    {
      server: { name: 's', flavorRef: '$flavor', imageRef: '$image', networks: [{ port: '$port' }], personality: [{ path: '/etc/a', contents: 'aGk=' }] },
      'os:scheduler_hints': { group: '$server' },
    },
  ],
  'POST /compute/v2.1/servers/:id/action': SERVER_ACTIONS,
  'PUT /compute/v2.1/servers/:id': [{ server: { name: 'n', description: 'd', accessIPv4: '1.2.3.4' } }],
  'POST /compute/v2.1/servers/:id/metadata': [{ metadata: { a: 'b' } }],
  'POST /compute/v2.1/flavors': [{ flavor: { name: '$unique', ram: 64, vcpus: 1, disk: 1, 'os-flavor-access:is_public': true, swap: 0, rxtx_factor: 1 } }],
  'POST /compute/v2.1/os-keypairs': [{ keypair: { name: '$unique', public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC8x fuzz', type: 'ssh' } }],
  'POST /compute/v2.1/os-server-groups': [
    { server_group: { name: '$unique', policies: ['anti-affinity'] } },
    { server_group: { name: '$unique', policy: 'anti-affinity', rules: { max_server_per_host: 1 } } },
  ],
  'POST /compute/v2.1/os-aggregates/:id/action': [{ add_host: { host: 'fake-0' } }, { set_metadata: { metadata: { a: 'b' } } }],
  'PUT /compute/v2.1/os-quota-sets/:project': [{ quota_set: { instances: 5, cores: 10, ram: 1024, force: true } }],
  'POST /compute/v2.1/servers/:id/os-interface': [
    { interfaceAttachment: { net_id: '$network', fixed_ips: [{ ip_address: '10.0.0.50' }] } },
    { interfaceAttachment: { port_id: '$port' } },
  ],
  'POST /compute/v2.1/servers/:id/os-volume_attachments': [
    { volumeAttachment: { volumeId: '$volume', device: '/dev/vdb', tag: 't', delete_on_termination: true } },
  ],
  'POST /network/v2.0/networks': [{ network: { name: 'n', admin_state_up: true, mtu: 1400, port_security_enabled: true, 'provider:network_type': 'vxlan' } }],
  'POST /network/v2.0/subnets': [
    {
      subnet: {
        network_id: '$network',
        cidr: '10.9.0.0/24',
        ip_version: 4,
        allocation_pools: [{ start: '10.9.0.10', end: '10.9.0.20' }],
        dns_nameservers: ['10.9.0.1'],
        host_routes: [{ destination: '10.8.0.0/24', nexthop: '10.9.0.1' }],
        gateway_ip: '10.9.0.1',
      },
    },
    { subnet: { network_id: '$network', ip_version: 6, subnetpool_id: 'prefix_delegation', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' } },
  ],
  'POST /network/v2.0/ports': [
    {
      port: {
        network_id: '$network',
        fixed_ips: [{ subnet_id: '$subnet', ip_address: '10.0.0.77' }],
        mac_address: 'fa:16:3e:00:00:01',
        allowed_address_pairs: [{ ip_address: '10.0.0.0/24' }],
        extra_dhcp_opts: [{ opt_name: 'mtu', opt_value: '1400' }],
        security_groups: ['$group'],
        'binding:host_id': 'fake-0',
      },
    },
  ],
  'PUT /network/v2.0/ports/:id': [{ port: { name: 'p', fixed_ips: [{ subnet_id: '$subnet' }], device_id: '$server', device_owner: 'compute:nova' } }],
  'POST /network/v2.0/routers': [
    { router: { name: 'r', external_gateway_info: { network_id: '$public', enable_snat: true, external_fixed_ips: [{ subnet_id: '$publicSubnet' }] } } },
  ],
  'PUT /network/v2.0/routers/:id': [
    { router: { routes: [{ destination: '10.8.0.0/24', nexthop: '10.0.0.5' }], external_gateway_info: { network_id: '$public' } } },
  ],
  'PUT /network/v2.0/routers/:id/add_router_interface': [{ subnet_id: '$subnet' }, { port_id: '$port' }],
  'PUT /network/v2.0/routers/:id/remove_router_interface': [{ subnet_id: '$subnet' }, { port_id: '$port' }],
  'PUT /network/v2.0/routers/:id/add_extraroutes': [{ router: { routes: [{ destination: '10.8.0.0/24', nexthop: '10.0.0.5' }] } }],
  'POST /network/v2.0/floatingips': [
    { floatingip: { floating_network_id: '$public', port_id: '$port', fixed_ip_address: '10.0.0.77', floating_ip_address: '172.24.4.99' } },
  ],
  'PUT /network/v2.0/floatingips/:id': [{ floatingip: { port_id: '$port' } }],
  'POST /network/v2.0/floatingips/:fip/port_forwardings': [
    { port_forwarding: { protocol: 'tcp', internal_port: 22, external_port: 2222, internal_ip_address: '10.0.0.77', internal_port_id: '$port' } },
  ],
  'POST /network/v2.0/security-group-rules': [
    {
      security_group_rule: {
        security_group_id: '$group',
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: 'tcp',
        port_range_min: 80,
        port_range_max: 81,
        remote_ip_prefix: '10.0.0.0/8',
      },
    },
  ],
  'POST /network/v2.0/rbac-policies': [{ rbac_policy: { object_type: 'network', object_id: '$network', action: 'access_as_shared', target_tenant: '*' } }],
  'POST /network/v2.0/subnetpools': [
    { subnetpool: { name: '$unique', prefixes: ['10.100.0.0/16'], default_prefixlen: 24, min_prefixlen: 8, max_prefixlen: 28 } },
  ],
  'PUT /network/v2.0/subnetpools/:id/add_prefixes': [{ prefixes: ['10.101.0.0/16'] }],
  'PUT /network/v2.0/quotas/:project': [{ quota: { network: 5, port: 10, floatingip: -1 } }],
  'PUT /network/v2.0/networks/:id/tags': [{ tags: ['a', 'b'] }],
  'POST /volume/v3/:project_id/volumes': [
    { volume: { size: 1, name: 'v', imageRef: '$image', volume_type: 'lvmdriver-1', metadata: { a: 'b' }, availability_zone: 'nova', multiattach: false } },
    { volume: { size: 1, snapshot_id: '$snapshot' } },
    { volume: { source_volid: '$volume' } },
    { volume: { backup_id: '$volume' } },
  ],
  'POST /volume/v3/:project_id/volumes/:id/action': VOLUME_ACTIONS,
  'POST /volume/v3/:project_id/snapshots': [{ snapshot: { volume_id: '$volume', name: 's', force: true, metadata: { a: 'b' } } }],
  'POST /volume/v3/:project_id/backups': [
    { backup: { volume_id: '$volume', container: 'c', name: 'b', incremental: false, force: true, snapshot_id: '$snapshot' } },
  ],
  'POST /volume/v3/:project_id/backups/:id/restore': [{ restore: { volume_id: '$volume', name: 'r' } }],
  'POST /volume/v3/:project_id/attachments': [{ attachment: { volume_uuid: '$volume', instance_uuid: '$server', connector: { host: 'h' }, mode: 'rw' } }],
  'POST /volume/v3/:project_id/types': [{ volume_type: { name: '$unique', extra_specs: { a: 'b' }, 'os-volume-type-access:is_public': true } }],
  'POST /volume/v3/:project_id/qos-specs': [{ qos_specs: { name: '$unique', consumer: 'back-end', read_iops_sec: '100' } }],
  'POST /volume/v3/:project_id/volume-transfers': [{ transfer: { volume_id: '$volume', name: 't', no_snapshots: true } }],
  'PUT /volume/v3/:project_id/os-quota-sets/:tenant': [{ quota_set: { volumes: 5, gigabytes: 10, snapshots: -1 } }],
  'POST /image/v2/images': [
    {
      name: 'i',
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'shared',
      min_ram: 1,
      tags: ['a'],
      protected: false,
      id: '$uuid',
      os_hidden: false,
      prop: 'v',
    },
  ],
  'PATCH /image/v2/images/:id': [
    [
      { op: 'replace', path: '/name', value: 'n' },
      { op: 'add', path: '/prop', value: 'v' },
      { op: 'remove', path: '/prop' },
    ],
  ],
  'POST /image/v2/images/:id/members': [{ member: '$project' }],
  'POST /image/v2/images/:id/import': [
    { method: { name: 'web-download', uri: 'http://127.0.0.1:1/x' } },
    { method: { name: 'glance-direct' }, stores: ['file'] },
  ],
  'POST /placement/resource_providers': [{ name: 'rp', uuid: '$uuid', parent_provider_uuid: '$uuid' }],
  'PUT /placement/resource_providers/:uuid/inventories': [
    { resource_provider_generation: 0, inventories: { VCPU: { total: 8, reserved: 0, min_unit: 1, max_unit: 8, step_size: 1, allocation_ratio: 16 } } },
  ],
  'PUT /placement/allocations/:consumer': [
    { allocations: { $uuid: { resources: { VCPU: 1 } } }, project_id: '$project', user_id: '$user', consumer_generation: null },
  ],
  'POST /placement/allocations': [
    { $uuid: { allocations: { $uuid: { resources: { VCPU: 1 } } }, project_id: '$project', user_id: '$user', consumer_generation: null } },
  ],
  'POST /placement/reshaper': [{ inventories: { $uuid: { resource_provider_generation: 0, inventories: {} } }, allocations: {} }],
  'PUT /placement/resource_providers/:uuid/traits': [{ resource_provider_generation: 0, traits: ['HW_CPU_X86_AVX'] }],
  // A Static Large Object manifest (Swift's SLO), one segment.
  'PUT /object-store/v1/*': [[{ path: '/fuzz/object', etag: null, size_bytes: null, range: '0-1' }]],
  'PUT /placement/resource_providers/:uuid/aggregates': [{ resource_provider_generation: 0, aggregates: ['$uuid'] }],
};

/**
 * Paths for examples whose route is a wildcard (Swift's): where the example is sent.
 */
export const EXAMPLE_PATHS: Record<string, string> = {
  'PUT /object-store/v1/*': '/object-store/v1/AUTH_$project/fuzz/manifest?multipart-manifest=put',
};

/** Replaces `$name` strings (values and keys) with the fixture ids they stand for. */
export function resolvePlaceholders(value: Json, ids: Record<string, string>): Json {
  if (typeof value === 'string') return value.startsWith('$') ? (ids[value.slice(1)] ?? value) : value;
  if (Array.isArray(value)) return value.map((item) => resolvePlaceholders(item, ids));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.startsWith('$') ? (ids[k.slice(1)] ?? k) : k, resolvePlaceholders(v, ids)]));
}

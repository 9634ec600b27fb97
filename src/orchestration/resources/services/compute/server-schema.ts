/**
 * OS::Nova::Server's property and attribute schemas, as Heat publishes them,
 * less what this cloud's compute service cannot do through its operations
 * (personality files, interface hot-plug, tag and password updates): those
 * properties are absent, or not updatable (changing them replaces the server).
 */
import { allowed, attribute, boolean, custom, hidden, integer, listOf, map, string, stringList } from '../schema.js';

const NETWORK_KEYS = {
  uuid: hidden(string('ID of network to create a port on.', { constraints: [custom('neutron.network')] }), '5.0.0', 'network'),
  network: string('Name or ID of network to create a port on.', { constraints: [custom('neutron.network')] }),
  allocate_network: string(
    'The special string values of network, auto: means either a network that is already available to the project will be used, or if one does not exist, will be automatically created for the project; none: means no networking will be allocated for the created server.',
    {
      constraints: [allowed('none', 'auto')],
    },
  ),
  fixed_ip: string('Fixed IP address to specify for the port created on the requested network.'),
  port: string('ID of an existing port to associate with this server.', { constraints: [custom('neutron.port')] }),
  subnet: string('Subnet in which to allocate the IP address for port. Used for creating port, based on derived properties.', {
    constraints: [custom('neutron.subnet')],
  }),
  floating_ip: string('ID of the floating IP to associate.'),
  tag: string('Port tag. Heat ignores any update on this property as nova does not support it.'),
};

const BDM_V2_KEYS = {
  device_name: string('A device name where the volume will be attached in the system at /dev/device_name.'),
  volume_id: string('The volume_id can be boot or non-boot device to the server.', { constraints: [custom('cinder.volume')] }),
  image: string('The ID or name of the image to create a volume from.', { constraints: [custom('glance.image')] }),
  snapshot_id: string('The ID of the snapshot to create a volume from.', { constraints: [custom('cinder.snapshot')] }),
  swap_size: integer('The size of the swap, in MB.'),
  ephemeral_size: integer('The size of the local ephemeral block device, in GB.'),
  ephemeral_format: string('The format of the local ephemeral block device.', { constraints: [allowed('ext2', 'ext3', 'ext4', 'xfs', 'ntfs')] }),
  boot_index: integer('Integer used for ordering the boot disks.'),
  volume_size: integer('Size of the block device in GB. If it is omitted, hypervisor driver calculates size.'),
  delete_on_termination: boolean('Indicate whether the volume should be deleted when the server is terminated.'),
};

export const serverProperties = {
  name: string('Server name.', { updateAllowed: true }),
  image: string('The ID or name of the image to boot with.', { updateAllowed: true, constraints: [custom('glance.image')] }),
  block_device_mapping_v2: listOf('Block device mappings v2 for this server.', BDM_V2_KEYS),
  flavor: string('The ID or name of the flavor to boot onto.', { required: true, updateAllowed: true, constraints: [custom('nova.flavor')] }),
  flavor_update_policy: string('Policy on how to apply a flavor update; either by requesting a server resize or by replacing the entire server.', {
    default: 'RESIZE',
    updateAllowed: true,
    constraints: [allowed('RESIZE', 'REPLACE')],
  }),
  image_update_policy: string('Policy on how to apply an image-id update; either by requesting a server rebuild or by replacing the entire server.', {
    default: 'REBUILD',
    updateAllowed: true,
    constraints: [allowed('REBUILD', 'REPLACE', 'REBUILD_PRESERVE_EPHEMERAL')],
  }),
  key_name: string('Name of keypair to inject into the server.', { constraints: [custom('nova.keypair')] }),
  availability_zone: string('Name of the availability zone for server placement.'),
  security_groups: stringList(
    'List of security group names or IDs. Cannot be used if neutron ports are associated with this server; assign security groups to the ports instead.',
    { default: [] },
  ),
  networks: listOf('An ordered list of nics to be added to this server, with information about connected networks, fixed ips, port etc.', NETWORK_KEYS),
  scheduler_hints: map('Arbitrary key-value pairs specified by the client to help boot a server.'),
  metadata: map(
    'Arbitrary key/value metadata to store for this server. Both keys and values must be 255 characters or less. Non-string values will be serialized to JSON (and the serialized string must be 255 characters or less).',
    {
      updateAllowed: true,
      default: {},
    },
  ),
  user_data_format: string(
    'How the user_data should be formatted for the server. For HEAT_CFNTOOLS, the user_data is bundled as part of the heat-cfntools cloud-init boot configuration data. For RAW the user_data is passed to Nova unmodified. For SOFTWARE_CONFIG user_data is bundled as part of the software config data, and metadata is derived from any associated SoftwareDeployment resources.',
    {
      default: 'HEAT_CFNTOOLS',
      constraints: [allowed('HEAT_CFNTOOLS', 'RAW', 'SOFTWARE_CONFIG')],
    },
  ),
  software_config_transport: string('How the server should receive the metadata required for software configuration.', {
    default: 'POLL_SERVER_CFN',
    updateAllowed: true,
    constraints: [allowed('POLL_SERVER_CFN', 'POLL_SERVER_HEAT', 'POLL_TEMP_URL', 'ZAQAR_MESSAGE')],
  }),
  user_data_update_policy: string('Policy on how to apply a user_data update; either by ignoring it or by replacing the entire server.', {
    default: 'REPLACE',
    updateAllowed: true,
    constraints: [allowed('REPLACE', 'IGNORE')],
  }),
  user_data: string('User data script to be executed by cloud-init or CoreOS ignition.', { default: '', updateAllowed: true }),
  config_drive: boolean('If True, enable config drive on the server.'),
  admin_pass: string('The administrator password for the server.'),
  tags: stringList('Server tags. Supported since client version 2.26.'),
};

export const serverAttributes = {
  name: attribute('Name of the server.', 'string'),
  addresses: attribute(
    'A dict of all network addresses with corresponding port_id and subnets. Each network will have two keys in dict, they are network name and network id.',
    'map',
  ),
  networks: attribute(
    'A dict of assigned network addresses of the form: {"public": [ip1, ip2...], "private": [ip3, ip4], "public_uuid": [ip1, ip2...], "private_uuid": [ip3, ip4]}. Each network will have two keys in dict, they are network name and network id.',
    'map',
  ),
  first_address: attribute('Convenience attribute to fetch the first assigned network address, or an empty string if nothing has been assigned at this time.'),
  instance_name: attribute('AWS compatible instance name.', 'string'),
  accessIPv4: attribute('The manually assigned alternative public IPv4 address of the server.', 'string'),
  accessIPv6: attribute('The manually assigned alternative public IPv6 address of the server.', 'string'),
  tags: attribute('Tags from the server.', 'list'),
  os_collect_config: attribute(
    "The os-collect-config configuration for the server's local agent to be configured to connect to Heat to retrieve deployment data.",
    'map',
  ),
};

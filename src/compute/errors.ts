/**
 * Nova's error body (the common wsgi Fault: `{"itemNotFound": {"code": 404,
 * "message": "..."}}`, see core/http/wsgi-fault.ts) and the named errors the
 * compute service raises: one factory per Nova exception (nova/exception.py)
 * or API refusal, giving the status and Nova's message, grouped by resource.
 * Code raises these, never an inline message.
 */
import { BadRequest, Conflict, Forbidden, NotFound, NotImplemented, QuotaExceeded, ServiceUnavailable } from '../core/errors.js';
import { renderWsgiFault } from '../core/http/wsgi-fault.js';

/** Nova reports quota errors as 403 "Quota exceeded for ..." (overLimit with 413 only for rate limits). */
export const renderNovaError = renderWsgiFault;

export const novaErrors = {
  serverNotFound: (id: string) => new NotFound(`Instance ${id} could not be found.`),
  flavorNotFound: (id: string) => new NotFound(`Flavor ${id} could not be found.`),
  keypairNotFound: (name: string, userId: string) => new NotFound(`Keypair ${name} not found for user ${userId}`),
  imageNotFound: (id: string) => new NotFound(`Image ${id} could not be found.`),
  actionNotFound: (requestId: string, serverId: string) => new NotFound(`Action for request_id ${requestId} on instance ${serverId} not found`),
  networkNotFound: (id: string) => new BadRequest(`Network ${id} could not be found.`),
  invalidState: (action: string, serverId: string, attr: string, state: string) =>
    new Conflict(`Cannot '${action}' instance ${serverId} while it is in ${attr} ${state}`),
  locked: (serverId: string) => new Conflict(`Instance ${serverId} is locked`),
  policy: (action: string) => new Forbidden(`Policy doesn't allow ${action} to be performed.`),
  /** Nova's message and 403 for a quota over limit (nova/api/openstack/compute/servers.py). */
  quota: (error: QuotaExceeded) =>
    new Forbidden(`Quota exceeded for ${error.resource}: Requested ${error.requested}, but already used ${error.inUse} of ${error.limit} ${error.resource}`),
};

export const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';

/** Refusals of a request as a whole (Nova's API layer and common checks). */
export const requestErrors = {
  projectScopeRequired: () => new BadRequest('A project-scoped token is required.'),
  /** Nova's MarkerNotFound. */
  markerNotFound: (marker: string) => new BadRequest(`marker [${marker}] not found`),
  /** The older wording some listings kept (hypervisors, migrations). */
  markerCouldNotBeFound: (marker: string) => new BadRequest(`Marker ${marker} could not be found.`),
  /** A route that exists only from a later microversion. */
  resourceNotFound: () => new NotFound('The resource could not be found.'),
  noSuchAction: (action: string) => new BadRequest(`There is no such action: ${action}`),
  /** A server action body that is not one object with exactly one key. */
  malformedBody: () => new BadRequest('Malformed request body'),
  oneActionExpected: () => new BadRequest('Invalid request body: exactly one action is expected.'),
  /** A `PUT .../{key}` body naming more than the one key. */
  tooManyItems: () => new BadRequest('Request body contains too many items'),
  bodyUriMismatch: () => new BadRequest('Request body and URI mismatch'),
  /** A schema violation at the top of the document: jsonschema's bare message (api/schema.ts). */
  schemaViolation: (message: string) => new BadRequest(message),
  /** A field check a schema cannot make, worded as Nova words a schema violation. */
  invalidField: (field: string, value: string, message: string) => new BadRequest(`Invalid input for field/attribute ${field}. Value: ${value}. ${message}`),
  /** A value outside its field's range, where the schema could not tell (numbers sent as strings). */
  invalidValue: (field: string, value: string) => new BadRequest(`Invalid input for field/attribute ${field}. Value: ${value}.`),
  /** The imperative checks' words for jsonschema's required and additionalProperties (api/validate.ts). */
  requiredProperty: (key: string) => new BadRequest(`Invalid input for field/attribute ${key}. Value: None. '${key}' is a required property`),
  additionalProperties: (keys: string[], field: string) =>
    new BadRequest(
      `Additional properties are not allowed (${keys.map((k) => `'${k}'`).join(', ')} ${keys.length === 1 ? 'was' : 'were'} unexpected) in ${field}`,
    ),
  /** A query parameter its schema or check refuses (no integer, below its minimum, ...), with jsonschema's reason. */
  invalidQueryParameter: (key: string, value: string, message: string) =>
    new BadRequest(`Invalid input for query parameters ${key}. Value: ${value}. ${message}`),
  /** A query value outside a fixed set (sort keys, directions). */
  invalidQuery: (field: string, value: string) => new BadRequest(`Invalid input for query parameters ${field}. Value: ${value}.`),
  invalidQueryDateTime: (field: string, value: string) =>
    new BadRequest(`Invalid input for query parameters ${field}. Value: ${value}. '${value}' is not a 'date-time'`),
  invalidUuid: (id: string) => new BadRequest(`Invalid uuid ${id}`),
  invalidRegex: (field: string, pattern: string) => new BadRequest(`Invalid regular expression for ${field}: ${pattern}`),
  /** Nova's InvalidName (its `name` format of parameter_types.name). */
  invalidName: (field: string, value: string) =>
    new BadRequest(
      `Invalid input for field/attribute ${field}. Value: ${value}. An invalid name was given: leading/trailing whitespace or control characters are not allowed.`,
    ),
  /** novaclient's NoUniqueMatch, for a lookup by name that finds several. */
  ambiguousName: (kind: string, name: string) => new Conflict(`Multiple ${kind} matches found for '${name}', use an ID to be more specific.`),
  /** A NUL character in a query or body value (api/nul-guard.ts); `value` as JSON, cut short. */
  nulInQuery: (field: string, value: string) => new BadRequest(`Invalid input for query parameters ${field}. Value: ${value}. NUL characters are not allowed.`),
  nulInBody: (field: string, value: string) => new BadRequest(`Invalid input for field/attribute ${field}. Value: ${value}. NUL characters are not allowed.`),
  concurrentChange: (what: string) => new Conflict(`${what} is being changed by another request; try again.`),
};

export const keypairErrors = {
  nameUnsafe: () => new BadRequest('Keypair data is invalid: Keypair name contains unsafe characters'),
  invalidFingerprint: () => new BadRequest('Keypair data is invalid: failed to generate fingerprint'),
  /** Nova's KeyPairExists. */
  exists: (name: string) => new Conflict(`Key pair '${name}' already exists.`),
  /** Nova's KeypairLimitExceeded. */
  limitExceeded: () => new Forbidden('Quota exceeded, too many key pairs.'),
};

export const flavorErrors = {
  /** A flavor a server may not use is Nova's FlavorNotFound as a 400 at create (and resize). */
  unusable: (id: string) => new BadRequest(`Flavor ${id} could not be found.`),
  /** Nova's FlavorIdExists / FlavorExists. */
  idExists: (id: string) => new Conflict(`Flavor with ID ${id} already exists.`),
  nameExists: (name: string) => new Conflict(`Flavor with name ${name} already exists.`),
  idOrNameExists: (id: string, name: string) => new Conflict(`Flavor with ID ${id} or name ${name} already exists.`),
  /** Nova's FlavorExtraSpecsNotFound. */
  extraSpecNotFound: (id: string, key: string) => new NotFound(`Flavor ${id} has no extra specs with key ${key}.`),
  accessListPublic: () => new NotFound('Access list not available for public flavors.'),
  accessToPublic: () => new Conflict('Can not add access to a public flavor.'),
  /** Nova's FlavorAccessExists / FlavorAccessNotFound. */
  accessExists: (id: string, project: string) => new Conflict(`Flavor access already exists for flavor ${id} and project ${project} combination.`),
  accessNotFound: (id: string, project: string) => new NotFound(`Flavor access not found for ${id} / ${project} combination.`),
  updateNeeds255: () => new BadRequest('Updating a flavor requires microversion 2.55 or later.'),
};

export const aggregateErrors = {
  /** Nova's AggregateNotFound. */
  notFound: (id: number | string) => new NotFound(`Aggregate ${id} could not be found.`),
  /** Nova's AggregateNameExists. */
  nameExists: (name: string) => new Conflict(`Aggregate ${name} already exists.`),
  /** Nova's InvalidAggregateAction, by action. */
  cannotCreate: (name: string, reason: string) => new BadRequest(`Cannot create aggregate ${name}. Reason: ${reason}.`),
  cannotUpdate: (id: number, reason: string) => new BadRequest(`Cannot update aggregate ${id}. Reason: ${reason}.`),
  cannotUpdateMetadata: (id: number, reason: string) => new BadRequest(`Cannot update metadata of aggregate ${id}. Reason: ${reason}.`),
  notEmpty: (id: number) => new BadRequest(`Cannot remove aggregate ${id}. Reason: Host aggregate is not empty.`),
  /** Nova's AggregateHostExists. */
  hostExists: (id: number, host: string) => new Conflict(`Aggregate ${id} already has host ${host}.`),
  hostInOtherZones: (id: number, zones: string) =>
    new Conflict(`Cannot add host to aggregate ${id}. Reason: One or more hosts already in availability zone(s) ${zones}.`),
  cannotRemoveHost: (host: string, id: number | string) => new NotFound(`Cannot remove host ${host} in aggregate ${id}`),
  /** The images request (2.81): Nova's validate_integer on the id, its duplicate check, an image Glance does not show (400). */
  idNotInteger: () => new BadRequest('Invalid input received: id must be an integer'),
  duplicateImages: () => new BadRequest('Duplicate images in request'),
  imageNotFound: (id: string) => new BadRequest(`Image ${id} could not be found.`),
};

export const hostErrors = {
  /** Nova's ComputeHostNotFound / HostBinaryNotFound / ServiceNotFound. */
  computeHostNotFound: (host: string) => new NotFound(`Compute host ${host} could not be found.`),
  /** ComputeHostNotFound as live migration maps it: 400. */
  liveMigrateHostNotFound: (host: string) => new BadRequest(`Compute host ${host} could not be found.`),
  /** Evacuate's own words for an unknown target host. */
  evacuateHostNotFound: (host: string) => new NotFound(`Compute host ${host} not found.`),
  /** os-hosts: Nova's HostNotFound (a change to a host) and HostMappingNotFound (showing one). */
  hostNotFound: (host: string) => new NotFound(`Host ${host} could not be found.`),
  hostNotMapped: (host: string) => new NotFound(`Host '${host}' is not mapped to any cell`),
  hostBinaryNotFound: (host: string, binary: string) => new NotFound(`Compute host ${host} with binary ${binary} could not be found.`),
  serviceNotFound: (id: string | number) => new NotFound(`Service ${id} not found.`),
  serviceNotUpdatable: (binary: string) => new BadRequest(`Updating a ${binary} service is not supported. Only nova-compute services can be updated.`),
  /** The pre-2.53 os-services actions. */
  missingDisabledReason: () => new BadRequest('Missing disabled reason field'),
  missingForcedDown: () => new BadRequest('Missing forced_down field'),
  unknownServiceAction: () => new NotFound('Unknown action'),
  reasonNeedsDisabled: (status: 'enabled' | 'other') =>
    new BadRequest(
      status === 'enabled' ? "Specifying 'disabled_reason' with status 'enabled' is invalid." : "'disabled_reason' is only valid with status 'disabled'.",
    ),
  statusOrForcedDownRequired: () => new BadRequest("At least one of 'status' or 'forced_down' must be specified in the request body."),
  serviceHostsInstances: () => new Conflict('Unable to delete compute service that is hosting instances. Migrate or delete the instances first.'),
  hypervisorNotFound: (id: string) => new NotFound(`Hypervisor with ID '${id}' could not be found.`),
  noHypervisorMatching: (pattern: string) => new NotFound(`No hypervisor matching '${pattern}' could be found.`),
  hypervisorPagingWithPattern: () => new BadRequest('Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.'),
  uptimeNotImplemented: () => new NotImplemented('Virt driver does not implement uptime function.'),
};

export const serverGroupErrors = {
  /** Nova's InstanceGroupNotFound. */
  notFound: (id: string) => new NotFound(`Instance group ${id} could not be found.`),
  rulesNeedAntiAffinity: () => new BadRequest('Only anti-affinity policy supports rules.'),
  limitExceeded: () => new Forbidden('Quota exceeded, too many server groups.'),
  membersExceeded: () => new Forbidden('Quota exceeded, too many servers in group'),
  invalidForServer: (id: string) => new BadRequest(`Invalid server group ${id}.`),
};

/** What a server create (or a change of a server's metadata and tags) is refused for. */
export const serverErrors = {
  invalidKeyName: () => new BadRequest('Invalid key_name provided.'),
  /** Nova's TooManyInstances: each list names the resources over their limits, in one order. */
  tooManyInstances: (resources: string, requested: string, used: string, limits: string) =>
    new Forbidden(`Quota exceeded for ${resources}: Requested ${requested}, but already used ${used} of ${limits} ${resources}`),
  /** Nova's MetadataLimitExceeded, in the words of its quota check. */
  metadataLimit: (requested: number, limit: number) =>
    new Forbidden(`Quota exceeded for metadata_items: Requested ${requested}, but already used 0 of ${limit} metadata_items`),
  metadataItemNotFound: () => new NotFound('Metadata item was not found'),
  tooManyTags: (limit: number) => new BadRequest(`The number of tags exceeded the per-server limit ${limit}`),
  tagNotFound: (tag: string, serverId: string) => new NotFound(`Tag ${tag} could not be found for instance ${serverId}.`),
  imageNotUsable: (id: string) => new BadRequest(`Image ${id} could not be found.`),
  imageNotActive: (id: string) => new BadRequest(`Image ${id} is not active.`),
  flavorDiskTooSmall: () => new BadRequest("Flavor's disk is too small for requested image."),
  flavorMemoryTooSmall: () => new BadRequest("Flavor's memory is too small for requested image."),
  zoneNotAvailable: () => new BadRequest('The requested availability zone is not available'),
  /** What waiting for a server's status (operations.ts) ends with when the status does not come. */
  wentToError: (id: string, fault: string) => new Conflict(`Server ${id} went to ERROR: ${fault}`),
  waitTimedOut: (id: string, status: string, ms: number) => new Conflict(`Server ${id} is still ${status} after ${ms} ms.`),
  notOnNetwork: () => new NotFound('Instance is not a member of specified network'),
  /** Request shapes the schema cannot judge alone. */
  badNetworksFormat: () => new BadRequest('Bad networks format: network uuid is not in proper format or a port id must be given'),
  badNetworkUuid: (uuid: string) => new BadRequest(`Bad networks format: network uuid is not in proper format (${uuid})`),
  userDataTooLarge: (limit: number, size: number) =>
    new BadRequest(`User data too large. User data must be no larger than ${limit} bytes once base64 encoded. Your data is ${size} bytes`),
  userDataNotBase64: () => new BadRequest('User data needs to be valid base 64.'),
  certificatesUnsupported: () => new BadRequest('Image signature certificate validation is not supported by this cloud.'),
  hostRequestUnsupported: () => new BadRequest('Requesting a host is not supported yet.'),
  minOverMax: () => new BadRequest('min_count must be <= max_count'),
  missingImageRef: () => new BadRequest('Missing imageRef attribute'),
  /** Nova's OnsetFile*LimitExceeded (personality before 2.57). */
  personalityFileLimit: () => new Forbidden('Personality file limit exceeded'),
  personalityPathLimit: (limit: number) => new Forbidden(`Personality file path exceeds maximum ${limit}`),
  personalityContentLimit: (limit: number) => new Forbidden(`Personality file content exceeds maximum ${limit}`),
};

export const blockDeviceErrors = {
  /** Nova's InvalidBDM family. */
  invalid: (details: string) => new BadRequest(`Block Device Mapping is Invalid: ${details}`),
  mixedSyntaxes: () => new BadRequest('Using different block_device_mapping syntaxes is not allowed in the same request.'),
  /** Nova's InvalidBDMVolumeNotBootable: the root volume is not marked bootable. */
  notBootable: (id: string) => new BadRequest(`Block Device ${id} is not bootable.`),
  ephemeralTooLarge: () =>
    new BadRequest(
      'Ephemeral disks requested are larger than the instance type allows. If no size is given in one block device mapping, flavor ephemeral size will be used.',
    ),
  swapTooLarge: () => new BadRequest('Swap drive requested is larger than instance type allows.'),
  rootDeviceName: (device: string) => new BadRequest(`The volume cannot be assigned the same device name as the root device ${device}`),
  multipleInstances: () => new BadRequest('Cannot attach one or more volumes to multiple instances'),
  volumeTooSmall: (size: number, minimum: number) =>
    new BadRequest(`Volume is smaller than the minimum size specified in image metadata. Volume size is ${size} bytes, minimum size is ${minimum} bytes.`),
};

export const volumeErrors = {
  /** Nova's InvalidVolume. */
  invalid: (reason: string) => new BadRequest(`Invalid volume: ${reason}`),
  notAvailable: (id: string, status: string) => new BadRequest(`Invalid volume: volume ${id} status must be available, but current status is: ${status}`),
  alreadyAttached: (id: string, serverId: string) => new BadRequest(`Invalid volume: volume ${id} is already attached to instance ${serverId}`),
  notFound: (id: string) => new NotFound(`Volume ${id} could not be found.`),
  notAttached: (id: string, serverId: string) => new NotFound(`Volume ${id} is not attached to ${serverId}`),
  noFreeDevice: () => new BadRequest('No free disk device names for the server.'),
  /** A swap's new volume is named in the body, so its absence is Nova's 400, not 404. */
  swapTargetNotFound: (id: string) => new BadRequest(`Volume ${id} could not be found.`),
  swapSourceNotAttached: () => new BadRequest('Invalid volume: Old volume is attached to a different instance.'),
  swapTargetAttached: () => new BadRequest('Invalid volume: New volume must be detached in order to swap.'),
  swapTargetSmaller: () => new BadRequest('Invalid volume: New volume must be the same size or larger.'),
  /** Nova's MultiattachSwapVolumeNotSupported. */
  multiattachSwap: () => new BadRequest('Swapping multi-attach volumes with more than one read/write attachment is not supported.'),
  /** Nova's MultiattachToShelvedNotSupported. */
  multiattachToShelved: () => new BadRequest('Attaching multiattach volumes is not supported for shelved-offloaded instances.'),
  serviceUnavailable: () => new ServiceUnavailable('The block storage service is not available.'),
};

export const migrationErrors = {
  /** Nova's MigrationNotFoundForInstance / InvalidMigrationState. */
  liveNotFound: (id: string | number, serverId: string) => new NotFound(`In-progress live migration ${id} is not found for server ${serverId}.`),
  notLive: (id: string | number, serverId: string) => new NotFound(`Migration ${id} for server ${serverId} is not live-migration.`),
  /** Nova maps MigrationNotFoundForInstance to 400 on force_complete and 404 on abort. */
  notFoundForInstance: (id: string, serverId: string, status: 400 | 404) => {
    const message = `Migration ${id} not found for instance ${serverId}`;
    return status === 400 ? new BadRequest(message) : new NotFound(message);
  },
  invalidState: (id: number, serverId: string, status: string, method: string) =>
    new BadRequest(`Migration ${id} state of instance ${serverId} is ${status}. Cannot ${method} while the migration is in this state.`),
  liveNotInProgress: (id: string | number, serverId: string) => new NotFound(`Live migration ${id} for server ${serverId} is not in progress.`),
  /** Nova's CannotMigrateToSameHost (migrate with a host, 2.56). */
  toSameHost: () => new BadRequest('Cannot migrate to the host where the server exists.'),
  /** Nova's UnableToMigrateToSelf (live migration). */
  toSelf: (serverId: string, host: string) => new BadRequest(`Unable to migrate instance (${serverId}) to current host (${host}).`),
  /** Nova's ComputeServiceInUse: evacuation needs the source host down. */
  sourceServiceInUse: (host: string) => new BadRequest(`Compute service of ${host} is still in use.`),
  /** Evacuate's refusal of the server's own host as the target. */
  evacuateToSameHost: () => new BadRequest("The target host can't be the same one."),
  changesSinceAfterBefore: () => new BadRequest('The value of changes-since must be less than or equal to changes-before.'),
};

/** os-server-external-events when not one event named a server that could take it. */
export const eventErrors = {
  noInstances: () => new NotFound('No instances found for any event'),
};

export const usageErrors = {
  invalidDatetime: () => new BadRequest('Datetime is in invalid format'),
  startAfterEnd: () => new BadRequest('Invalid start time. The start time cannot occur after the end time.'),
  invalidTimestamp: (value: string) => new BadRequest(`Invalid timestamp for date ${value}`),
};

/** Refusals of server actions (POST /servers/{id}/action) before or while they are admitted. */
export const actionErrors = {
  /** The task_state compare-and-swap lost to a concurrent request (service/server-actions.ts). */
  concurrentChange: (action: string, serverId: string) => new Conflict(`Cannot '${action}' instance ${serverId}: it is being changed by another request.`),
  resizeFlavorNotFound: (flavorRef: string) => new BadRequest(`Unable to find flavor ${flavorRef}`),
  /** Nova's CannotResizeToSameFlavor. */
  resizeSameFlavor: () => new BadRequest('When resizing, instances must change flavor!'),
  /** Nova's ResizeError for a smaller root disk. */
  resizeDiskDown: () => new BadRequest('Resize error: Unable to resize disk down.'),
  /** Nova's InstanceNotReady (os-getConsoleOutput). */
  notReady: (serverId: string) => new Conflict(`Instance ${serverId} is not ready`),
  /** Nova's ConsoleNotAvailable. */
  consoleNotAvailable: () => new NotFound('Guest does not have a console available.'),
  rescueUnsupported: () => new BadRequest('Rescue is not supported by the hypervisor.'),
  /** A volume-backed server has no image of its own to rescue from (Nova before 2.87). */
  rescueVolumeBacked: () => new BadRequest('Cannot rescue a volume-backed instance'),
  /** Nova's TriggerCrashDumpNotSupported. */
  crashDumpUnsupported: () => new BadRequest('Triggering crash dump is not supported'),
};

/** The networks and ports a server create asks for (service/networking.ts). */
export const networkErrors = {
  /** Nova's NetworkAmbiguous. */
  ambiguous: () => new Conflict('Multiple possible networks found, use a Network ID to be more specific.'),
  /** Nova's UnableToAutoAllocateNetwork. */
  cannotAutoAllocate: (projectId: string) => new BadRequest(`Unable to automatically allocate a network for project ${projectId}`),
  /** Nova's PortInUse. */
  portInUse: (portId: string) => new Conflict(`Port ${portId} is still in use.`),
  /** Nova's PortNotFound, a 400 at server create. */
  portNotFound: (portId: string) => new BadRequest(`Port id ${portId} could not be found.`),
};

/** os-interface (service/interfaces.ts). */
export const interfaceErrors = {
  portNotOnServer: (serverId: string, portId: string) => new NotFound(`Instance ${serverId} does not have a port with id ${portId}`),
  networkAndPort: () => new BadRequest('Must not input both network_id and port_id'),
  fixedIpWithoutNetwork: () => new BadRequest('Must input network_id when request IP address'),
  portNotFound: (portId: string) => new NotFound(`Port ${portId} could not be found.`),
  noNetwork: () => new BadRequest('No network is available to attach an interface to.'),
  unsupported: () => new Conflict('Network adapter attach/detach is not supported by the hypervisor.'),
};

/** Security groups by name on servers, and the os-security-groups proxy (api/proxies.ts). */
export const securityGroupErrors = {
  idNotUuid: () => new BadRequest('Security group id should be uuid'),
  /** Nova's SecurityGroupNotFoundForProject: 400 at server create, 404 on addSecurityGroup/removeSecurityGroup. */
  notFoundForProject: (name: string, projectId: string, status: 400 | 404) => {
    const message = `Security group ${name} not found for project ${projectId}.`;
    return status === 400 ? new BadRequest(message) : new NotFound(message);
  },
  /** Nova's NoUniqueMatch for a group name. */
  ambiguous: (name: string) => new Conflict(`Multiple security groups found matching '${name}'. Use an ID to be more specific.`),
  /** Nova's SecurityGroupNotExistsForInstance. */
  notOnServer: (name: string, serverId: string) => new BadRequest(`Security group ${name} not associated with the instance ${serverId}`),
  /** Nova's SecurityGroupNotFound. */
  notFound: (id: string) => new NotFound(`Security group ${id} not found.`),
  ruleNotFound: (id: string) => new NotFound(`Security group rule ${id} not found.`),
  nameAndDescriptionRequired: () => new BadRequest('Security group name and description are required.'),
  emptyName: () => new BadRequest('Security group name cannot be empty.'),
  invalidProtocol: (protocol: string) => new BadRequest(`Invalid IP protocol ${protocol}.`),
  invalidPortRange: () => new BadRequest('Invalid port range: from_port must be at most to_port, both 1-65535.'),
};

/** Nova's proxies to Neutron and Glance (api/proxies.ts), which re-status the other service's errors. */
export const proxyErrors = {
  /** Neutron's 404 with its own message, where the proxy names no resource. */
  neutronNotFound: (message: string) => new NotFound(message),
  /** Neutron's 409 as Nova's proxy answers it: 400 with Neutron's message. */
  neutronConflict: (message: string) => new BadRequest(message),
  /** The /images proxy's 404 (also for an image the caller may not delete). */
  imageNotFound: () => new NotFound('Image not found.'),
  invalidMarker: (marker: string) => new BadRequest(`marker [${marker}] not found`),
  imageMetadataLimit: () => new Forbidden('Image metadata limit exceeded'),
  imageMetadataNotFound: () => new NotFound('The resource could not be found.'),
  invalidMetadataKey: () => new NotFound('Invalid metadata key'),
  floatingIpNotFound: (id: string) => new NotFound(`Floating IP not found for ID ${id}`),
  floatingIpAddressNotFound: () => new NotFound('floating IP not found'),
  floatingIpPoolNotFound: () => new NotFound('Floating IP pool not found.'),
  noMoreFloatingIps: (pool: string) => new NotFound(`No more floating IPs in pool ${pool}.`),
  floatingIpOverQuota: (pool: string) => new Forbidden(`IP allocation over quota in pool ${pool}.`),
  floatingIpAssociated: () => new BadRequest('floating IP is already associated'),
  networkNotReady: () => new BadRequest('Instance network is not ready yet'),
  noFixedIps: () => new BadRequest('No fixed IPs associated to instance'),
  fixedAddressNotOnServer: () => new BadRequest('Specified fixed address not assigned to instance'),
  noFixedIpv4: (address: string, serverId: string) =>
    new BadRequest(`Unable to associate floating IP ${address} to any fixed IPs for instance ${serverId}. Instance has no fixed IPv4 addresses to associate.`),
  /** A peer's refusal (a conflict, an association Neutron refused) as the proxy's 400 with its message. */
  refused: (message: string) => new BadRequest(message),
  volumeOverQuota: (message: string) => new Forbidden(message),
  floatingIpNotAssociated: (address: string, serverId: string) => new Conflict(`Floating IP ${address} is not associated with instance ${serverId}.`),
  networkNotFound: () => new NotFound('Network not found'),
  volumeNotFound: (id: string) => new NotFound(`Volume ${id} could not be found.`),
  snapshotNotFound: (id: string) => new NotFound(`Snapshot ${id} could not be found.`),
  extensionNotFound: () => new NotFound('The resource could not be found.'),
};

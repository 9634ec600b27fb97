/**
 * What the network service offers other services in-process
 * (`deps.services.network`): Nova's ports for servers (create, adopt, bind to
 * a host, release, delete), the facts its metadata service and config drive
 * need, its os-security-groups proxy, and Heat's Neutron resources (networks,
 * subnets, ports, routers with interfaces and gateways, security groups with
 * rules, floating IPs with association, subnet pools and address scopes:
 * address-operations.ts).
 *
 * Every call takes the caller's CallerContext first and goes through the same
 * service layer as the REST API, so Neutron's visibility (what the caller may
 * not read is a 404), policy (403 `PolicyNotAuthorized`) and quotas (409
 * `OverQuota`) hold exactly as for a request to /network. Errors are the
 * network service's own (network/errors.ts): a caller matches on `status`.
 * A service acting on its own (binding ports, reading every server's ports)
 * passes core's `serviceCaller(...)`, which is admin.
 *
 * Results are plain typed views; attributes the caller's policy hides (the
 * port binding for non-admins) are null. Unless said otherwise, a create that
 * fails leaves nothing behind (one transaction, quota included), an update
 * that fails changes nothing, and deletes are not idempotent: deleting what
 * is gone is the resource's 404.
 */
import type { CallerContext } from '../core/context.js';
import type { QuotaUse } from '../core/quota/index.js';
import type {
  AddressScopeInfo,
  CreateAddressScopeRequest,
  CreateSubnetPoolRequest,
  SubnetPoolInfo,
  UpdateAddressScopeRequest,
  UpdateSubnetPoolRequest,
} from './address-operations.js';

export type * from './address-operations.js';

export interface FixedIp {
  subnetId: string;
  ipAddress: string;
}

/** An address asked for on a port: a subnet (any free address in it), an address, or both. */
export interface FixedIpRequest {
  subnetId?: string;
  ipAddress?: string;
}

export interface HostRoute {
  destination: string;
  nexthop: string;
}

export interface AllocationPool {
  start: string;
  end: string;
}

/** What every Neutron resource has (its standard attributes). */
export interface ResourceInfo {
  id: string;
  name: string;
  description: string;
  /** The owning project; '' for the network service's internal resources. */
  projectId: string;
  tags: string[];
}

export interface NetworkInfo extends ResourceInfo {
  status: string;
  adminStateUp: boolean;
  shared: boolean;
  /** `router:external`: floating IPs and router gateways come from it. */
  external: boolean;
  mtu: number;
  portSecurityEnabled: boolean;
  subnetIds: string[];
  /** Provider attributes: null for callers whose policy hides them. */
  networkType: string | null;
  physicalNetwork: string | null;
  segmentationId: number | null;
}

export interface CreateNetworkRequest {
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  /** Admin only, as the provider attributes and `external`. */
  shared?: boolean;
  external?: boolean;
  mtu?: number;
  portSecurityEnabled?: boolean;
  networkType?: string;
  physicalNetwork?: string | null;
  segmentationId?: number | null;
  /** Another project's network: admin only. */
  projectId?: string;
}

export type UpdateNetworkRequest = Pick<CreateNetworkRequest, 'name' | 'description' | 'adminStateUp' | 'shared' | 'external' | 'mtu' | 'portSecurityEnabled'>;

export interface SubnetInfo extends ResourceInfo {
  networkId: string;
  ipVersion: 4 | 6;
  cidr: string;
  gatewayIp: string | null;
  enableDhcp: boolean;
  dnsNameservers: string[];
  hostRoutes: HostRoute[];
  allocationPools: AllocationPool[];
  ipv6RaMode: string | null;
  ipv6AddressMode: string | null;
  subnetPoolId: string | null;
}

export interface CreateSubnetRequest {
  networkId: string;
  ipVersion: 4 | 6;
  /** Required unless `subnetPoolId` (with `prefixLength`) gives the prefix. */
  cidr?: string;
  name?: string;
  description?: string;
  /** Null: no gateway; absent: the first address. */
  gatewayIp?: string | null;
  enableDhcp?: boolean;
  dnsNameservers?: string[];
  hostRoutes?: HostRoute[];
  allocationPools?: AllocationPool[];
  ipv6RaMode?: string | null;
  ipv6AddressMode?: string | null;
  subnetPoolId?: string | null;
  prefixLength?: number;
  projectId?: string;
}

export type UpdateSubnetRequest = Pick<
  CreateSubnetRequest,
  'name' | 'description' | 'gatewayIp' | 'enableDhcp' | 'dnsNameservers' | 'hostRoutes' | 'allocationPools'
>;

export interface PortInfo extends ResourceInfo {
  networkId: string;
  macAddress: string;
  fixedIps: FixedIp[];
  /** The server, router or DHCP service using the port; '' when free. */
  deviceId: string;
  deviceOwner: string;
  /** ACTIVE once bound to a host (and administratively up), else DOWN. */
  status: string;
  adminStateUp: boolean;
  securityGroupIds: string[];
  portSecurityEnabled: boolean;
  allowedAddressPairs: Array<{ ipAddress: string; macAddress: string }>;
  /** `binding:host_id` ('' when unbound) and `binding:vif_type`; null when the caller's policy hides them. */
  hostId: string | null;
  vifType: string | null;
  vnicType: string;
}

export interface CreatePortRequest {
  networkId: string;
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  macAddress?: string;
  fixedIps?: FixedIpRequest[];
  /** Absent: the project's `default` group (when port security is on). */
  securityGroupIds?: string[];
  portSecurityEnabled?: boolean;
  allowedAddressPairs?: Array<{ ipAddress: string; macAddress?: string }>;
  deviceId?: string;
  deviceOwner?: string;
  vnicType?: string;
  projectId?: string;
}

export type UpdatePortRequest = Pick<
  CreatePortRequest,
  | 'name'
  | 'description'
  | 'adminStateUp'
  | 'macAddress'
  | 'fixedIps'
  | 'securityGroupIds'
  | 'portSecurityEnabled'
  | 'allowedAddressPairs'
  | 'deviceId'
  | 'deviceOwner'
>;

/** Which ports a listing returns; every filter given must match. */
export interface PortFilter {
  deviceId?: string;
  networkId?: string;
}

export interface RouterGateway {
  networkId: string;
  enableSnat: boolean;
  externalFixedIps: FixedIp[];
}

export interface RouterInfo extends ResourceInfo {
  status: string;
  adminStateUp: boolean;
  externalGateway: RouterGateway | null;
  routes: HostRoute[];
}

export interface RouterGatewayRequest {
  networkId: string;
  /** Admin only (Neutron's policy); true when absent. */
  enableSnat?: boolean;
  externalFixedIps?: FixedIpRequest[];
}

export interface CreateRouterRequest {
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  externalGateway?: RouterGatewayRequest | null;
  projectId?: string;
}

export interface UpdateRouterRequest {
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  /** Null clears the gateway. */
  externalGateway?: RouterGatewayRequest | null;
  routes?: HostRoute[];
}

/** A router interface by subnet (a new port on its gateway address) or by an existing port. */
export type RouterInterfaceRequest = { subnetId: string; portId?: undefined } | { portId: string; subnetId?: undefined };

export interface RouterInterfaceInfo {
  routerId: string;
  portId: string;
  subnetId: string;
  subnetIds: string[];
  networkId: string;
  projectId: string;
}

export interface SecurityGroupRuleInfo {
  id: string;
  securityGroupId: string;
  projectId: string;
  description: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  /** Name or number as given; null for any protocol. */
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
}

export interface SecurityGroupInfo extends ResourceInfo {
  stateful: boolean;
  rules: SecurityGroupRuleInfo[];
}

export interface CreateSecurityGroupRequest {
  name: string;
  description?: string;
  stateful?: boolean;
  projectId?: string;
}

export type UpdateSecurityGroupRequest = Partial<Pick<CreateSecurityGroupRequest, 'name' | 'description' | 'stateful'>>;

export interface CreateSecurityGroupRuleRequest {
  securityGroupId: string;
  direction: 'ingress' | 'egress';
  /** IPv4 when absent. */
  ethertype?: 'IPv4' | 'IPv6';
  protocol?: string | null;
  portRangeMin?: number | null;
  portRangeMax?: number | null;
  /** At most one of the two remotes. */
  remoteIpPrefix?: string | null;
  remoteGroupId?: string | null;
  description?: string;
}

export interface FloatingIpInfo extends Omit<ResourceInfo, 'name'> {
  floatingIpAddress: string;
  floatingNetworkId: string;
  portId: string | null;
  fixedIpAddress: string | null;
  routerId: string | null;
  status: string;
}

export interface CreateFloatingIpRequest {
  floatingNetworkId: string;
  /** Associate at once (see associateFloatingIp). */
  portId?: string;
  fixedIpAddress?: string;
  /** A given address (admin only, as Neutron's policy) or one from `subnetId`. */
  floatingIpAddress?: string;
  subnetId?: string;
  description?: string;
  projectId?: string;
}

/** Which floating IPs a listing returns; every filter given must match. */
export interface FloatingIpFilter {
  portIds?: string[];
}

/**
 * The resources every Neutron collection offers, in one shape. `find` takes a
 * name or an id (as the CLI and Heat's `get_resource` do): the id's resource,
 * else the single one with that name among those the caller sees; 404 when
 * none, 409 `NoUniqueMatch` when several have the name.
 */
export interface ResourceCalls<Info, Create, Update> {
  create(auth: CallerContext, request: Create): Promise<Info>;
  get(auth: CallerContext, id: string): Promise<Info>;
  /** What the caller may see, in creation order. */
  list(auth: CallerContext): Promise<Info[]>;
  find(auth: CallerContext, nameOrId: string): Promise<Info>;
  /** Changes only the fields given. */
  update(auth: CallerContext, id: string, request: Update): Promise<Info>;
  delete(auth: CallerContext, id: string): Promise<void>;
}

/** One agent as GET /v2.0/agents shows it (DHCP, L3, metadata, the L2 agent). */
export interface AgentInfo {
  id: string;
  binary: string;
  host: string;
  adminStateUp: boolean;
  /** Its last heartbeat is recent enough (Neutron's `alive`). */
  alive: boolean;
  availabilityZone: string | null;
}

export interface NetworkOperations {
  /** Every agent, for an admin (an empty list for anyone else, as the API answers). Read-only; for the exporter's agent states. */
  listAgents(auth: CallerContext): Promise<AgentInfo[]>;
  /** Sets the project's own limits as PUT /v2.0/quotas/{project} does (policy update_quota; 400 for a resource Neutron keeps no quota of). Idempotent. */
  setQuotas(auth: CallerContext, projectId: string, limits: Record<string, number>): Promise<Record<string, number>>;
  /** A project's limits and use as GET /v2.0/quotas/{project}/details gives them (Neutron's `used` is `inUse`), by resource. Read only. */
  quotaDetails(auth: CallerContext, projectId: string): Promise<Record<string, QuotaUse>>;
  /** Deleting a network deletes its subnets and DHCP ports; 409 `NetworkInUse` while other ports remain. */
  networks: ResourceCalls<NetworkInfo, CreateNetworkRequest, UpdateNetworkRequest>;
  /** Deleting a subnet is 409 `SubnetInUse` while ports (other than DHCP's) hold its addresses. */
  subnets: ResourceCalls<SubnetInfo, CreateSubnetRequest, UpdateSubnetRequest> & {
    listOfNetwork(auth: CallerContext, networkId: string): Promise<SubnetInfo[]>;
  };
  /**
   * Creating a port takes its MAC and addresses atomically (IPAM never hands
   * one out twice) with its quota. Deleting a port frees its addresses and
   * MAC, unbinds it and disassociates its floating IPs.
   */
  ports: ResourceCalls<PortInfo, CreatePortRequest, UpdatePortRequest> & {
    listWhere(auth: CallerContext, filter: PortFilter): Promise<PortInfo[]>;
    /**
     * Gives a free port to a device (Nova adopting a port the user passed):
     * device id and owner set, port ACTIVE. The caller must see the port;
     * whether it is free is the caller's check (Nova words its own 409).
     */
    claim(auth: CallerContext, portId: string, device: { deviceId: string; deviceOwner: string }): Promise<PortInfo>;
    /**
     * Binds the port to a hypervisor host (`binding:host_id`, admin only):
     * the driver plugs it there and it turns ACTIVE. Null unbinds it (tap
     * gone, DOWN). Idempotent: binding to the same host again re-plugs.
     */
    bind(auth: CallerContext, portId: string, host: string | null): Promise<PortInfo>;
    /** Unbinds the port and frees it for another device (a port the user brought to a server being deleted). Idempotent. */
    release(auth: CallerContext, portId: string): Promise<PortInfo>;
  };
  /** Deleting a router is 409 `RouterInUse` while it has interfaces; its gateway goes with it. */
  routers: ResourceCalls<RouterInfo, CreateRouterRequest, UpdateRouterRequest> & {
    /** 409 when the subnet overlaps one the router already reaches, or the port is in use. */
    addInterface(auth: CallerContext, routerId: string, request: RouterInterfaceRequest): Promise<RouterInterfaceInfo>;
    /** 404 `RouterInterfaceNotFound(ForSubnet)` when there is no such interface. */
    removeInterface(auth: CallerContext, routerId: string, request: RouterInterfaceRequest): Promise<RouterInterfaceInfo>;
    /** Sets (or, with null, clears) the external gateway; idempotent. */
    setGateway(auth: CallerContext, routerId: string, gateway: RouterGatewayRequest | null): Promise<RouterInfo>;
  };
  /**
   * A project's first group is its `default` (made on first use, never
   * deletable by its project: 409). Deleting a group in use by a port is 409.
   */
  securityGroups: ResourceCalls<SecurityGroupInfo, CreateSecurityGroupRequest, UpdateSecurityGroupRequest> & {
    /** 409 `SecurityGroupRuleExists` for a duplicate rule; the filter on every port of the group follows. */
    createRule(auth: CallerContext, request: CreateSecurityGroupRuleRequest): Promise<SecurityGroupRuleInfo>;
    getRule(auth: CallerContext, ruleId: string): Promise<SecurityGroupRuleInfo>;
    deleteRule(auth: CallerContext, ruleId: string): Promise<void>;
  };
  /** Deleting a pool is 409 `SubnetPoolInUse` while subnets are allocated from it. */
  subnetPools: ResourceCalls<SubnetPoolInfo, CreateSubnetPoolRequest, UpdateSubnetPoolRequest> & {
    /** Replaces the pool's tags as a set (Neutron's tags extension); idempotent. */
    setTags(auth: CallerContext, id: string, tags: string[]): Promise<void>;
  };
  /** Deleting a scope is 409 `AddressScopeInUse` while subnet pools are in it. */
  addressScopes: ResourceCalls<AddressScopeInfo, CreateAddressScopeRequest, UpdateAddressScopeRequest>;
  floatingIps: {
    /** Takes an address from the external network (quota `floatingip`), associated when `portId` is given. */
    create(auth: CallerContext, request: CreateFloatingIpRequest): Promise<FloatingIpInfo>;
    get(auth: CallerContext, id: string): Promise<FloatingIpInfo>;
    list(auth: CallerContext): Promise<FloatingIpInfo[]>;
    listWhere(auth: CallerContext, filter: FloatingIpFilter): Promise<FloatingIpInfo[]>;
    /** By address or id, as the CLI finds floating IPs. */
    find(auth: CallerContext, addressOrId: string): Promise<FloatingIpInfo>;
    /**
     * NATs the address to the port's fixed IP (the first IPv4 one unless
     * given) through the router connecting the port's subnet to the external
     * network: 404 `ExternalGatewayForFloatingIPNotFound` without one.
     * Idempotent for the same port and address.
     */
    associate(auth: CallerContext, id: string, portId: string, fixedIpAddress?: string): Promise<FloatingIpInfo>;
    /** Idempotent: an unassociated floating IP stays so. */
    disassociate(auth: CallerContext, id: string): Promise<FloatingIpInfo>;
    delete(auth: CallerContext, id: string): Promise<void>;
  };
}

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    network?: NetworkOperations;
  }
}

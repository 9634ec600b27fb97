/**
 * The network driver contract: how the network service makes its API state
 * real on hosts.
 *
 * Vocabulary. A *network* is the API object (an L2 domain with a segment: flat,
 * vlan, vxlan or local). A *host* is a hypervisor or network node, named as in
 * `binding:host_id`. *Realising* a network on a host creates what carries its
 * traffic there (a Linux bridge with a VLAN or VXLAN device, a DHCP namespace);
 * *binding* a port attaches it to the realised network and yields the VIF type
 * Nova plugs. Backend names (bridge, tap and namespace names) never leave the
 * driver.
 *
 * Every method is idempotent: called again after a crash, with the same
 * arguments, it converges to the same end state and succeeds. Removal of
 * something absent succeeds. A failure leaves nothing half-made: the method
 * undoes what it did before throwing a `NetworkDriverError`.
 */

import type { JsonObject } from '../../core/json.js';
import type { DriverQos, QosRuleTypes } from './qos.js';

/** A subnet as the DHCP server and the routers need it. */
export interface DriverSubnet {
  id: string;
  ipVersion: 4 | 6;
  cidr: string;
  gatewayIp: string | null;
  enableDhcp: boolean;
  dnsNameservers: string[];
  hostRoutes: Array<{ destination: string; nexthop: string }>;
}

/** The network as the driver needs it. */
export interface DriverNetwork {
  id: string;
  networkType: 'flat' | 'vlan' | 'vxlan' | 'local';
  physicalNetwork: string | null;
  segmentationId: number | null;
  mtu: number;
  adminStateUp: boolean;
  /** `router:external`: routers put their gateways (and floating IPs) on it. */
  external: boolean;
  subnets: DriverSubnet[];
}

export interface DriverPort {
  id: string;
  networkId: string;
  macAddress: string;
  fixedIps: Array<{ subnetId: string; ipAddress: string }>;
  deviceOwner: string;
  vnicType: string;
  portSecurityEnabled: boolean;
  /** What the DHCP server serving the port adds to its answers (extra_dhcp_opt), per IP version. */
  extraDhcpOpts: Array<{ name: string; value: string; ipVersion: 4 | 6 }>;
  /** Other addresses (and MACs) the port may send from, besides its own (anti-spoofing). */
  allowedAddressPairs: Array<{ ipAddress: string; macAddress: string }>;
}

export interface DriverRouter {
  id: string;
  /**
   * Gateway on an external network (`network`), held by port `portId`, with
   * SNAT of the inside subnets to the first address when `enableSnat`.
   */
  gateway: { networkId: string; network: DriverNetwork; portId: string; macAddress: string; ipAddresses: string[]; enableSnat: boolean } | null;
  /** One entry per address of each interface port (`cidr` is its subnet's). */
  interfaces: Array<{ portId: string; networkId: string; network: DriverNetwork; macAddress: string; ipAddress: string; cidr: string }>;
  routes: Array<{ destination: string; nexthop: string }>;
  /** Associated floating IPs: 1:1 NAT between the floating and the fixed address. */
  floatingIps: Array<{ floatingIpAddress: string; fixedIpAddress: string }>;
}

/** What a host still holds that the service knows about; `prune` removes the rest. */
export interface DriverInventory {
  networkIds: string[];
  routerIds: string[];
  portIds: string[];
}

/**
 * A floating IP port forwarding: traffic for `externalAddress:externalPort`
 * (`protocol`) arriving through router `routerId` is sent to
 * `internalAddress:internalPort`.
 */
export interface DriverPortForwarding {
  id: string;
  routerId: string;
  protocol: string;
  externalAddress: string;
  externalPort: number;
  internalAddress: string;
  internalPort: number;
}

/** One security group rule as the driver applies it. */
export interface DriverRule {
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  /** Resolved: a remote group is expanded to its members' addresses by the service. */
  remoteIpPrefixes: string[] | null;
}

/** What binding produced, reported as `binding:vif_type` / `binding:vif_details`. */
export interface PortBinding {
  hostId: string;
  vifType: string;
  vifDetails: Record<string, unknown>;
}

export interface DriverCapabilities {
  /** Can isolate traffic between networks on one host (vlan/vxlan). */
  segmentation: boolean;
  /** Applies security group rules (false: rules are stored, not enforced). */
  securityGroups: boolean;
  /** Forwards and NATs between networks through routers. */
  routing: boolean;
  /** Applies floating IP port forwardings (false: they are stored, not realised). */
  portForwarding: boolean;
  /** Serves DHCP from `updateDhcp` (false: the service need not keep it told). */
  dhcp: boolean;
}

export const NO_CAPABILITIES: DriverCapabilities = { segmentation: false, securityGroups: false, routing: false, portForwarding: false, dhcp: false };

export type NetworkDriverErrorCode = 'unknown-host' | 'not-realised' | 'backend-failure';

/** Raised by drivers; the service records it on the port (`binding_failed`) or the task. */
export class NetworkDriverError extends Error {
  constructor(
    readonly code: NetworkDriverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetworkDriverError';
  }
}

/**
 * A Neutron agent whose work the driver does, as `GET /v2.0/agents` lists it:
 * `network-host` agents run on the host that serves DHCP and routers (the
 * default host), `port-host` agents on every host ports are bound to.
 */
export interface DriverAgent {
  agentType: string;
  binary: string;
  topic: string;
  runsOn: 'network-host' | 'port-host';
  availabilityZone: string | null;
  configurations: JsonObject;
}

export interface NetworkDriver {
  readonly name: string;
  capabilities(): DriverCapabilities;

  /** The agents this driver stands for (the service lists them with their hosts and heartbeats). */
  agents(): DriverAgent[];

  /**
   * Makes `network` carry traffic on `host`. End state: realised; a second
   * call updates it in place (e.g. admin state). Undo: `unrealiseNetwork`.
   */
  realiseNetwork(network: DriverNetwork, host: string): Promise<void>;

  /** Removes the network from `host`; succeeds when it is not there. Paired with `realiseNetwork`. */
  unrealiseNetwork(networkId: string, host: string): Promise<void>;

  /**
   * Makes the network's DHCP server on `host` (there once its `network:dhcp`
   * port is bound) answer exactly `ports` (every port of the network, with
   * their current addresses and extra options) with `network`'s subnet
   * settings. The service calls it whenever a port or subnet of the network
   * changes (a network already realised on `host` also takes `network`'s
   * changed settings: MTU, admin state). Without a bound DHCP port it only
   * remembers the ports.
   */
  updateDhcp(network: DriverNetwork, ports: DriverPort[], host: string): Promise<void>;

  /**
   * Attaches `port` to its network on `host`, realising the network there
   * first if needed. Returns the binding; the port's status becomes ACTIVE.
   * Binding a bound port to the same host returns the same binding and takes
   * its changed settings (the service re-binds when extra DHCP options
   * change); to another host moves it. Throws `NetworkDriverError('unknown-host')` for a host the
   * driver cannot reach. Undo: `unbindPort`.
   */
  bindPort(port: DriverPort, network: DriverNetwork, host: string): Promise<PortBinding>;

  /** Detaches the port; succeeds when unbound. Its status becomes DOWN. Paired with `bindPort`. */
  unbindPort(portId: string): Promise<void>;

  /**
   * Makes the router forward between its interfaces and NAT through its
   * gateway on `host`, replacing the previous state. Undo: `unrealiseRouter`.
   */
  realiseRouter(router: DriverRouter, host: string): Promise<void>;

  /** Removes the router from `host`; succeeds when absent. */
  unrealiseRouter(routerId: string, host: string): Promise<void>;

  /**
   * Replaces the filtering of a bound port with `rules` (the union of its
   * groups' rules; empty means drop all but established traffic). With port
   * security disabled the service passes `null`: no filtering at all.
   * Throws `NetworkDriverError('not-realised')` for an unbound port.
   */
  applySecurityGroups(portId: string, rules: DriverRule[] | null): Promise<void>;

  /** The QoS rule types this driver enforces, with their parameters (`GET /qos/rule-types/{type}`). */
  qosRuleTypes(): QosRuleTypes;

  /**
   * Replaces what limits a bound port (its effective QoS policy's rules);
   * `NO_QOS` removes everything. Throws `NetworkDriverError('not-realised')`
   * for an unbound port. Unbinding removes it too.
   */
  applyQos(portId: string, qos: DriverQos): Promise<void>;

  /**
   * Makes `forwarding` real on its router on `host`, replacing an earlier
   * version of the same id (an update). Undo: `removePortForwarding`.
   */
  applyPortForwarding(forwarding: DriverPortForwarding, host: string): Promise<void>;

  /** Stops the forwarding on `host`; succeeds when absent. Paired with `applyPortForwarding`. */
  removePortForwarding(forwardingId: string, host: string): Promise<void>;

  /**
   * Removes from `host` every network, router and port binding this driver
   * made there that `keep` does not list (left over when Nimbus stopped
   * between a database change and the driver call). `prune` with empty lists
   * removes everything the driver made.
   */
  prune(keep: DriverInventory, host: string): Promise<void>;

  /** Why the driver cannot work on this host (a missing tool), or null when it can. */
  healthCheck(): Promise<string | null>;
}

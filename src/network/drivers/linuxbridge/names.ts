/**
 * Host object names, Neutron's so an operator recognises them: interface
 * names keep 11 characters of the id (Linux allows 15 per name).
 */
const short = (id: string) => id.slice(0, 11);

export const names = {
  bridge: (networkId: string) => `brq${short(networkId)}`,
  /** A VM's tap, or the bridge end of a DHCP or router port's veth. */
  tap: (portId: string) => `tap${short(portId)}`,
  /** The namespace end of a DHCP port's veth. */
  dhcpDevice: (portId: string) => `ns-${short(portId)}`,
  routerInterface: (portId: string) => `qr-${short(portId)}`,
  routerGateway: (portId: string) => `qg-${short(portId)}`,
  /** Where a port's incoming traffic is shaped on kernels without the police action (see qos.ts). */
  ifb: (portId: string) => `ifb${short(portId)}`,
  dhcpNamespace: (networkId: string) => `qdhcp-${networkId}`,
  routerNamespace: (routerId: string) => `qrouter-${routerId}`,
  /** The "outside" of an external network on a single host: holds the external subnets' gateway addresses. */
  outsideNamespace: (networkId: string) => `qext-${short(networkId)}`,
  outsideDevice: (networkId: string) => `qx-${short(networkId)}`,
  outsideBridgeEnd: (networkId: string) => `qxb${short(networkId)}`,
  /** iptables chains of a port's security groups (generation `a` or `b`, swapped on each change). */
  ingressChain: (portId: string, generation: string) => `nb-i-${short(portId)}-${generation}`,
  egressChain: (portId: string, generation: string) => `nb-o-${short(portId)}-${generation}`,
};

export const NAMESPACE_PREFIXES = ['qdhcp-', 'qrouter-', 'qext-'];

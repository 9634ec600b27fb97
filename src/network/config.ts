/** Neutron's options, flattened under `network:`. */
import type { DriverProfile } from '../core/config.js';

/** Neutron's options (ml2, ml2_type_*, DEFAULT base_mac ...), flattened under `network:`. */
export interface NetworkConfig {
  /** Driver name: `noop` (API only) or `linuxbridge` (bridges, namespaces, dnsmasq, iptables on this host; needs root). */
  driver: string;
  /** The compute service's metadata socket the linuxbridge driver's proxies forward to; null: `<data_dir>/metadata.sock`. */
  metadata_socket: string | null;
  /** Host that router and DHCP ports bind to when the request names none. */
  default_host: string;
  /** First three octets of generated MAC addresses (Neutron's base_mac). */
  base_mac: string;
  /** Tenant network type for networks created without provider attributes. */
  tenant_network_type: 'vxlan' | 'vlan' | 'flat' | 'local';
  /** VXLAN VNI ranges, `min:max`. */
  vni_ranges: string[];
  /** VLAN ranges, `physnet:min:max`. */
  network_vlan_ranges: string[];
  /** Physical networks on which flat networks may be made (`*` for any). */
  flat_networks: string[];
  /** MTU of the underlying network (Neutron's global_physnet_mtu). */
  global_physnet_mtu: number;
  /** Create the `public` and demo `private` networks and `router1` on first start. */
  devstack_defaults: boolean;
  public_cidr: string;
  private_cidr: string;
}

export function networkDefaults(profile: DriverProfile): NetworkConfig {
  const real = profile === 'real';
  return {
    driver: real ? 'linuxbridge' : 'noop',
    metadata_socket: null,
    default_host: 'nimbus',
    base_mac: 'fa:16:3e',
    tenant_network_type: 'vxlan',
    vni_ranges: ['1:1000'],
    network_vlan_ranges: ['physnet1:100:199'],
    flat_networks: ['*'],
    global_physnet_mtu: 1500,
    devstack_defaults: true,
    public_cidr: '172.24.4.0/24',
    private_cidr: '10.0.0.0/26',
  };
}

/** The shapes of the Nova resources the panels read (microversion 2.1). */
export interface Server {
  id: string;
  name: string;
  status: string;
  tenant_id: string;
  'OS-EXT-STS:task_state'?: string | null;
  addresses: Record<string, { addr: string; 'OS-EXT-IPS:type'?: string }[]>;
  flavor: { id: string };
  image: { id: string } | '';
}

export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
}

export interface Hypervisor {
  id: number | string;
  hypervisor_hostname: string;
  state: string;
  status: string;
  vcpus: number;
  vcpus_used: number;
  memory_mb: number;
  memory_mb_used: number;
  local_gb: number;
  local_gb_used: number;
  running_vms: number;
}

/** A server is in motion while Nova works on it: the list polls until none is. */
export function inTransition(server: Server): boolean {
  return server.status === 'BUILD' || server.status.includes('REBOOT') || Boolean(server['OS-EXT-STS:task_state']);
}

export function addressesOf(server: Server): string {
  return Object.entries(server.addresses)
    .flatMap(([network, addresses]) => addresses.map((a) => `${a.addr} (${network}${a['OS-EXT-IPS:type'] === 'floating' ? ', floating' : ''})`))
    .join(', ');
}

/**
 * The NAT table of a router namespace, as Neutron's L3 agent builds it:
 * floating IPs are 1:1 (DNAT of the floating address to the fixed one, SNAT
 * of the fixed one to the floating address, before the router's own SNAT),
 * port forwardings DNAT one protocol/port, and with `enable_snat` everything
 * else leaving through the gateway takes the gateway address. The namespace
 * is ours, so the whole table is replaced in one iptables-restore.
 */
import type { DriverPortForwarding, DriverRouter } from '../driver.js';
import { isIpv4 } from './ipv4.js';

export function renderNat(router: DriverRouter, gatewayDevice: string | null, forwardings: DriverPortForwarding[]): string {
  const lines = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]'];
  if (router.gateway && gatewayDevice) {
    for (const pf of forwardings) {
      const match = `-d ${pf.externalAddress}/32 -p ${pf.protocol} -m ${pf.protocol} --dport ${pf.externalPort}`;
      lines.push(`-A PREROUTING ${match} -j DNAT --to-destination ${pf.internalAddress}:${pf.internalPort}`);
      lines.push(`-A OUTPUT ${match} -j DNAT --to-destination ${pf.internalAddress}:${pf.internalPort}`);
    }
    for (const fip of router.floatingIps) {
      lines.push(`-A PREROUTING -d ${fip.floatingIpAddress}/32 -j DNAT --to-destination ${fip.fixedIpAddress}`);
      lines.push(`-A OUTPUT -d ${fip.floatingIpAddress}/32 -j DNAT --to-destination ${fip.fixedIpAddress}`);
      lines.push(`-A POSTROUTING -s ${fip.fixedIpAddress}/32 -o ${gatewayDevice} -j SNAT --to-source ${fip.floatingIpAddress}`);
    }
    const snatAddress = router.gateway.ipAddresses.find(isIpv4);
    if (router.gateway.enableSnat && snatAddress) {
      // Inside traffic going out through the gateway, unless it was DNATed in (a reply).
      const inside = [...new Set(router.interfaces.filter((i) => isIpv4(i.ipAddress)).map((i) => i.cidr))];
      for (const cidr of inside) lines.push(`-A POSTROUTING -s ${cidr} -o ${gatewayDevice} -m conntrack ! --ctstate DNAT -j SNAT --to-source ${snatAddress}`);
    }
  }
  lines.push('COMMIT', '');
  return lines.join('\n');
}

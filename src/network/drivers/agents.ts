/**
 * The Neutron agents whose work both drivers do (the Linux-bridge driver on
 * the host, noop in simulation): a DHCP agent and an L3 agent where networks
 * and routers are served, and a Linux bridge agent wherever ports are bound.
 * Their configurations say how that work is done, as Neutron's agents report
 * theirs; `simulated` marks the noop driver's, which touch no host.
 */
import type { JsonObject } from '../../core/json.js';
import type { DriverAgent } from './driver.js';

export function linuxBridgeAgents(simulated: boolean): DriverAgent[] {
  const mark: JsonObject = simulated ? { simulated: true } : {};
  return [
    {
      agentType: 'DHCP agent',
      binary: 'neutron-dhcp-agent',
      topic: 'dhcp_agent',
      runsOn: 'network-host',
      availabilityZone: 'nova',
      configurations: { dhcp_driver: 'dnsmasq', namespaces: 'qdhcp-<network>', ...mark },
    },
    {
      agentType: 'L3 agent',
      binary: 'neutron-l3-agent',
      topic: 'l3_agent',
      runsOn: 'network-host',
      availabilityZone: 'nova',
      configurations: { agent_mode: 'legacy', interface_driver: 'linuxbridge', namespaces: 'qrouter-<router>', ...mark },
    },
    {
      agentType: 'Linux bridge agent',
      binary: 'neutron-linuxbridge-agent',
      topic: 'N/A',
      runsOn: 'port-host',
      availabilityZone: null,
      // Every network is its own bridge with no uplink: no physical or tunnel mapping.
      configurations: { bridge_mappings: {}, interface_mappings: {}, tunnel_types: [], l2_population: false, ...mark },
    },
  ];
}

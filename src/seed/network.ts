/**
 * The seed's networks, subnets, routers (gateway and interfaces) and
 * security groups with their rules, through the network service's door.
 * Each is found by name in its project before it is made; references name
 * the seed's resources or, failing that, any the cloud shows the operator
 * (the `public` network).
 */
import type { CallerContext } from '../core/context.js';
import type { NetworkOperations, SecurityGroupInfo, SecurityGroupRuleInfo } from '../network/operations.js';
import type { SeedSecurityGroupRule } from './model.js';
import type { SeedRun } from './run.js';
import type { SeedPath } from './source.js';

type Named = { id: string; name: string; projectId: string };

/** The one resource of this name in the project, or null. */
function inProject<T extends Named>(listing: () => Promise<T[]>, name: string, projectId: string): () => Promise<T | null> {
  return async () => (await listing()).find((item) => item.name === name && item.projectId === projectId) ?? null;
}

export async function applyNetwork(run: SeedRun): Promise<void> {
  const { seed } = run;
  const networks = new Map<string, string>();
  const subnets = new Map<string, string>();
  const reference = async (at: SeedPath, kind: string, known: Map<string, string>, name: string, find: () => Promise<Named>) =>
    known.get(name) ?? (await run.lookup(at, kind, name, find)).id;

  for (const [i, network] of (seed.networks ?? []).entries()) {
    const at = ['networks', i];
    const door = run.door('network', at);
    const caller = await run.callerFor(at, network);
    const made = await run.ensure(
      at,
      'network',
      network.name,
      inProject(() => door.networks.list(caller), network.name, projectOf(caller)),
      () =>
        door.networks.create(caller, {
          name: network.name,
          ...(network.description !== undefined && { description: network.description }),
          ...(network.shared !== undefined && { shared: network.shared }),
          ...(network.external !== undefined && { external: network.external }),
          ...(network.mtu !== undefined && { mtu: network.mtu }),
          ...(network.port_security_enabled !== undefined && { portSecurityEnabled: network.port_security_enabled }),
        }),
    );
    networks.set(network.name, made.id);
  }
  for (const [i, subnet] of (seed.subnets ?? []).entries()) {
    const at = ['subnets', i];
    const door = run.door('network', at);
    const caller = await run.callerFor(at, subnet);
    const networkId = await reference([...at, 'network'], 'network', networks, subnet.network, () => door.networks.find(run.admin, subnet.network));
    const made = await run.ensure(
      at,
      'subnet',
      subnet.name,
      inProject(() => door.subnets.listOfNetwork(caller, networkId), subnet.name, projectOf(caller)),
      () =>
        door.subnets.create(caller, {
          name: subnet.name,
          networkId,
          cidr: subnet.cidr,
          ipVersion: subnet.ip_version ?? (subnet.cidr.includes(':') ? 6 : 4),
          ...(subnet.gateway_ip !== undefined && { gatewayIp: subnet.gateway_ip }),
          ...(subnet.enable_dhcp !== undefined && { enableDhcp: subnet.enable_dhcp }),
          ...(subnet.dns_nameservers !== undefined && { dnsNameservers: subnet.dns_nameservers }),
          ...(subnet.allocation_pools !== undefined && { allocationPools: subnet.allocation_pools }),
          ...(subnet.description !== undefined && { description: subnet.description }),
        }),
    );
    subnets.set(subnet.name, made.id);
  }
  for (const [i, router] of (seed.routers ?? []).entries()) {
    const at = ['routers', i];
    const door = run.door('network', at);
    const caller = await run.callerFor(at, router);
    const gateway = router.external_gateway;
    const gatewayNetwork =
      gateway === undefined
        ? undefined
        : await reference([...at, 'external_gateway'], 'network', networks, gateway, () => door.networks.find(run.admin, gateway));
    const made = await run.ensure(
      at,
      'router',
      router.name,
      inProject(() => door.routers.list(caller), router.name, projectOf(caller)),
      () =>
        door.routers.create(caller, {
          name: router.name,
          ...(router.description !== undefined && { description: router.description }),
          ...(gatewayNetwork !== undefined && { externalGateway: { networkId: gatewayNetwork } }),
        }),
    );
    const routed = new Set((await door.ports.listWhere(caller, { deviceId: made.id })).flatMap((port) => port.fixedIps.map((ip) => ip.subnetId)));
    for (const [j, name] of (router.interfaces ?? []).entries()) {
      const place = [...at, 'interfaces', j];
      const subnetId = await reference(place, 'subnet', subnets, name, () => door.subnets.find(run.admin, name));
      if (routed.has(subnetId)) continue;
      await run.step(place, `router '${router.name}' interface on subnet '${name}'`, () => door.routers.addInterface(caller, made.id, { subnetId }));
      run.created += 1;
    }
  }
  await applySecurityGroups(run);
}

async function applySecurityGroups(run: SeedRun): Promise<void> {
  for (const [i, group] of (run.seed.security_groups ?? []).entries()) {
    const at = ['security_groups', i];
    const door = run.door('network', at);
    const caller = await run.callerFor(at, group);
    const made = await run.ensure(
      at,
      'security group',
      group.name,
      inProject(() => door.securityGroups.list(caller), group.name, projectOf(caller)),
      () =>
        door.securityGroups.create(caller, {
          name: group.name,
          ...(group.description !== undefined && { description: group.description }),
          ...(group.stateful !== undefined && { stateful: group.stateful }),
        }),
    );
    for (const [j, rule] of (group.rules ?? []).entries()) {
      const place = [...at, 'rules', j];
      const remoteGroupId = rule.remote_group === undefined ? null : await remoteGroup(run, place, door, caller, rule.remote_group);
      const current = await run.step(place, `security group '${group.name}'`, () => door.securityGroups.get(caller, made.id));
      if (current.rules.some((existing) => sameRule(existing, rule, remoteGroupId))) continue;
      await run.step(place, `a rule of security group '${group.name}'`, () =>
        door.securityGroups.createRule(caller, {
          securityGroupId: made.id,
          direction: rule.direction,
          ...(rule.ethertype !== undefined && { ethertype: rule.ethertype }),
          ...(rule.protocol !== undefined && { protocol: rule.protocol }),
          ...(rule.port_range_min !== undefined && { portRangeMin: rule.port_range_min }),
          ...(rule.port_range_max !== undefined && { portRangeMax: rule.port_range_max }),
          ...(rule.remote_ip_prefix !== undefined && { remoteIpPrefix: rule.remote_ip_prefix }),
          ...(remoteGroupId !== null && { remoteGroupId }),
          ...(rule.description !== undefined && { description: rule.description }),
        }),
      );
      run.created += 1;
    }
  }
}

/** The remote group of a rule: a group of this name in the caller's project. */
async function remoteGroup(run: SeedRun, at: SeedPath, door: NetworkOperations, caller: CallerContext, name: string): Promise<string> {
  const group = await run.lookup<SecurityGroupInfo>(
    [...at, 'remote_group'],
    'security group',
    name,
    inProject(() => door.securityGroups.list(caller), name, projectOf(caller)),
  );
  return group.id;
}

/** Whether the group already has this rule (Neutron would refuse it as SecurityGroupRuleExists). */
function sameRule(existing: SecurityGroupRuleInfo, rule: SeedSecurityGroupRule, remoteGroupId: string | null): boolean {
  return (
    existing.direction === rule.direction &&
    existing.ethertype === (rule.ethertype ?? 'IPv4') &&
    existing.protocol === (rule.protocol ?? null) &&
    existing.portRangeMin === (rule.port_range_min ?? null) &&
    existing.portRangeMax === (rule.port_range_max ?? null) &&
    existing.remoteIpPrefix === (rule.remote_ip_prefix ?? null) &&
    existing.remoteGroupId === remoteGroupId
  );
}

function projectOf(caller: CallerContext): string {
  return caller.project?.id ?? '';
}

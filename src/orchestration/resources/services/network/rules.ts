/**
 * Security group rules as Heat writes them (in OS::Neutron::SecurityGroup's
 * `rules` and OS::Neutron::SecurityGroupRule), turned into the network
 * service's requests, and the reconciliation that makes a group's rules
 * match its template.
 */
import type { CreateSecurityGroupRuleRequest, SecurityGroupRuleInfo } from '../../../../network/operations.js';
import type { Json, JsonObject } from '../../../json.js';
import type { ResourceContext } from '../../types.js';
import { allowed, custom, integer, range, string } from '../schema.js';
import { deleteUnlessGone, integer as integerOf, text } from '../support.js';
import { neutron, neutronId } from './lookups.js';

const PROTOCOL_NAMES = ['ah', 'dccp', 'egp', 'esp', 'gre', 'icmp', 'icmpv6', 'igmp', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'ipv6-nonxt', 'ipv6-opts'];
const MORE_PROTOCOL_NAMES = ['ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp'];
const PROTOCOLS: Json[] = [...Array.from({ length: 256 }, (_, n) => n), ...PROTOCOL_NAMES, ...MORE_PROTOCOL_NAMES];

/** The keys a rule has in both places. */
export const ruleProperties = {
  direction: string('The direction in which the security group rule is applied.', { default: 'ingress', constraints: [allowed('ingress', 'egress')] }),
  ethertype: string('Ethertype of the traffic.', { default: 'IPv4', constraints: [allowed('IPv4', 'IPv6')] }),
  port_range_min: integer('The minimum port number in the range that is matched by the security group rule.', { constraints: [range(0, 65535)] }),
  port_range_max: integer('The maximum port number in the range that is matched by the security group rule.', { constraints: [range(0, 65535)] }),
  protocol: string(
    `The protocol that is matched by the security group rule. Allowed values are ${[...PROTOCOL_NAMES, ...MORE_PROTOCOL_NAMES].join(', ')} and integer representations [0-255].`,
    {
      constraints: [allowed(...PROTOCOLS)],
    },
  ),
  remote_ip_prefix: string('The remote IP prefix (CIDR) to be associated with this security group rule.'),
  description: string('Description of the security group rule.'),
};

export const remoteGroupProperty = string('The remote group name or ID to be associated with this security group rule.', {
  constraints: [custom('neutron.security_group')],
});

export function sameRule(a: SecurityGroupRuleInfo, b: CreateSecurityGroupRuleRequest): boolean {
  return ruleKey(a) === ruleKey(b);
}

/** The service's request for one rule of `groupId`; `remoteGroup` already resolved to an id (or null). */
export function ruleRequest(groupId: string, rule: JsonObject, remoteGroupId: string | null): CreateSecurityGroupRuleRequest {
  const protocol = rule.protocol;
  const description = text(rule, 'description');
  return {
    securityGroupId: groupId,
    direction: rule.direction === 'egress' ? 'egress' : 'ingress',
    ethertype: rule.ethertype === 'IPv6' ? 'IPv6' : 'IPv4',
    protocol: protocol === null || protocol === undefined ? null : String(protocol),
    portRangeMin: integerOf(rule, 'port_range_min') ?? null,
    portRangeMax: integerOf(rule, 'port_range_max') ?? null,
    remoteIpPrefix: remoteGroupId === null ? (text(rule, 'remote_ip_prefix') ?? null) : null,
    remoteGroupId,
    ...(description !== undefined && { description }),
  };
}

/** What makes two rules the same rule (Neutron refuses a duplicate). */
function ruleKey(rule: Omit<CreateSecurityGroupRuleRequest, 'securityGroupId' | 'description'>): string {
  return JSON.stringify([
    rule.direction,
    rule.ethertype,
    rule.protocol ?? null,
    rule.portRangeMin ?? null,
    rule.portRangeMax ?? null,
    rule.remoteGroupId ?? null,
    rule.remoteIpPrefix ?? null,
  ]);
}

const DEFAULT_EGRESS = [
  { direction: 'egress', ethertype: 'IPv4' },
  { direction: 'egress', ethertype: 'IPv6' },
];

/** A rule of the group's `rules` list, its remote group resolved (remote_mode remote_group_id without a group: the group itself). */
async function groupRule(ctx: ResourceContext, groupId: string, rule: JsonObject): Promise<CreateSecurityGroupRuleRequest> {
  if (rule.remote_mode !== 'remote_group_id') return ruleRequest(groupId, rule, null);
  const remote = text(rule, 'remote_group_id');
  return ruleRequest(groupId, rule, remote === undefined ? groupId : await neutronId(ctx, 'securityGroups', remote));
}

/**
 * Makes the group's rules the template's: rules no longer wanted are
 * deleted, missing ones made (idempotent, so a retried create or update
 * converges). Without an egress rule in the template Neutron's default
 * egress rules stay, as Heat keeps them.
 */
export async function reconcileRules(ctx: ResourceContext, groupId: string, rules: JsonObject[]): Promise<void> {
  const groups = neutron(ctx.services).securityGroups;
  const wanted = rules.some((r) => r.direction === 'egress') ? rules : [...rules, ...DEFAULT_EGRESS];
  const desired = new Map<string, CreateSecurityGroupRuleRequest>();
  for (const rule of wanted) {
    const request = await groupRule(ctx, groupId, rule);
    desired.set(ruleKey(request), request);
  }
  const current: SecurityGroupRuleInfo[] = (await groups.get(ctx.caller, groupId)).rules;
  const currentKeys = new Set(current.map(ruleKey));
  for (const rule of current) if (!desired.has(ruleKey(rule))) await deleteUnlessGone(groups.deleteRule(ctx.caller, rule.id));
  for (const [key, request] of desired) if (!currentKeys.has(key)) await groups.createRule(ctx.caller, request);
}

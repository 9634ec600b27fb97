/**
 * Nova's os-security-groups proxy (+ rules, /servers/{id}/os-security-groups)
 * to the network service with the caller's context; gone at 2.36 (404), as
 * in Nova. The other proxies: images-proxy.ts, floating-ips.ts,
 * volume-proxies.ts, network-proxies.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { securityGroupErrors } from '../errors.js';
import type { CreateSecurityGroupRuleRequest, SecurityGroupInfo, SecurityGroupRuleInfo } from '../../network/operations.js';
import { authorize } from '../service/access.js';
import { V21, type ComputeApi } from './context.js';
import { neutron, proxyVersion } from './proxy-gate.js';
import * as v from './validate.js';

type IdParams = { Params: { id: string } };

const UUID_LIKE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A group named by a rule: Nova refuses an id that is not UUID-like before asking Neutron (400, not 404). */
function groupId(value: unknown, field: string): string {
  const id = v.string(String(value ?? ''), field, { min: 1 });
  if (!UUID_LIKE.test(id)) throw securityGroupErrors.idNotUuid();
  return id;
}

function ruleView(rule: SecurityGroupRuleInfo, groups: Map<string, SecurityGroupInfo>) {
  const remote = rule.remoteGroupId ? groups.get(rule.remoteGroupId) : undefined;
  return {
    id: rule.id,
    parent_group_id: rule.securityGroupId,
    ip_protocol: rule.protocol,
    from_port: rule.portRangeMin ?? (rule.protocol === 'icmp' ? -1 : null),
    to_port: rule.portRangeMax ?? (rule.protocol === 'icmp' ? -1 : null),
    ip_range: remote ? {} : { cidr: rule.remoteIpPrefix ?? (rule.ethertype === 'IPv6' ? '::/0' : '0.0.0.0/0') },
    group: remote ? { name: remote.name, tenant_id: remote.projectId } : {},
  };
}

function groupView(group: SecurityGroupInfo, groups: Map<string, SecurityGroupInfo>) {
  const rules = group.rules.filter((r) => r.direction === 'ingress');
  return { id: group.id, name: group.name, description: group.description, tenant_id: group.projectId, rules: rules.map((r) => ruleView(r, groups)) };
}

function groupInput(body: unknown): { name: string; description: string } {
  const group = v.envelope(body, 'security_group');
  if (group.name === undefined || group.description === undefined) throw securityGroupErrors.nameAndDescriptionRequired();
  const name = v.string(group.name, 'name', { max: 255 });
  const description = v.string(group.description, 'description', { max: 255 });
  if (name.trim() === '') throw securityGroupErrors.emptyName();
  return { name, description };
}

export function securityGroupProxyRoutes(app: FastifyInstance, api: ComputeApi): void {
  const net = () => api.ops.runtime.deps.peers.network();
  const check = (auth: CallerContext, rule: string) => authorize(api.ops.runtime.deps, auth, `os_compute_api:os-security-groups:${rule}`);
  const all = async (auth: CallerContext) => new Map((await net().securityGroups.list(auth)).map((g) => [g.id, g]));

  app.get(`${V21}/os-security-groups`, async (request) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    check(auth, 'get');
    const groups = await all(auth);
    const allTenants = v.queryValue(request.query, 'all_tenants');
    const mine = [...groups.values()].filter((g) => allTenants !== undefined || g.projectId === auth.project?.id);
    return { security_groups: mine.map((g) => groupView(g, groups)) };
  });
  app.post(`${V21}/os-security-groups`, async (request) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    check(auth, 'create');
    const created = await neutron(() => net().securityGroups.create(auth, groupInput(request.body)));
    return { security_group: groupView(created, await all(auth)) };
  });
  app.get<IdParams>(`${V21}/os-security-groups/:id`, async (request) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    check(auth, 'show');
    const group = await neutron(
      () => net().securityGroups.get(auth, request.params.id),
      () => securityGroupErrors.notFound(request.params.id),
    );
    return { security_group: groupView(group, await all(auth)) };
  });
  app.put<IdParams>(`${V21}/os-security-groups/:id`, async (request) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    check(auth, 'update');
    const input = groupInput(request.body);
    const group = await neutron(
      () => net().securityGroups.update(auth, request.params.id, input),
      () => securityGroupErrors.notFound(request.params.id),
    );
    return { security_group: groupView(group, await all(auth)) };
  });
  app.delete<IdParams>(`${V21}/os-security-groups/:id`, async (request, reply) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    check(auth, 'delete');
    await neutron(
      () => net().securityGroups.delete(auth, request.params.id),
      () => securityGroupErrors.notFound(request.params.id),
    );
    return reply.code(202).send();
  });

  app.post(`${V21}/os-security-group-rules`, async (request) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    check(auth, 'rule:create');
    const rule = v.envelope(request.body, 'security_group_rule');
    const parent = groupId(rule.parent_group_id, 'parent_group_id');
    const protocol = rule.ip_protocol === undefined || rule.ip_protocol === null ? null : v.string(rule.ip_protocol, 'ip_protocol').toLowerCase();
    const from = rule.from_port === undefined || rule.from_port === null ? null : v.integer(rule.from_port, 'from_port', { min: -1, max: 65535 });
    const to = rule.to_port === undefined || rule.to_port === null ? null : v.integer(rule.to_port, 'to_port', { min: -1, max: 65535 });
    if (protocol !== null && !['tcp', 'udp', 'icmp'].includes(protocol)) throw securityGroupErrors.invalidProtocol(protocol);
    if ((protocol === 'tcp' || protocol === 'udp') && (from === null || to === null || from > to || from < 1)) {
      throw securityGroupErrors.invalidPortRange();
    }
    // Nova's -1 is ICMP's "any type/code": Neutron leaves the range out.
    const bound = (port: number | null) => (port === null || (protocol === 'icmp' && port === -1) ? undefined : port);
    const remote =
      rule.group_id !== undefined && rule.group_id !== null
        ? { remoteGroupId: groupId(rule.group_id, 'group_id') }
        : { remoteIpPrefix: rule.cidr === undefined ? '0.0.0.0/0' : v.string(rule.cidr, 'cidr') };
    const ruleRequest: CreateSecurityGroupRuleRequest = {
      securityGroupId: parent,
      direction: 'ingress',
      ethertype: 'IPv4',
      ...(protocol && { protocol }),
      portRangeMin: bound(from),
      portRangeMax: bound(to),
      ...remote,
    };
    const created = await neutron(
      () => net().securityGroups.createRule(auth, ruleRequest),
      () => securityGroupErrors.notFound(parent),
    );
    return { security_group_rule: ruleView(created, await all(auth)) };
  });
  app.delete<IdParams>(`${V21}/os-security-group-rules/:id`, async (request, reply) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    check(auth, 'rule:delete');
    await neutron(
      () => net().securityGroups.deleteRule(auth, request.params.id),
      () => securityGroupErrors.ruleNotFound(request.params.id),
    );
    return reply.code(202).send();
  });

  app.get<IdParams>(`${V21}/servers/:id/os-security-groups`, async (request) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    const server = await api.ops.servers.get(auth, request.params.id);
    const names = (await api.ops.runtime.networking.securityGroupNames([server.id])).get(server.id) ?? [];
    const groups = await all(auth);
    const mine = [...groups.values()].filter((g) => names.includes(g.name) && g.projectId === server.projectId);
    return { security_groups: mine.map((g) => groupView(g, groups)) };
  });
}

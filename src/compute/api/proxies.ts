/**
 * Nova's deprecated proxies Tempest still calls at the base microversion:
 * os-security-groups (+ rules, /servers/{id}/os-security-groups) to the
 * network service and /images to the image service, both with the caller's
 * context. Both are gone at 2.36 (404), as in Nova.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import { proxyErrors, requestErrors, securityGroupErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import type { Image } from '../../image/operations.js';
import type { CreateSecurityGroupRuleRequest, SecurityGroupInfo, SecurityGroupRuleInfo } from '../../network/operations.js';
import { authorize } from '../service/access.js';
import { isoSeconds } from './server-views.js';
import { resourceLinks, versionOf, V21, type ComputeApi } from './context.js';
import * as v from './validate.js';

type IdParams = { Params: { id: string } };

function proxyVersion(request: FastifyRequest): void {
  if (atLeast(versionOf(request), '2.36')) throw requestErrors.resourceNotFound();
}

/** Neutron's errors as Nova's proxy maps them: 404 stays, 409 becomes 400. */
async function neutron<T>(fn: () => Promise<T>, notFound?: () => NimbusError): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof NimbusError && error.status === 404) throw notFound ? notFound() : proxyErrors.neutronNotFound(error.message);
    if (error instanceof NimbusError && error.status === 409) throw proxyErrors.neutronConflict(error.message);
    throw error;
  }
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
    const parent = v.string(String(rule.parent_group_id ?? ''), 'parent_group_id', { min: 1 });
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
        ? { remoteGroupId: v.string(String(rule.group_id), 'group_id') }
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

/** Glance status → Nova image status. */
const IMAGE_STATUS: Record<string, string> = {
  active: 'ACTIVE',
  queued: 'SAVING',
  saving: 'SAVING',
  uploading: 'SAVING',
  importing: 'SAVING',
  deleted: 'DELETED',
  pending_delete: 'DELETED',
  killed: 'ERROR',
  deactivated: 'ERROR',
};

function imageView(api: ComputeApi, image: Image, detail: boolean): Record<string, unknown> {
  const links = [
    ...resourceLinks(api.root, 'images', image.id),
    { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${api.root.replace(/\/compute$/, '/image')}/images/${image.id}` },
  ];
  if (!detail) return { id: image.id, name: image.name, links };
  const { instance_uuid: instanceUuid, ...metadata } = image.properties;
  const view: Record<string, unknown> = {
    id: image.id,
    name: image.name,
    status: IMAGE_STATUS[image.status] ?? 'UNKNOWN',
    created: isoSeconds(image.created_at),
    updated: isoSeconds(image.updated_at),
    minDisk: image.min_disk,
    minRam: image.min_ram,
    progress: image.status === 'active' ? 100 : image.status === 'queued' ? 25 : 50,
    metadata: instanceUuid ? { ...metadata, instance_uuid: instanceUuid } : metadata,
    'OS-EXT-IMG-SIZE:size': image.size,
    links,
  };
  if (instanceUuid) view.server = { id: instanceUuid, links: resourceLinks(api.root, 'servers', instanceUuid) };
  return view;
}

export function imageProxyRoutes(app: FastifyInstance, api: ComputeApi): void {
  const images = () => api.ops.runtime.deps.peers.image();
  const listing = (detail: boolean) => async (request: FastifyRequest) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    const ops = images();
    const limit = v.queryInt(request.query, 'limit');
    const marker = v.queryValue(request.query, 'marker') ?? null;
    const page = await ops.list(auth, { ...(limit !== undefined && { limit }), ...(marker !== null && { marker }) });
    return { images: page.map((i) => imageView(api, i, detail)) };
  };
  app.get(`${V21}/images`, listing(false));
  app.get(`${V21}/images/detail`, listing(true));
  app.get<IdParams>(`${V21}/images/:id`, async (request) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    const ops = images();
    const image = await ops.get(auth, request.params.id).catch((error: unknown) => {
      if (error instanceof NimbusError && error.status === 404) throw proxyErrors.imageNotFound();
      throw error;
    });
    return { image: imageView(api, image, true) };
  });
  app.delete<IdParams>(`${V21}/images/:id`, async (request, reply) => {
    proxyVersion(request);
    const auth = await api.authenticate(request);
    authorize(api.ops.runtime.deps, auth, 'os_compute_api:images:delete');
    const ops = images();
    await ops.delete(auth, request.params.id).catch((error: unknown) => {
      if (error instanceof NimbusError && error.status === 404) throw proxyErrors.imageNotFound();
      if (error instanceof NimbusError && error.status === 403) throw proxyErrors.imageNotFound();
      throw error;
    });
    return reply.code(204).send();
  });
}

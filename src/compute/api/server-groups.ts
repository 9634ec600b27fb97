/**
 * /os-server-groups: create, list (all_projects for admins, limit/offset),
 * show, delete. Before 2.64 a group has a one-item `policies` list and an
 * empty `metadata`; from 2.64 `policy` and `rules` (max_server_per_host for
 * anti-affinity). soft-* policies from 2.15, project and user from 2.13.
 */
import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { NewServerGroup } from '../service/server-groups.js';
import type { GroupPolicy, ServerGroup } from '../store/index.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import * as v from './validate.js';

function groupView(group: ServerGroup, version: Microversion) {
  const view: Record<string, unknown> = { id: group.id, name: group.name };
  if (atLeast(version, '2.64')) {
    view.policy = group.policy;
    view.rules = group.rules;
  } else {
    view.policies = [group.policy];
    view.metadata = {};
  }
  view.members = group.members;
  if (atLeast(version, '2.13')) {
    view.project_id = group.projectId;
    view.user_id = group.userId;
  }
  return view;
}

function policiesOf(version: Microversion): GroupPolicy[] {
  return atLeast(version, '2.15') ? ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity'] : ['anti-affinity', 'affinity'];
}

function policy(value: unknown, field: string, version: Microversion): GroupPolicy {
  const allowed = policiesOf(version);
  if (typeof value !== 'string' || !allowed.includes(value as GroupPolicy)) {
    throw v.invalid(field, value, `${JSON.stringify(value)} is not one of [${allowed.map((p) => `'${p}'`).join(', ')}]`);
  }
  return value as GroupPolicy;
}

function parseCreate(body: unknown, version: Microversion): NewServerGroup {
  const input = v.envelope(body, 'server_group');
  const name = v.name(input.name);
  if (!atLeast(version, '2.64')) {
    v.onlyKeys(input, ['name', 'policies'], 'server_group');
    const policies = input.policies;
    if (!Array.isArray(policies)) throw v.invalid('policies', policies, `${JSON.stringify(policies)} is not of type 'array'`);
    if (policies.length !== 1) throw v.invalid('policies', policies, policies.length === 0 ? '[] is too short' : `${JSON.stringify(policies)} is too long`);
    return { name, policy: policy(policies[0], 'policies', version), rules: {} };
  }
  v.onlyKeys(input, ['name', 'policy', 'rules'], 'server_group');
  if (input.policy === undefined) throw v.invalid('server_group', 'None', "'policy' is a required property");
  const chosen = policy(input.policy, 'policy', version);
  const rules = input.rules === undefined ? {} : v.object(input.rules, 'rules');
  v.onlyKeys(rules, ['max_server_per_host'], 'rules');
  if (Object.keys(rules).length > 0 && chosen !== 'anti-affinity') throw new BadRequest('Only anti-affinity policy supports rules.');
  if (rules.max_server_per_host === undefined) return { name, policy: chosen, rules: {} };
  return { name, policy: chosen, rules: { max_server_per_host: v.integer(rules.max_server_per_host, 'max_server_per_host', { min: 1 }) } };
}

export function serverGroupRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/os-server-groups`;

  app.post(base, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    return { server_group: groupView(await ops.serverGroups.create(auth, parseCreate(request.body, version)), version) };
  });

  app.get(base, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const q = request.query;
    const allProjects = v.queryValue(q, 'all_projects');
    const limit = v.queryInt(q, 'limit', 1);
    const offset = v.queryInt(q, 'offset', 0);
    const groups = await ops.serverGroups.list(auth, {
      // Nova takes the parameter's presence, whatever its value, before 2.75.
      allProjects: allProjects !== undefined && (!atLeast(version, '2.75') || v.boolean(allProjects, 'all_projects')),
      ...(limit !== undefined && { limit }),
      ...(offset !== undefined && { offset }),
    });
    return { server_groups: groups.map((g) => groupView(g, version)) };
  });

  app.get<{ Params: { id: string } }>(`${base}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    return { server_group: groupView(await ops.serverGroups.get(auth, request.params.id), versionOf(request)) };
  });

  app.delete<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.serverGroups.delete(auth, request.params.id);
    return reply.code(204).send();
  });
}

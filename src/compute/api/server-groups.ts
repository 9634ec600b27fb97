/**
 * /os-server-groups: create, list (all_projects for admins, limit/offset),
 * show, delete. Before 2.64 a group has a one-item `policies` list and an
 * empty `metadata`; from 2.64 `policy` and `rules` (max_server_per_host for
 * anti-affinity). soft-* policies from 2.15, project and user from 2.13.
 */
import type { FastifyInstance } from 'fastify';
import type { Microversion } from '../../core/microversions.js';
import { serverGroupErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import type { NewServerGroup } from '../service/server-groups.js';
import type { GroupPolicy, ServerGroup } from '../store/index.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { checkName, withVersionedBody } from './schema.js';
import { createServerGroup } from './schemas/server-groups.js';
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

type CreateBody = {
  server_group: { name: string; policies?: [GroupPolicy]; policy?: GroupPolicy; rules?: { max_server_per_host?: number | string } };
};

/** The group a create body asks for: the schema of its version has checked the shape. */
function parseCreate(body: CreateBody): NewServerGroup {
  const input = body.server_group;
  const name = checkName(input.name);
  const policy = input.policy ?? (input.policies as [GroupPolicy])[0];
  const rules = input.rules ?? {};
  if (Object.keys(rules).length > 0 && policy !== 'anti-affinity') throw serverGroupErrors.rulesNeedAntiAffinity();
  if (rules.max_server_per_host === undefined) return { name, policy, rules: {} };
  return { name, policy, rules: { max_server_per_host: v.integer(rules.max_server_per_host, 'max_server_per_host', { min: 1 }) } };
}

export function serverGroupRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/os-server-groups`;

  app.post<{ Body: CreateBody }>(base, withVersionedBody(api, createServerGroup), async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    return { server_group: groupView(await ops.serverGroups.create(auth, parseCreate(request.body)), version) };
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

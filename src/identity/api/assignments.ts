/**
 * Role grants on projects, domains and the system (plain and OS-INHERIT),
 * and GET /v3/role_assignments.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActorKind, AssignmentEntry, AssignmentNames, Grant, TargetKind } from '../service/assignments.js';
import type { IdentityApi } from './context.js';
import { queryBool, queryString, type Query } from './query.js';
import { listLinks, roleView } from './views.js';

type GrantParams = { target: string; actor: string; role?: string };

/** A family of grant URLs: how a URL names the target, actor and inheritance. */
interface GrantRoute {
  path: string;
  target: TargetKind;
  actor: ActorKind;
  inherited: boolean;
}

const ACTORS: Array<[ActorKind, string]> = [
  ['user', 'users'],
  ['group', 'groups'],
];

function grantRoutesTable(): GrantRoute[] {
  const routes: GrantRoute[] = [];
  for (const [actor, plural] of ACTORS) {
    routes.push({ path: `/v3/projects/:target/${plural}/:actor/roles`, target: 'project', actor, inherited: false });
    routes.push({ path: `/v3/domains/:target/${plural}/:actor/roles`, target: 'domain', actor, inherited: false });
    routes.push({ path: `/v3/system/${plural}/:actor/roles`, target: 'system', actor, inherited: false });
    routes.push({ path: `/v3/OS-INHERIT/domains/:target/${plural}/:actor/roles`, target: 'domain', actor, inherited: true });
    routes.push({ path: `/v3/OS-INHERIT/projects/:target/${plural}/:actor/roles`, target: 'project', actor, inherited: true });
  }
  return routes;
}

export function assignmentRoutes(app: FastifyInstance, api: IdentityApi): void {
  const ops = api.ops.assignments;

  for (const route of grantRoutesTable()) {
    const suffix = route.inherited ? '/inherited_to_projects' : '';
    const grantOf = (request: FastifyRequest): Grant => {
      const params = request.params as GrantParams;
      return {
        actor: route.actor,
        actorId: params.actor,
        target: route.target,
        targetId: route.target === 'system' ? 'system' : params.target,
        roleId: params.role ?? '',
        inherited: route.inherited,
      };
    };
    const one = `${route.path}/:role${suffix}`;

    app.put(one, async (request, reply) => {
      await ops.grant(await api.authenticate(request), grantOf(request));
      return reply.code(204).send();
    });
    app.head(one, async (request, reply) => {
      await ops.check(await api.authenticate(request), grantOf(request));
      return reply.code(204).send();
    });
    app.get(one, async (request, reply) => {
      await ops.check(await api.authenticate(request), grantOf(request));
      return reply.code(204).send();
    });
    app.delete(one, async (request, reply) => {
      await ops.revoke(await api.authenticate(request), grantOf(request));
      return reply.code(204).send();
    });
    app.get(`${route.path}${suffix}`, async (request) => {
      const roles = await ops.listGrants(await api.authenticate(request), grantOf(request));
      return { roles: roles.map((r) => roleView(api, r)), links: { self: api.url(request.url.replace(/^.*?\/v3/, '')), previous: null, next: null } };
    });
  }

  app.get('/v3/role_assignments', async (request) => {
    const auth = await api.authenticate(request);
    const query = request.query as Query;
    const inheritedTo = queryString(query, 'scope.OS-INHERIT:inherited_to');
    const entries = await ops.listAssignments(auth, {
      userId: queryString(query, 'user.id'),
      groupId: queryString(query, 'group.id'),
      roleId: queryString(query, 'role.id'),
      projectId: queryString(query, 'scope.project.id'),
      domainId: queryString(query, 'scope.domain.id'),
      system: queryString(query, 'scope.system') !== undefined,
      inheritedToProjects: inheritedTo === undefined ? undefined : inheritedTo === 'projects',
      effective: queryBool(query, 'effective') ?? false,
      includeSubtree: queryBool(query, 'include_subtree') ?? false,
    });
    const names = (queryBool(query, 'include_names') ?? false) ? await api.ops.assignments.names(entries) : null;
    return {
      role_assignments: entries.map((e) => renderAssignment(api, e, names)),
      links: listLinks(api, '/role_assignments'),
    };
  });
}

function grantPath(grant: Grant): string {
  const actor = `${grant.actor === 'user' ? 'users' : 'groups'}/${grant.actorId}/roles/${grant.roleId}`;
  if (grant.target === 'system') return `/system/${actor}`;
  const target = `${grant.target === 'project' ? 'projects' : 'domains'}/${grant.targetId}`;
  return grant.inherited ? `/OS-INHERIT/${target}/${actor}/inherited_to_projects` : `/${target}/${actor}`;
}

function renderAssignment(api: IdentityApi, entry: AssignmentEntry, names: AssignmentNames | null): Record<string, unknown> {
  const { grant } = entry;
  const named = <T extends object>(id: string, map: Map<string, T> | undefined) => ({ id, ...(map?.get(id) ?? {}) });
  const scope: Record<string, unknown> =
    grant.target === 'system'
      ? { system: { all: true } }
      : { [grant.target]: named(grant.targetId, grant.target === 'project' ? names?.projects : names?.domains) };
  if (grant.inherited) scope['OS-INHERIT:inherited_to'] = 'projects';
  const links: Record<string, string> = { assignment: api.url(grantPath(entry.source)) };
  if (entry.viaGroupId) links.membership = api.url(`/groups/${entry.viaGroupId}/users/${grant.actorId}`);
  if (entry.priorRoleId) links.prior_role = api.url(`/roles/${entry.priorRoleId}`);
  return {
    role: named(grant.roleId, names?.roles),
    [grant.actor]: named(grant.actorId, grant.actor === 'user' ? names?.users : names?.groups),
    scope,
    links,
  };
}

/**
 * OS-EP-FILTER: endpoint groups (a set of endpoint attributes an endpoint
 * must match) and the endpoints and groups associated with projects. A
 * project with any association sees only those endpoints in its tokens'
 * catalog (token-catalog.ts); one without sees the whole catalog, as
 * Keystone's default `return_all_endpoints_if_no_filter`.
 */
import type { CallerContext } from '../../core/context.js';

import { BadRequest } from '../../core/errors.js';
import { hexId } from '../../core/ids.js';
import * as store from '../store/index.js';
import type { Endpoint, EndpointGroup, IdentityDb } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import type { Attributes } from './extras.js';
import type { ProjectWithTags } from './resources.js';
import { requireMatchingId } from './validation.js';
import { identityErrors } from '../errors.js';

const FILTER_KEYS = ['service_id', 'region_id', 'interface'] as const;

export type EndpointFilters = Partial<Record<(typeof FILTER_KEYS)[number], string | null>>;

export class EndpointFilterOps {
  constructor(private readonly deps: IdentityDeps) {}

  async createGroup(auth: CallerContext, body: Attributes): Promise<EndpointGroup> {
    this.deps.authz.authorize(auth, 'create_endpoint_group');
    const filters = body.filters as EndpointFilters | undefined;
    if (!filters || Object.keys(filters).length === 0) throw new BadRequest('filters field is required and cannot be empty');
    checkFilterKeys(filters);
    const id = hexId();
    await store.insertEndpointGroup(this.deps.db, {
      id,
      name: body.name as string,
      description: (body.description as string | null | undefined) ?? null,
      filters: JSON.stringify(filters),
    });
    return store.getEndpointGroupOrThrow(this.deps.db, id);
  }

  async getGroup(auth: CallerContext, id: string): Promise<EndpointGroup> {
    this.deps.authz.authorize(auth, 'get_endpoint_group');
    return store.getEndpointGroupOrThrow(this.deps.db, id);
  }

  async listGroups(auth: CallerContext, filter: { name?: string }): Promise<EndpointGroup[]> {
    this.deps.authz.authorize(auth, 'list_endpoint_groups');
    return store.listEndpointGroups(this.deps.db, filter);
  }

  async updateGroup(auth: CallerContext, id: string, patch: Attributes): Promise<EndpointGroup> {
    this.deps.authz.authorize(auth, 'update_endpoint_group');
    if (patch.filters !== undefined) checkFilterKeys(patch.filters as EndpointFilters);
    requireMatchingId(patch, id);
    await store.getEndpointGroupOrThrow(this.deps.db, id);
    await store.updateEndpointGroup(this.deps.db, id, {
      ...(patch.name !== undefined && { name: patch.name as string }),
      ...(patch.description !== undefined && { description: patch.description as string | null }),
      ...(patch.filters !== undefined && { filters: JSON.stringify(patch.filters) }),
    });
    return store.getEndpointGroupOrThrow(this.deps.db, id);
  }

  async deleteGroup(auth: CallerContext, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_endpoint_group');
    await store.getEndpointGroupOrThrow(this.deps.db, id);
    await store.deleteEndpointGroup(this.deps.db, id);
  }

  /** GET /OS-EP-FILTER/endpoint_groups/{id}/endpoints: every endpoint, enabled or not, matching the group's filters. */
  async endpointsOfGroup(auth: CallerContext, id: string): Promise<Endpoint[]> {
    this.deps.authz.authorize(auth, 'list_endpoints_associated_with_endpoint_group');
    return matchingEndpoints(this.deps.db, await store.getEndpointGroupOrThrow(this.deps.db, id));
  }

  /** Keystone does not check the group exists here: an unknown one has no projects. */
  async projectsOfGroup(auth: CallerContext, id: string): Promise<ProjectWithTags[]> {
    this.deps.authz.authorize(auth, 'list_projects_associated_with_endpoint_group');
    return this.projects(await store.projectIdsOfEndpointGroup(this.deps.db, id));
  }

  async groupsOfProject(auth: CallerContext, projectId: string): Promise<EndpointGroup[]> {
    this.deps.authz.authorize(auth, 'list_endpoint_groups_for_project');
    await store.getProjectOrThrow(this.deps.db, projectId);
    return store.listEndpointGroups(this.deps.db, { ids: await store.endpointGroupIdsOfProject(this.deps.db, projectId) });
  }

  /** GET, PUT and DELETE /OS-EP-FILTER/endpoint_groups/{id}/projects/{project_id}. */
  async checkGroupInProject(auth: CallerContext, groupId: string, projectId: string): Promise<void> {
    this.deps.authz.authorize(auth, 'get_endpoint_group_in_project');
    await this.assertGroupAndProject(groupId, projectId);
    if (!(await store.hasEndpointGroupInProject(this.deps.db, groupId, projectId))) throw groupAssociationNotFound();
  }

  async addGroupToProject(auth: CallerContext, groupId: string, projectId: string): Promise<void> {
    this.deps.authz.authorize(auth, 'add_endpoint_group_to_project');
    await this.assertGroupAndProject(groupId, projectId);
    await store.addEndpointGroupToProject(this.deps.db, groupId, projectId);
  }

  async removeGroupFromProject(auth: CallerContext, groupId: string, projectId: string): Promise<void> {
    this.deps.authz.authorize(auth, 'remove_endpoint_group_from_project');
    await this.assertGroupAndProject(groupId, projectId);
    if (!(await store.hasEndpointGroupInProject(this.deps.db, groupId, projectId))) throw groupAssociationNotFound();
    await store.removeEndpointGroupFromProject(this.deps.db, groupId, projectId);
  }

  /** GET, PUT and DELETE /OS-EP-FILTER/projects/{project_id}/endpoints/{endpoint_id}. */
  async checkEndpointInProject(auth: CallerContext, projectId: string, endpointId: string): Promise<void> {
    this.deps.authz.authorize(auth, 'check_endpoint_in_project');
    await this.assertEndpointAndProject(endpointId, projectId);
    if (!(await store.hasEndpointInProject(this.deps.db, endpointId, projectId))) throw endpointAssociationNotFound(endpointId, projectId);
  }

  async addEndpointToProject(auth: CallerContext, projectId: string, endpointId: string): Promise<void> {
    this.deps.authz.authorize(auth, 'add_endpoint_to_project');
    await this.assertEndpointAndProject(endpointId, projectId);
    await store.addEndpointToProject(this.deps.db, endpointId, projectId);
  }

  /** Keystone checks only the association here, not the endpoint or project. */
  async removeEndpointFromProject(auth: CallerContext, projectId: string, endpointId: string): Promise<void> {
    this.deps.authz.authorize(auth, 'remove_endpoint_from_project');
    if (!(await store.hasEndpointInProject(this.deps.db, endpointId, projectId))) throw endpointAssociationNotFound(endpointId, projectId);
    await store.removeEndpointFromProject(this.deps.db, endpointId, projectId);
  }

  async endpointsOfProject(auth: CallerContext, projectId: string): Promise<Endpoint[]> {
    this.deps.authz.authorize(auth, 'list_endpoints_for_project');
    await store.getProjectOrThrow(this.deps.db, projectId);
    return [...(await projectEndpoints(this.deps.db, projectId)).values()];
  }

  async projectsOfEndpoint(auth: CallerContext, endpointId: string): Promise<ProjectWithTags[]> {
    this.deps.authz.authorize(auth, 'list_projects_for_endpoint');
    await store.getEndpointOrThrow(this.deps.db, endpointId);
    return this.projects(await store.projectIdsOfEndpoint(this.deps.db, endpointId));
  }

  private async assertGroupAndProject(groupId: string, projectId: string): Promise<void> {
    await store.getProjectOrThrow(this.deps.db, projectId);
    await store.getEndpointGroupOrThrow(this.deps.db, groupId);
  }

  private async assertEndpointAndProject(endpointId: string, projectId: string): Promise<void> {
    await store.getEndpointOrThrow(this.deps.db, endpointId);
    await store.getProjectOrThrow(this.deps.db, projectId);
  }

  private async projects(ids: string[]): Promise<ProjectWithTags[]> {
    const projects = (await Promise.all(ids.map((id) => store.getProject(this.deps.db, id)))).filter((p) => p !== undefined);
    const tags = await store.projectTags(this.deps.db, ids);
    return projects.map((p) => ({ ...p, tags: tags.get(p.id) ?? [] }));
  }
}

/**
 * The endpoints a project is associated with, directly or through its
 * endpoint groups, by id; empty when the project has no association.
 */
export async function projectEndpoints(db: IdentityDb, projectId: string): Promise<Map<string, Endpoint>> {
  const direct = new Set(await store.endpointIdsOfProject(db, projectId));
  const groups = await store.listEndpointGroups(db, { ids: await store.endpointGroupIdsOfProject(db, projectId) });
  const all = direct.size > 0 || groups.length > 0 ? await store.listEndpoints(db, {}) : [];
  const endpoints = new Map(all.filter((e) => direct.has(e.id)).map((e) => [e.id, e]));
  for (const group of groups) {
    for (const endpoint of matching(all, group)) endpoints.set(endpoint.id, endpoint);
  }
  return endpoints;
}

async function matchingEndpoints(db: IdentityDb, group: EndpointGroup): Promise<Endpoint[]> {
  return matching(await store.listEndpoints(db, {}), group);
}

function matching(endpoints: Endpoint[], group: EndpointGroup): Endpoint[] {
  const entries = Object.entries(JSON.parse(group.filters) as EndpointFilters) as Array<[keyof EndpointFilters, string | null]>;
  return endpoints.filter((endpoint) => entries.every(([key, value]) => endpoint[key] === value));
}

function checkFilterKeys(filters: EndpointFilters): void {
  if (Object.keys(filters).some((key) => !(FILTER_KEYS as readonly string[]).includes(key))) {
    throw identityErrors.expectingToFind(FILTER_KEYS.join(' or '), 'endpoint_group');
  }
}

const groupAssociationNotFound = () => identityErrors.notFoundMessage('Endpoint Group Project Association not found');
const endpointAssociationNotFound = (endpointId: string, projectId: string) =>
  identityErrors.notFoundMessage(`Endpoint ${endpointId} not found in project ${projectId}`);

/** /v3/projects, including tags. */
import type { FastifyInstance } from 'fastify';

import type { IdentityApi } from './context.js';
import { queryBool, queryList, queryString, type Query } from './query.js';
import { descriptionSchema, enabledSchema, nameSchema, nullableIdSchema, wrapped } from './schemas.js';
import { listLinks, projectView } from './views.js';
import { identityErrors } from '../errors.js';

const tagsSchema = { type: 'array', items: { type: 'string' } } as const;
const projectProperties = {
  properties: {
    name: { ...nameSchema, maxLength: 64 },
    description: descriptionSchema,
    enabled: enabledSchema,
    domain_id: nullableIdSchema,
    parent_id: nullableIdSchema,
    is_domain: { type: 'boolean' },
    tags: tagsSchema,
  },
};

type Params = { Params: { id: string } };
type TagParams = { Params: { id: string; tag: string } };

export function projectRoutes(app: FastifyInstance, api: IdentityApi): void {
  const projects = api.ops.resources;
  const domainProjects = api.ops.domainProjects;

  app.post('/v3/projects', { schema: { body: wrapped('project', projectProperties, ['name']) } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body as { project: Record<string, unknown> };
    const created = body.project.is_domain === true ? await domainProjects.create(auth, body.project) : await projects.createProject(auth, body.project);
    return reply.code(201).send({ project: projectView(api, created) });
  });

  app.get('/v3/projects', async (request) => {
    const auth = await api.authenticate(request);
    const query = request.query as Query;
    if (queryBool(query, 'is_domain') === true) {
      const domains = await domainProjects.list(auth, { name: queryString(query, 'name'), enabled: queryBool(query, 'enabled') });
      return { projects: domains.map((p) => projectView(api, p)), links: listLinks(api, '/projects') };
    }
    const list = await projects.listProjects(auth, {
      name: queryString(query, 'name'),
      domainId: queryString(query, 'domain_id'),
      parentId: queryString(query, 'parent_id'),
      enabled: queryBool(query, 'enabled'),
      tags: queryList(query, 'tags'),
      tagsAny: queryList(query, 'tags-any'),
      notTags: queryList(query, 'not-tags'),
      notTagsAny: queryList(query, 'not-tags-any'),
    });
    return { projects: list.map((p) => projectView(api, p)), links: listLinks(api, '/projects') };
  });

  app.get<Params>('/v3/projects/:id', async (request) => {
    const auth = await api.authenticate(request);
    const query = request.query as Query;
    const asList = { parents: queryBool(query, 'parents_as_list') ?? false, subtree: queryBool(query, 'subtree_as_list') ?? false };
    const asIds = { parents: queryBool(query, 'parents_as_ids') ?? false, subtree: queryBool(query, 'subtree_as_ids') ?? false };
    if (asList.parents && asIds.parents) throw identityErrors.hierarchyListAndIds('parents');
    if (asList.subtree && asIds.subtree) throw identityErrors.hierarchyListAndIds('subtree');
    if (await domainProjects.isDomain(request.params.id)) return { project: projectView(api, await domainProjects.get(auth, request.params.id)) };
    if (!asList.parents && !asList.subtree && !asIds.parents && !asIds.subtree) {
      return { project: projectView(api, await projects.getProject(auth, request.params.id)) };
    }
    const tree = await projects.projectHierarchy(auth, request.params.id);
    const wrap = (list: typeof tree.parents) => list.map((p) => ({ project: projectView(api, p) }));
    return {
      project: {
        ...projectView(api, tree.project),
        ...(asList.parents && { parents: wrap(tree.parents) }),
        ...(asIds.parents && { parents: tree.parentsAsIds }),
        ...(asList.subtree && { subtree: wrap(tree.subtree) }),
        ...(asIds.subtree && { subtree: tree.subtreeAsIds }),
      },
    };
  });

  app.patch<Params>('/v3/projects/:id', { schema: { body: wrapped('project', projectProperties) } }, async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body as { project: Record<string, unknown> };
    const { id } = request.params;
    const updated = (await domainProjects.isDomain(id))
      ? await domainProjects.update(auth, id, body.project)
      : await projects.updateProject(auth, id, body.project);
    return { project: projectView(api, updated) };
  });

  app.delete<Params>('/v3/projects/:id', async (request, reply) => {
    const auth = await api.authenticate(request);
    const { id } = request.params;
    await ((await domainProjects.isDomain(id)) ? domainProjects.delete(auth, id) : projects.deleteProject(auth, id));
    return reply.code(204).send();
  });

  app.get<Params>('/v3/projects/:id/tags', async (request) => {
    const auth = await api.authenticate(request);
    return { tags: await projects.projectTags(auth, request.params.id) };
  });

  app.put<Params>(
    '/v3/projects/:id/tags',
    { schema: { body: { type: 'object', required: ['tags'], additionalProperties: false, properties: { tags: tagsSchema } } } },
    async (request) => {
      const auth = await api.authenticate(request);
      const { tags } = request.body as { tags: string[] };
      return { tags: await projects.setProjectTags(auth, request.params.id, tags, 'update_project_tags') };
    },
  );

  app.delete<Params>('/v3/projects/:id/tags', async (request, reply) => {
    const auth = await api.authenticate(request);
    await projects.setProjectTags(auth, request.params.id, [], 'delete_project_tags');
    return reply.code(204).send();
  });

  app.get<TagParams>('/v3/projects/:id/tags/:tag', async (request, reply) => {
    const auth = await api.authenticate(request);
    const tags = await projects.projectTags(auth, request.params.id);
    if (!tags.includes(request.params.tag)) {
      throw identityErrors.tagNotFound(request.params.tag, request.params.id);
    }
    return reply.code(204).send();
  });

  app.put<TagParams>('/v3/projects/:id/tags/:tag', async (request, reply) => {
    const auth = await api.authenticate(request);
    const current = await projects.projectTags(auth, request.params.id);
    await projects.setProjectTags(auth, request.params.id, [...current, request.params.tag], 'create_project_tag');
    // The tag came percent-decoded from the path; a header may not carry it raw (CR, NUL, non-ASCII).
    reply.header('location', api.url(`/projects/${encodeURIComponent(request.params.id)}/tags/${encodeURIComponent(request.params.tag)}`));
    return reply.code(201).send();
  });

  app.delete<TagParams>('/v3/projects/:id/tags/:tag', async (request, reply) => {
    const auth = await api.authenticate(request);
    const current = await projects.projectTags(auth, request.params.id);
    if (!current.includes(request.params.tag)) {
      throw identityErrors.tagNotFound(request.params.tag, request.params.id);
    }
    await projects.setProjectTags(
      auth,
      request.params.id,
      current.filter((t) => t !== request.params.tag),
      'delete_project_tag',
    );
    return reply.code(204).send();
  });
}

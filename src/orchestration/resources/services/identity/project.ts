/** OS::Keystone::Project: a project in a domain (admin by Keystone's default policy). */
import type { ProjectChanges, ProjectInfo } from '../../../../identity/operations.js';
import { attribute, boolean, custom, string, stringList } from '../schema.js';
import { serviceResource } from '../service-resource.js';
import { asJson, flag, strings, text } from '../support.js';
import { keystone } from './lookups.js';

export const projectResource = serviceResource<ProjectInfo>(
  {
    type: 'OS::Keystone::Project',
    description: 'A Keystone project.',
    nameProperty: 'name',
    properties: {
      name: string('Name of keystone project.', { updateAllowed: true }),
      domain: string('Name or id of keystone domain.', { default: 'default', constraints: [custom('keystone.domain')] }),
      description: string('Description of keystone project.', { default: '', updateAllowed: true }),
      enabled: boolean('This project is enabled or disabled.', { default: true, updateAllowed: true }),
      parent: string('The name or ID of parent of this keystone project in hierarchy.', { constraints: [custom('keystone.project')] }),
      tags: stringList('A list of tags for labeling and sorting projects.', { default: [], updateAllowed: true }),
    },
    attributes: {
      name: attribute('Project name.', 'string'),
      parent_id: attribute('Parent project id.', 'string'),
      domain_id: attribute('Domain id for project.', 'string'),
      enabled: attribute('Flag of enable project.', 'boolean'),
      is_domain: attribute('Indicates whether the project also acts as a domain.', 'boolean'),
    },
  },
  {
    get: (ctx, id) => keystone(ctx.services).getProject(ctx.caller, id),
    findByName: async (ctx, name) => (await keystone(ctx.services).listProjects(ctx.caller, { name }))[0] ?? null,
    async create(ctx, p, name) {
      const identity = keystone(ctx.services);
      const parent = text(p, 'parent');
      return identity.createProject(ctx.caller, {
        name,
        domainId: (await identity.findDomain(ctx.caller, text(p, 'domain') ?? 'default')).id,
        ...(parent !== undefined && { parentId: (await identity.findProject(ctx.caller, parent)).id }),
        description: text(p, 'description') ?? '',
        enabled: flag(p, 'enabled') ?? true,
        tags: strings(p, 'tags'),
      });
    },
    async update(ctx, id, change) {
      const p = change.properties;
      const changes: ProjectChanges = {};
      if (change.changed.includes('name')) changes.name = text(p, 'name') ?? ctx.resource.physicalName;
      if (change.changed.includes('description')) changes.description = text(p, 'description') ?? '';
      if (change.changed.includes('enabled')) changes.enabled = flag(p, 'enabled') ?? true;
      if (change.changed.includes('tags')) changes.tags = strings(p, 'tags');
      await keystone(ctx.services).updateProject(ctx.caller, id, changes);
    },
    remove: (ctx, id) => keystone(ctx.services).deleteProject(ctx.caller, id),
    idOf: (project) => project.id,
    view: (project) =>
      asJson({
        id: project.id,
        name: project.name,
        domain_id: project.domainId,
        parent_id: project.parentId ?? project.domainId,
        description: project.description,
        enabled: project.enabled,
        tags: project.tags,
        is_domain: false,
      }),
  },
);

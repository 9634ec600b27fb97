/** Domains, projects and project tags (Keystone's resource backend). */
import type { Insertable, Updateable } from 'kysely';

import { uniquely } from './guard.js';
import type { IdentityDb } from './index.js';
import type { Domain, DomainTable, Project, ProjectTable } from './tables.js';
import { identityErrors } from '../errors.js';

export async function insertDomain(db: IdentityDb, row: Insertable<DomainTable>): Promise<void> {
  await uniquely(
    () => db.insertInto('domain').values(row).execute(),
    () => identityErrors.conflict('store', 'domain', `Duplicate entry found with name ${row.name}`),
  );
}

export async function getDomain(db: IdentityDb, id: string): Promise<Domain | undefined> {
  return db.selectFrom('domain').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getDomainOrThrow(db: IdentityDb, id: string): Promise<Domain> {
  const domain = await getDomain(db, id);
  if (!domain) throw identityErrors.notFound('domain', id);
  return domain;
}

export async function findDomainByName(db: IdentityDb, name: string): Promise<Domain | undefined> {
  return db.selectFrom('domain').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function listDomains(db: IdentityDb, filter: { name?: string; enabled?: boolean }): Promise<Domain[]> {
  let query = db.selectFrom('domain').selectAll().orderBy('name');
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
  return query.execute();
}

export async function updateDomain(db: IdentityDb, id: string, patch: Updateable<DomainTable>): Promise<void> {
  await uniquely(
    () => db.updateTable('domain').set(patch).where('id', '=', id).execute(),
    () => identityErrors.conflict('update', 'domain', `Duplicate entry found with name ${patch.name ?? ''}`),
  );
}

export async function deleteDomain(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('domain').where('id', '=', id).execute();
}

export async function insertProject(db: IdentityDb, row: Insertable<ProjectTable>, tags: string[]): Promise<void> {
  await uniquely(
    () => db.insertInto('project').values(row).execute(),
    () => identityErrors.conflict('store', 'project', `it is not permitted to have two projects with the same name in the same domain : ${row.name}`),
  );
  await replaceProjectTags(db, row.id, tags);
}

export async function getProject(db: IdentityDb, id: string): Promise<Project | undefined> {
  return db.selectFrom('project').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getProjectOrThrow(db: IdentityDb, id: string): Promise<Project> {
  const project = await getProject(db, id);
  if (!project) throw identityErrors.notFound('project', id);
  return project;
}

export async function findProjectByName(db: IdentityDb, domainId: string, name: string): Promise<Project | undefined> {
  return db.selectFrom('project').selectAll().where('domain_id', '=', domainId).where('name', '=', name).executeTakeFirst();
}

export interface ProjectFilter {
  name?: string;
  domainId?: string;
  parentId?: string;
  enabled?: boolean;
  ids?: string[];
  /** Every tag must be present. */
  tags?: string[];
  /** At least one tag present. */
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
}

export async function listProjects(db: IdentityDb, filter: ProjectFilter): Promise<Project[]> {
  let query = db.selectFrom('project').selectAll().orderBy('name');
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  if (filter.domainId !== undefined) query = query.where('domain_id', '=', filter.domainId);
  if (filter.parentId !== undefined) query = query.where('parent_id', '=', filter.parentId);
  if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', filter.ids);
  }
  const tagged = (names: string[]) => db.selectFrom('project_tag').select('project_id').where('name', 'in', names).groupBy('project_id');
  if (filter.tags?.length) {
    const count = filter.tags.length;
    query = query.where(
      'id',
      'in',
      tagged(filter.tags).having((eb) => eb.fn.countAll(), '=', count),
    );
  }
  if (filter.tagsAny?.length) query = query.where('id', 'in', tagged(filter.tagsAny));
  if (filter.notTags?.length) {
    const count = filter.notTags.length;
    query = query.where(
      'id',
      'not in',
      tagged(filter.notTags).having((eb) => eb.fn.countAll(), '=', count),
    );
  }
  if (filter.notTagsAny?.length) query = query.where('id', 'not in', tagged(filter.notTagsAny));
  return query.execute();
}

export async function childProjects(db: IdentityDb, parentId: string): Promise<Project[]> {
  return db.selectFrom('project').selectAll().where('parent_id', '=', parentId).execute();
}

export async function projectsInDomain(db: IdentityDb, domainId: string): Promise<Project[]> {
  return db.selectFrom('project').selectAll().where('domain_id', '=', domainId).execute();
}

export async function updateProject(db: IdentityDb, id: string, patch: Updateable<ProjectTable>): Promise<void> {
  await uniquely(
    () => db.updateTable('project').set(patch).where('id', '=', id).execute(),
    () => identityErrors.conflict('update', 'project', `it is not permitted to have two projects with the same name in the same domain : ${patch.name ?? ''}`),
  );
}

export async function deleteProject(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('project_tag').where('project_id', '=', id).execute();
  await db.deleteFrom('project').where('id', '=', id).execute();
}

export async function projectTags(db: IdentityDb, projectIds: string[]): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  if (projectIds.length === 0) return tags;
  const rows = await db.selectFrom('project_tag').selectAll().where('project_id', 'in', projectIds).orderBy('name').execute();
  for (const row of rows) tags.set(row.project_id, [...(tags.get(row.project_id) ?? []), row.name]);
  return tags;
}

export async function replaceProjectTags(db: IdentityDb, projectId: string, tags: string[]): Promise<void> {
  await db.deleteFrom('project_tag').where('project_id', '=', projectId).execute();
  if (tags.length > 0) {
    await db
      .insertInto('project_tag')
      .values([...new Set(tags)].map((name) => ({ project_id: projectId, name })))
      .execute();
  }
}

/** The seed's domains, projects (with their quotas), users with their roles, groups and application credentials, through identity's door. */
import type { RoleAssignment } from '../identity/operations.js';
import type { SeedRoleGrant } from './model.js';
import type { SeedRun } from './run.js';
import type { SeedPath } from './source.js';

export async function applyIdentity(run: SeedRun): Promise<void> {
  const { seed, admin } = run;
  for (const [i, domain] of (seed.domains ?? []).entries()) {
    const at = ['domains', i];
    const identity = run.identity(at);
    await run.ensure(
      at,
      'domain',
      domain.name,
      () => identity.findDomain(admin, domain.name),
      () => identity.createDomain(admin, { name: domain.name, description: domain.description ?? '', enabled: domain.enabled ?? true }),
    );
  }
  for (const [i, project] of (seed.projects ?? []).entries()) {
    const at = ['projects', i];
    const identity = run.identity(at);
    const domainId = await run.domainId([...at, 'domain'], project.domain);
    const made = await run.ensure(
      at,
      'project',
      project.name,
      () => identity.findProject(admin, project.name, domainId),
      () =>
        identity.createProject(admin, {
          name: project.name,
          domainId,
          ...(project.description !== undefined && { description: project.description }),
          ...(project.enabled !== undefined && { enabled: project.enabled }),
          ...(project.tags !== undefined && { tags: project.tags }),
        }),
    );
    run.projects.set(project.name, made);
  }
  for (const [i, user] of (seed.users ?? []).entries()) {
    const at = ['users', i];
    const identity = run.identity(at);
    const domainId = await run.domainId([...at, 'domain'], user.domain);
    const defaultProject = user.default_project === undefined ? undefined : await run.project([...at, 'default_project'], user.default_project);
    const made = await run.ensure(
      at,
      'user',
      user.name,
      () => identity.findUser(admin, user.name, domainId),
      () =>
        identity.createUser(admin, {
          name: user.name,
          domainId,
          password: user.password,
          ...(defaultProject && { defaultProjectId: defaultProject.id }),
          ...(user.email !== undefined && { email: user.email }),
          ...(user.description !== undefined && { description: user.description }),
          ...(user.enabled !== undefined && { enabled: user.enabled }),
        }),
    );
    run.users.set(user.name, made);
    await grantRoles(run, [...at, 'roles'], user.roles ?? [], { kind: 'user', id: made.id });
  }
  for (const [i, group] of (seed.groups ?? []).entries()) {
    const at = ['groups', i];
    const identity = run.identity(at);
    const domainId = await run.domainId([...at, 'domain'], group.domain);
    const made = await run.ensure(
      at,
      'group',
      group.name,
      () => identity.findGroup(admin, group.name, domainId),
      () => identity.createGroup(admin, { name: group.name, domainId, ...(group.description !== undefined && { description: group.description }) }),
    );
    for (const [j, member] of (group.users ?? []).entries()) {
      const user = await run.user([...at, 'users', j], member);
      await run.step([...at, 'users', j], `adding '${member}' to group '${group.name}'`, () => identity.addUserToGroup(admin, made.id, user.id));
    }
    await grantRoles(run, [...at, 'roles'], group.roles ?? [], { kind: 'group', id: made.id });
  }
  for (const [i, credential] of (seed.application_credentials ?? []).entries()) {
    const at = ['application_credentials', i];
    const identity = run.identity(at);
    const project = await run.project([...at, 'project'], credential.project);
    const caller = await run.login(at, credential.user, project);
    await run.ensure(
      at,
      'application credential',
      credential.name,
      () => identity.findApplicationCredential(caller, credential.name),
      () =>
        identity.createApplicationCredential(caller, {
          name: credential.name,
          secret: credential.secret,
          ...(credential.description !== undefined && { description: credential.description }),
          ...(credential.roles !== undefined && { roles: credential.roles }),
          ...(credential.expires_at !== undefined && { expiresAt: credential.expires_at }),
          ...(credential.unrestricted !== undefined && { unrestricted: credential.unrestricted }),
        }),
    );
  }
}

/** Grants each role (a repeat changes nothing, as Keystone's PUT on a grant). */
async function grantRoles(run: SeedRun, at: SeedPath, grants: SeedRoleGrant[], actor: RoleAssignment['actor']): Promise<void> {
  for (const [i, grant] of grants.entries()) {
    const place = [...at, i];
    const identity = run.identity(place);
    const role = await run.lookup([...place, 'role'], 'role', grant.role, () => identity.findRole(run.admin, grant.role));
    const target: RoleAssignment['target'] =
      grant.project !== undefined
        ? { kind: 'project', id: (await run.project([...place, 'project'], grant.project)).id }
        : { kind: 'domain', id: await run.domainId([...place, 'domain'], grant.domain) };
    await run.step(place, `granting role '${grant.role}'`, () => identity.grantRole(run.admin, { roleId: role.id, actor, target }));
  }
}

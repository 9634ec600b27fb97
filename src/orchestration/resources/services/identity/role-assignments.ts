/**
 * The `roles` property OS::Keystone::User and ::Group share: role
 * assignments of the user or group on projects or domains, granted on
 * create and brought in line with the template on update.
 */
import { BadRequest } from '../../../../core/errors.js';
import type { RoleAssignment } from '../../../../identity/operations.js';
import type { JsonObject } from '../../../json.js';
import type { PropertySchema, ResourceContext } from '../../types.js';
import { custom, listOf, string } from '../schema.js';
import { deleteUnlessGone, maps, text } from '../support.js';
import { keystone } from './lookups.js';

export type Actor = RoleAssignment['actor'];

export const rolesProperty: PropertySchema = listOf(
  'List of role assignments.',
  {
    role: string('Keystone role.', { required: true, constraints: [custom('keystone.role')] }),
    project: string('Keystone project.', { constraints: [custom('keystone.project')] }),
    domain: string('Keystone domain.', { constraints: [custom('keystone.domain')] }),
  },
  { updateAllowed: true },
);

/** Each assignment names exactly one of project and domain, as Heat checks before anything is made. */
export function validateRoles(p: JsonObject): void {
  for (const entry of maps(p, 'roles')) {
    const project = text(entry, 'project');
    const domain = text(entry, 'domain');
    if (project !== undefined && domain !== undefined) {
      throw new BadRequest('Cannot define the following properties at the same time: project, domain', { type: 'ResourcePropertyConflict' });
    }
    if (project === undefined && domain === undefined) {
      throw new BadRequest(`Either project or domain must be specified for role ${text(entry, 'role') ?? ''}`, { type: 'StackValidationFailed' });
    }
  }
}

async function assignments(ctx: ResourceContext, actor: Actor, p: JsonObject): Promise<RoleAssignment[]> {
  const identity = keystone(ctx.services);
  return Promise.all(
    maps(p, 'roles').map(async (entry) => {
      const project = text(entry, 'project');
      const roleId = (await identity.findRole(ctx.caller, text(entry, 'role') ?? '')).id;
      const target: RoleAssignment['target'] =
        project !== undefined
          ? { kind: 'project', id: (await identity.findProject(ctx.caller, project)).id }
          : { kind: 'domain', id: (await identity.findDomain(ctx.caller, text(entry, 'domain') ?? '')).id };
      return { roleId, actor, target };
    }),
  );
}

const key = (a: RoleAssignment) => JSON.stringify([a.roleId, a.target]);

/** Grants what `next` lists and `previous` did not; revokes the reverse. Granting twice is harmless, so a retry converges. */
export async function syncRoles(ctx: ResourceContext, actor: Actor, previous: JsonObject, next: JsonObject): Promise<void> {
  const identity = keystone(ctx.services);
  const wanted = await assignments(ctx, actor, next);
  const before = await assignments(ctx, actor, previous);
  const wantedKeys = new Set(wanted.map(key));
  for (const old of before) if (!wantedKeys.has(key(old))) await deleteUnlessGone(identity.revokeRole(ctx.caller, old));
  for (const assignment of wanted) await identity.grantRole(ctx.caller, assignment);
}

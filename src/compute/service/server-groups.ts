/**
 * Server groups (os-server-groups): a policy the scheduler applies to the
 * group's members. Groups count against the `server_groups` quota of their
 * project; members against `server_group_members` per group
 * (`assertGroupHasRoom`, for the build pipeline that adds them).
 */
import type { CallerContext } from '../../core/context.js';
import { QuotaExceeded } from '../../core/errors.js';
import { serverGroupErrors } from '../errors.js';
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import * as store from '../store/index.js';
import type { GroupPolicy, ServerGroup } from '../store/index.js';
import { allowed, authorize, callerProject } from './access.js';
import type { ComputeDeps } from './deps.js';

export interface NewServerGroup {
  name: string;
  policy: GroupPolicy;
  rules: ServerGroup['rules'];
}

export class ServerGroupOps {
  constructor(private readonly deps: ComputeDeps) {}

  async create(auth: CallerContext, input: NewServerGroup): Promise<ServerGroup> {
    const projectId = callerProject(auth);
    authorize(this.deps, auth, 'os_compute_api:os-server-groups:create', { project_id: projectId });
    const group: ServerGroup = {
      id: uuid(),
      projectId,
      userId: auth.userId,
      name: input.name,
      policy: input.policy,
      rules: input.rules,
      members: [],
      createdAt: nowIso(),
    };
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        await this.deps.quota.reserve(trx, projectId, { server_groups: 1 });
        await store.insertServerGroup(trx, group);
      });
    } catch (error) {
      if (error instanceof QuotaExceeded) throw serverGroupErrors.limitExceeded();
      throw error;
    }
    return group;
  }

  /** The caller's project's groups, or every project's for an admin asking `all_projects`. */
  async list(auth: CallerContext, options: { allProjects: boolean; limit?: number; offset?: number }): Promise<ServerGroup[]> {
    const projectId = callerProject(auth);
    authorize(this.deps, auth, 'os_compute_api:os-server-groups:index', { project_id: projectId });
    const everyProject = options.allProjects && allowed(this.deps, auth, 'os_compute_api:os-server-groups:index:all_projects');
    const groups = await store.listServerGroups(this.deps.db, everyProject ? undefined : projectId);
    const from = options.offset ?? 0;
    return groups.slice(from, options.limit !== undefined ? from + options.limit : undefined);
  }

  async get(auth: CallerContext, id: string): Promise<ServerGroup> {
    const group = await store.getServerGroup(this.deps.db, id);
    if (!group) throw serverGroupErrors.notFound(id);
    authorize(this.deps, auth, 'os_compute_api:os-server-groups:show', { project_id: group.projectId });
    return group;
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    const group = await store.getServerGroup(this.deps.db, id);
    if (!group) throw serverGroupErrors.notFound(id);
    authorize(this.deps, auth, 'os_compute_api:os-server-groups:delete', { project_id: group.projectId });
    await this.deps.db.transaction().execute(async (trx) => {
      if (await store.deleteServerGroup(trx, id)) await this.deps.quota.release(trx, group.projectId, { server_groups: 1 });
    });
  }
}

/**
 * Nova's `server_group_members` check for servers joining a group at build
 * (403 as Nova words it). The build pipeline calls it in the transaction
 * that adds the members (store.addGroupMembers), with the project's limit
 * read before it (a second connection inside a SQLite transaction would wait forever).
 */
export function assertGroupHasRoom(group: ServerGroup, joining: number, limit: number): void {
  if (limit >= 0 && group.members.length + joining > limit) throw serverGroupErrors.membersExceeded();
}

/**
 * Swift's keystoneauth rule for a caller on an account, by roles alone: the
 * reseller admin role owns every account; the operator roles (admin,
 * member) on the account's project own it; the project reader roles read
 * their project's account and the system reader roles every account, with
 * GET and HEAD only. The REST API (api/access.ts) then tries container ACLs
 * and temp URLs; the in-process operations (operations.ts) stop here.
 */
import type { CallerContext } from '../../core/context.js';

export interface AccountRoles {
  operatorRoles: string[];
  resellerAdminRole: string;
  projectReaderRoles: string[];
  systemReaderRoles: string[];
}

export type AccountRight = 'reseller' | 'owner' | 'reader' | null;

/** What `auth` may do on the account of `project` (Swift's `AUTH_<project>`); `reading` for GET/HEAD. */
export function accountRight(roles: AccountRoles, auth: CallerContext, project: string | null, reading: boolean): AccountRight {
  if (auth.roles.includes(roles.resellerAdminRole)) return 'reseller';
  const ownProject = project !== null && auth.project?.id === project;
  if (ownProject && auth.roles.some((r) => roles.operatorRoles.includes(r))) return 'owner';
  if (!reading) return null;
  const projectReader = ownProject && auth.roles.some((r) => roles.projectReaderRoles.includes(r));
  return projectReader || auth.roles.some((r) => roles.systemReaderRoles.includes(r)) ? 'reader' : null;
}

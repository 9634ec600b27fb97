/**
 * Container ACLs as Swift's keystoneauth reads them: a comma-separated list of
 * `.r:<referrer>` (anonymous reads; `*`, a host, `.domain`, or `-` to deny),
 * `.rlistings` (those referrers may also list), `project:user` pairs (ids or
 * names, `*` for any) and bare role names.
 */
import type { CallerContext } from '../../core/context.js';

export interface ParsedAcl {
  referrers: string[];
  listings: boolean;
  grants: string[];
}

export function parseAcl(value: string | undefined): ParsedAcl {
  const acl: ParsedAcl = { referrers: [], listings: false, grants: [] };
  for (const raw of (value ?? '').split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    if (item === '.rlistings') acl.listings = true;
    else if (item.startsWith('.r:') || item.startsWith('.ref:') || item.startsWith('.referer:') || item.startsWith('.referrer:')) {
      acl.referrers.push(item.slice(item.indexOf(':') + 1));
    } else acl.grants.push(item);
  }
  return acl;
}

/** Swift's referrer_allowed: the last matching entry wins; `-` entries deny. */
export function referrerAllowed(referer: string | undefined, referrers: string[]): boolean {
  let host: string;
  try {
    host = referer ? new URL(referer).hostname : '';
  } catch {
    host = '';
  }
  let allowed = false;
  for (const entry of referrers) {
    const deny = entry.startsWith('-');
    const pattern = deny ? entry.slice(1) : entry;
    const matches = pattern === '*' || (host !== '' && (pattern === host || (pattern.startsWith('.') && host.endsWith(pattern))));
    if (matches) allowed = !deny;
  }
  return allowed;
}

/** True when an entry names this user's project and user (ids or names), or one of its roles. */
export function grantsUser(acl: ParsedAcl, auth: CallerContext): boolean {
  for (const grant of acl.grants) {
    const colon = grant.indexOf(':');
    if (colon < 0) {
      if (auth.roles.includes(grant)) return true;
      continue;
    }
    const project = grant.slice(0, colon);
    const user = grant.slice(colon + 1);
    const projectMatches = project === '*' || project === auth.project?.id || project === auth.project?.name;
    const userMatches = user === '*' || user === auth.userId || user === auth.userName;
    if (projectMatches && userMatches) return true;
  }
  return false;
}

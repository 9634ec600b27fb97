/**
 * Who is calling: built from a validated token by the identity service and
 * passed through every operation, including calls from one service to another,
 * so policy and quotas hold across the hop.
 */
export interface AuthContext {
  /** The token the caller presented (forwarded on service-to-service calls). */
  token: string;
  userId: string;
  userName: string;
  userDomainId: string;
  userDomainName: string;
  /** Set for project-scoped tokens. */
  project: { id: string; name: string; domainId: string; domainName: string } | null;
  /** Set for domain-scoped tokens. */
  domain: { id: string; name: string } | null;
  /** True for system-scoped tokens (system "all"). */
  system: boolean;
  /** Effective role names on the scope (implied roles expanded). */
  roles: string[];
  roleIds: string[];
  /** True when the project is the cloud's admin project (Keystone's is_admin_project). */
  isAdminProject: boolean;
  applicationCredentialId: string | null;
  auditIds: string[];
  expiresAt: Date;
  issuedAt: Date;
}

export interface RequestContext {
  requestId: string;
  /** Null for unauthenticated calls (version documents, token issue). */
  auth: AuthContext | null;
}

/** The credential dictionary oslo.policy rules see (oslo.context's to_policy_values). */
export function policyCredentials(auth: AuthContext): Record<string, unknown> & { roles: string[] } {
  return {
    user_id: auth.userId,
    user_domain_id: auth.userDomainId,
    project_id: auth.project?.id ?? null,
    project_domain_id: auth.project?.domainId ?? null,
    domain_id: auth.domain?.id ?? null,
    system_scope: auth.system ? 'all' : null,
    roles: auth.roles,
    is_admin_project: auth.isAdminProject,
    // Keystone's own rules refer to the token as `token.*`.
    token: {
      user: { id: auth.userId, domain: { id: auth.userDomainId } },
      project: auth.project ? { id: auth.project.id, domain: { id: auth.project.domainId } } : null,
      domain: auth.domain ? { id: auth.domain.id } : null,
    },
  };
}

/** The context the service uses for its own work (DHCP ports, first-start content): admin on a project. */
import type { AuthContext } from '../../core/context.js';

export function serviceAuth(projectId: string | null, projectName = ''): AuthContext {
  return {
    token: '',
    userId: 'nimbus-network',
    userName: 'nimbus-network',
    userDomainId: 'default',
    userDomainName: 'Default',
    project: projectId === null ? null : { id: projectId, name: projectName, domainId: 'default', domainName: 'Default' },
    domain: null,
    system: projectId === null,
    roles: ['admin', 'member', 'reader'],
    roleIds: [],
    isAdminProject: true,
    applicationCredentialId: null,
    auditIds: [],
    expiresAt: new Date(Date.now() + 3_600_000),
    issuedAt: new Date(),
  };
}

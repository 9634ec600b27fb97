/**
 * Keystone's default policy (the Zed defaults with enforce_new_defaults off,
 * which is what deployments and Tempest run against): system and domain
 * personas from secure RBAC, and admin anywhere still counting as admin.
 * Operators override any rule in <data-dir>/policy.yaml.
 */
const ADMIN = 'rule:admin_required';
const SYSTEM_READER = '(role:reader and system_scope:all)';
const reader = (domainTarget: string) => `${ADMIN} or ${SYSTEM_READER} or (role:reader and domain_id:%(${domainTarget})s)`;
const domainAdmin = (domainTarget: string) => `${ADMIN} or (role:admin and domain_id:%(${domainTarget})s)`;

export const identityPolicyDefaults: Record<string, string> = {
  admin_required: 'role:admin or is_admin:1',
  service_role: 'role:service',
  service_or_admin: 'rule:admin_required or rule:service_role',
  owner: 'user_id:%(user_id)s',
  admin_or_owner: 'rule:admin_required or rule:owner',
  token_subject: 'user_id:%(target.token.user_id)s',
  admin_or_token_subject: 'rule:admin_required or rule:token_subject',
  service_admin_or_token_subject: 'rule:service_or_admin or rule:token_subject',

  'identity:validate_token': 'rule:service_admin_or_token_subject',
  'identity:check_token': 'rule:service_admin_or_token_subject',
  'identity:revoke_token': 'rule:admin_or_token_subject',

  'identity:get_region': '',
  'identity:list_regions': '',
  'identity:create_region': ADMIN,
  'identity:update_region': ADMIN,
  'identity:delete_region': ADMIN,

  'identity:get_service': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:list_services': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:create_service': ADMIN,
  'identity:update_service': ADMIN,
  'identity:delete_service': ADMIN,

  'identity:get_endpoint': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:list_endpoints': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:create_endpoint': ADMIN,
  'identity:update_endpoint': ADMIN,
  'identity:delete_endpoint': ADMIN,

  'identity:get_domain': `${ADMIN} or ${SYSTEM_READER} or token.project.domain.id:%(target.domain.id)s or token.domain.id:%(target.domain.id)s`,
  'identity:list_domains': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:create_domain': ADMIN,
  'identity:update_domain': ADMIN,
  'identity:delete_domain': ADMIN,

  'identity:get_project': `${reader('target.project.domain_id')} or project_id:%(target.project.id)s`,
  'identity:list_projects': reader('target.domain_id'),
  'identity:list_user_projects': `${reader('target.user.domain_id')} or user_id:%(target.user.id)s`,
  'identity:create_project': domainAdmin('target.project.domain_id'),
  'identity:update_project': domainAdmin('target.project.domain_id'),
  'identity:delete_project': domainAdmin('target.project.domain_id'),
  'identity:list_project_tags': `${reader('target.project.domain_id')} or project_id:%(target.project.id)s`,
  'identity:get_project_tag': `${reader('target.project.domain_id')} or project_id:%(target.project.id)s`,
  'identity:update_project_tags': `${domainAdmin('target.project.domain_id')} or (role:member and project_id:%(target.project.id)s)`,
  'identity:create_project_tag': `${domainAdmin('target.project.domain_id')} or (role:member and project_id:%(target.project.id)s)`,
  'identity:delete_project_tags': `${domainAdmin('target.project.domain_id')} or (role:member and project_id:%(target.project.id)s)`,
  'identity:delete_project_tag': `${domainAdmin('target.project.domain_id')} or (role:member and project_id:%(target.project.id)s)`,

  'identity:get_user': `${reader('target.user.domain_id')} or user_id:%(target.user.id)s`,
  'identity:list_users': reader('target.domain_id'),
  'identity:create_user': domainAdmin('target.user.domain_id'),
  'identity:update_user': domainAdmin('target.user.domain_id'),
  'identity:delete_user': domainAdmin('target.user.domain_id'),

  'identity:get_group': reader('target.group.domain_id'),
  'identity:list_groups': reader('target.domain_id'),
  'identity:list_groups_for_user': `${reader('target.user.domain_id')} or user_id:%(user_id)s`,
  'identity:create_group': domainAdmin('target.group.domain_id'),
  'identity:update_group': domainAdmin('target.group.domain_id'),
  'identity:delete_group': domainAdmin('target.group.domain_id'),
  'identity:list_users_in_group': reader('target.group.domain_id'),
  'identity:check_user_in_group': reader('target.group.domain_id'),
  'identity:add_user_to_group': domainAdmin('target.group.domain_id'),
  'identity:remove_user_from_group': domainAdmin('target.group.domain_id'),

  'identity:get_role': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:list_roles': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:create_role': ADMIN,
  'identity:update_role': ADMIN,
  'identity:delete_role': ADMIN,
  'identity:get_domain_role': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:list_domain_roles': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:create_domain_role': ADMIN,
  'identity:update_domain_role': ADMIN,
  'identity:delete_domain_role': ADMIN,
  'identity:get_implied_role': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:list_implied_roles': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:list_role_inference_rules': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:check_implied_role': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:create_implied_role': ADMIN,
  'identity:delete_implied_role': ADMIN,

  'identity:check_grant': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:list_grants': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:create_grant': ADMIN,
  'identity:revoke_grant': ADMIN,
  'identity:list_system_grants_for_user': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:check_system_grant_for_user': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:create_system_grant_for_user': ADMIN,
  'identity:revoke_system_grant_for_user': ADMIN,
  'identity:list_system_grants_for_group': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:check_system_grant_for_group': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:create_system_grant_for_group': ADMIN,
  'identity:revoke_system_grant_for_group': ADMIN,
  'identity:list_role_assignments': `${ADMIN} or ${SYSTEM_READER} or (role:reader and domain_id:%(target.domain_id)s)`,
  'identity:list_role_assignments_for_tree': `${ADMIN} or ${SYSTEM_READER}`,

  // Trusts (keystone/common/policies/trust.py): the trustor creates and deletes, trustor or trustee reads.
  trust_owner: 'user_id:%(trust.trustor_user_id)s',
  'identity:create_trust': 'rule:trust_owner',
  'identity:list_trusts': `${ADMIN} or ${SYSTEM_READER}`,
  'identity:list_trusts_for_trustor': `${ADMIN} or ${SYSTEM_READER} or user_id:%(target.trust.trustor_user_id)s`,
  'identity:list_trusts_for_trustee': `${ADMIN} or ${SYSTEM_READER} or user_id:%(target.trust.trustee_user_id)s`,
  'identity:list_roles_for_trust': `${SYSTEM_READER} or user_id:%(target.trust.trustor_user_id)s or user_id:%(target.trust.trustee_user_id)s`,
  'identity:get_role_for_trust': `${SYSTEM_READER} or user_id:%(target.trust.trustor_user_id)s or user_id:%(target.trust.trustee_user_id)s`,
  'identity:get_trust': `${SYSTEM_READER} or user_id:%(target.trust.trustor_user_id)s or user_id:%(target.trust.trustee_user_id)s`,
  'identity:delete_trust': `(role:admin and system_scope:all) or ${ADMIN} or user_id:%(target.trust.trustor_user_id)s`,

  'identity:get_application_credential': `${SYSTEM_READER} or rule:owner or ${ADMIN}`,
  'identity:list_application_credentials': `${SYSTEM_READER} or rule:owner or ${ADMIN}`,
  'identity:create_application_credential': 'user_id:%(user_id)s',
  'identity:delete_application_credential': `(role:admin and system_scope:all) or rule:owner or ${ADMIN}`,

  'identity:get_credential': `${ADMIN} or ${SYSTEM_READER} or user_id:%(target.credential.user_id)s`,
  'identity:list_credentials': `${ADMIN} or ${SYSTEM_READER} or user_id:%(target.credential.user_id)s`,
  'identity:create_credential': `${ADMIN} or user_id:%(target.credential.user_id)s`,
  'identity:update_credential': `${ADMIN} or user_id:%(target.credential.user_id)s`,
  'identity:delete_credential': `${ADMIN} or user_id:%(target.credential.user_id)s`,

  // The Zed rules OR-ed with their deprecated ones, like the rest of this file.
  // Keystone now also asks role:member of an owner who creates or deletes one
  // (bug 2142138); that takes effect only where new defaults are enforced.
  'identity:ec2_get_credential': `${ADMIN} or ${SYSTEM_READER} or user_id:%(target.credential.user_id)s`,
  'identity:ec2_list_credentials': `${ADMIN} or ${SYSTEM_READER} or rule:owner`,
  'identity:ec2_create_credential': `${ADMIN} or rule:owner`,
  'identity:ec2_delete_credential': `${ADMIN} or user_id:%(target.credential.user_id)s`,

  'identity:get_registered_limit': '',
  'identity:list_registered_limits': '',
  'identity:create_registered_limits': ADMIN,
  'identity:update_registered_limit': ADMIN,
  'identity:delete_registered_limit': ADMIN,
  'identity:get_limit_model': '',
  'identity:get_limit': `${ADMIN} or ${SYSTEM_READER} or project_id:%(target.limit.project_id)s or domain_id:%(target.limit.domain_id)s`,
  'identity:list_limits': '',
  'identity:create_limits': ADMIN,
  'identity:update_limit': ADMIN,
  'identity:delete_limit': ADMIN,
};

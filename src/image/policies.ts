/**
 * Glance's default policy (the secure-RBAC defaults of `glance/policies/`),
 * each action registered as `image:<Glance name>` in the one enforcer every
 * service shares; operators override them in <data-dir>/policy.yaml under
 * those names. `context_is_admin` is the rule OpenStack services share for
 * "is this caller an admin" (Glance's `is_admin`).
 */
const ADMIN = 'rule:context_is_admin';
const DEFAULT = 'rule:image:default';
const SERVICE = 'rule:image:service_api';
const PROJECT_MEMBER = 'role:member and project_id:%(project_id)s';
const PROJECT_READER = 'role:reader and project_id:%(project_id)s';
const IMAGE_MEMBER = 'project_id:%(member_id)s';
const SHARED_OR_PUBLIC = "'community':%(visibility)s or 'public':%(visibility)s or 'shared':%(visibility)s";

const ADMIN_OR_PROJECT_MEMBER = `${ADMIN} or (${PROJECT_MEMBER})`;
const ADMIN_OR_PROJECT_READER = `${ADMIN} or (${PROJECT_READER})`;
const METADEF_ADMIN = 'rule:image:metadef_admin';
/** A reader sees its project's namespaces and the public ones. */
const ADMIN_OR_PROJECT_READER_GET_NAMESPACE = `${ADMIN} or (role:reader and (project_id:%(project_id)s or 'public':%(visibility)s))`;

/** The metadata definitions catalog: everyone reads what is visible, `metadef_admin` writes. */
const metadefPolicies: Record<string, string> = {
  'image:metadef_default': '',
  'image:metadef_admin': ADMIN,
  'image:get_metadef_namespaces': ADMIN_OR_PROJECT_READER,
  ...Object.fromEntries(
    [
      'get_metadef_namespace',
      'get_metadef_object',
      'get_metadef_objects',
      'list_metadef_resource_types',
      'get_metadef_resource_type',
      'get_metadef_property',
      'get_metadef_properties',
      'get_metadef_tag',
      'get_metadef_tags',
    ].map((action) => [`image:${action}`, ADMIN_OR_PROJECT_READER_GET_NAMESPACE]),
  ),
  ...Object.fromEntries(
    [
      'add_metadef_namespace',
      'modify_metadef_namespace',
      'delete_metadef_namespace',
      'add_metadef_object',
      'modify_metadef_object',
      'delete_metadef_object',
      'add_metadef_resource_type_association',
      'remove_metadef_resource_type_association',
      'add_metadef_property',
      'modify_metadef_property',
      'remove_metadef_property',
      'add_metadef_tag',
      'add_metadef_tags',
      'modify_metadef_tag',
      'delete_metadef_tag',
      'delete_metadef_tags',
    ].map((action) => [`image:${action}`, METADEF_ADMIN]),
  ),
};

export const imagePolicyDefaults: Record<string, string> = {
  context_is_admin: 'role:admin',
  'image:default': '',
  'image:service_api': 'role:service or role:admin',

  'image:add_image': `${ADMIN} or (${PROJECT_MEMBER} and project_id:%(owner)s)`,
  'image:delete_image': ADMIN_OR_PROJECT_MEMBER,
  'image:get_image': `${ADMIN} or (role:reader and (project_id:%(project_id)s or ${IMAGE_MEMBER} or ${SHARED_OR_PUBLIC}))`,
  'image:get_images': ADMIN_OR_PROJECT_READER,
  'image:modify_image': ADMIN_OR_PROJECT_MEMBER,
  'image:publicize_image': ADMIN,
  'image:communitize_image': ADMIN_OR_PROJECT_MEMBER,
  'image:download_image': `${ADMIN} or (role:member and (project_id:%(project_id)s or ${IMAGE_MEMBER} or ${SHARED_OR_PUBLIC}))`,
  'image:upload_image': ADMIN_OR_PROJECT_MEMBER,
  'image:delete_image_location': ADMIN,
  'image:get_image_location': ADMIN_OR_PROJECT_READER,
  'image:set_image_location': ADMIN_OR_PROJECT_MEMBER,
  'image:add_member': ADMIN_OR_PROJECT_MEMBER,
  'image:delete_member': ADMIN_OR_PROJECT_MEMBER,
  'image:get_member': `${ADMIN} or role:reader and (project_id:%(project_id)s or ${IMAGE_MEMBER})`,
  'image:get_members': `${ADMIN} or role:reader and (project_id:%(project_id)s or ${IMAGE_MEMBER})`,
  'image:modify_member': `${ADMIN} or (role:member and ${IMAGE_MEMBER})`,
  'image:deactivate': ADMIN_OR_PROJECT_MEMBER,
  'image:reactivate': ADMIN_OR_PROJECT_MEMBER,
  'image:copy_image': ADMIN,
  'image:stores_info_detail': `${ADMIN} or ${SERVICE}`,

  'image:get_task': DEFAULT,
  'image:get_tasks': DEFAULT,
  'image:add_task': DEFAULT,
  'image:modify_task': DEFAULT,
  'image:tasks_api_access': ADMIN,

  ...metadefPolicies,
};

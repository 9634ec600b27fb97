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
};

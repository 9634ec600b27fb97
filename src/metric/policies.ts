/**
 * Gnocchi's default policy (gnocchi/rest/policies.py), under Gnocchi's own
 * action names (`get resource`, `create metric`...) so an operator's
 * Gnocchi policy.yaml means the same here. The helper rules carry a
 * `metric:` prefix: other services define their own `creator`-like names.
 * Gnocchi's creator check is by project (`user:%(creator)s` compares a user
 * id with `user:project` and never holds).
 */
const ADMIN = 'role:admin';
const ADMIN_OR_SERVICE = 'rule:metric:admin_or_service';
const ADMIN_OR_CREATOR = 'rule:metric:admin_or_creator';
const ADMIN_OR_SERVICE_OR_CREATOR = 'rule:metric:admin_or_service or rule:metric:creator';
const ADMIN_OR_CREATOR_OR_RESOURCE_OWNER = 'rule:metric:admin_or_creator or rule:metric:resource_owner';
const ADMIN_OR_SERVICE_OR_CREATOR_OR_RESOURCE_OWNER = 'rule:metric:admin_or_service or rule:metric:creator or rule:metric:resource_owner';
const ADMIN_OR_CREATOR_OR_METRIC_OWNER = 'rule:metric:admin_or_creator or rule:metric:metric_owner';
const ADMIN_OR_SERVICE_OR_CREATOR_OR_METRIC_OWNER = 'rule:metric:admin_or_service or rule:metric:creator or rule:metric:metric_owner';
const UNPROTECTED = '';

export const metricPolicyDefaults: Record<string, string> = {
  context_is_admin: ADMIN,
  'metric:creator': 'project_id:%(created_by_project_id)s',
  'metric:admin_or_creator': `${ADMIN} or rule:metric:creator`,
  'metric:admin_or_service': 'role:admin or role:service',
  'metric:resource_owner': 'project_id:%(project_id)s',
  'metric:metric_owner': 'project_id:%(resource.project_id)s',
  'get status': ADMIN,
  'create resource': UNPROTECTED,
  'get resource': ADMIN_OR_CREATOR_OR_RESOURCE_OWNER,
  'update resource': ADMIN_OR_SERVICE_OR_CREATOR,
  'delete resource': ADMIN_OR_CREATOR,
  'delete resources': ADMIN_OR_CREATOR,
  'list resource': ADMIN_OR_CREATOR_OR_RESOURCE_OWNER,
  'search resource': ADMIN_OR_SERVICE_OR_CREATOR_OR_RESOURCE_OWNER,
  'create resource type': ADMIN_OR_SERVICE,
  'get resource type': UNPROTECTED,
  'update resource type': ADMIN_OR_SERVICE,
  'delete resource type': ADMIN,
  'list resource type': UNPROTECTED,
  'create archive policy': ADMIN_OR_SERVICE,
  'get archive policy': UNPROTECTED,
  'update archive policy': ADMIN,
  'delete archive policy': ADMIN,
  'list archive policy': UNPROTECTED,
  'create archive policy rule': ADMIN,
  'get archive policy rule': UNPROTECTED,
  'update archive policy rule': ADMIN,
  'delete archive policy rule': ADMIN,
  'list archive policy rule': UNPROTECTED,
  'create metric': UNPROTECTED,
  'get metric': ADMIN_OR_SERVICE_OR_CREATOR_OR_METRIC_OWNER,
  'delete metric': ADMIN_OR_CREATOR,
  'list metric': ADMIN_OR_CREATOR_OR_METRIC_OWNER,
  'search metric': ADMIN_OR_CREATOR_OR_METRIC_OWNER,
  'post measures': ADMIN_OR_SERVICE_OR_CREATOR,
  'get measures': ADMIN_OR_SERVICE_OR_CREATOR_OR_METRIC_OWNER,
};

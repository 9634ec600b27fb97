/**
 * Heat's default policy (the secure-RBAC defaults of heat/policies/*.py),
 * each action under Heat's own name (`stacks:create`, `resource:signal`,
 * `software_deployments:metadata`, ...) in the enforcer every service shares;
 * operators override them in <data-dir>/policy.yaml. The target's
 * `project_id` is the project in the request's URL (or the stack's project
 * for calls that come from the engine).
 *
 * Heat's base rules keep their meaning under `orchestration:` names, as
 * other services also define `context_is_admin` with their own text.
 */
import { Forbidden } from '../core/errors.js';
import { authorizer, type Authorizer, type PolicyEnforcer } from '../core/policy/index.js';

const SYSTEM_ADMIN = 'role:admin and system_scope:all';
const PROJECT_MEMBER = 'role:member and project_id:%(project_id)s';
const PROJECT_READER = 'role:reader and project_id:%(project_id)s';
const PROJECT_ADMIN = 'role:admin and project_id:%(project_id)s';
const PROJECT_STACK_USER = 'role:heat_stack_user and project_id:%(project_id)s';
const PROJECT_READER_OR_STACK_USER = `(${PROJECT_READER}) or (${PROJECT_STACK_USER})`;
const DENY_EVERYBODY = 'rule:orchestration:deny_everybody';
const PROJECT_ADMIN_RULE = 'rule:orchestration:project_admin';

/** The rule E's service and the API name for "this caller is a cloud admin" (Heat's context.is_admin). */
export const HEAT_CONTEXT_IS_ADMIN = 'orchestration:context_is_admin';

/** `<root>:<action>` for each action, all with one check string. */
function family(root: string, check: string, actions: string[]): Record<string, string> {
  return Object.fromEntries(actions.map((action) => [`${root}:${action}`, check]));
}

/** Resource types only an admin may use in a template (heat/policies/resource_types.py). */
const ADMIN_ONLY_RESOURCE_TYPES = [
  'OS::Nova::Flavor',
  'OS::Cinder::EncryptedVolumeType',
  'OS::Cinder::VolumeType',
  'OS::Cinder::Quota',
  'OS::Neutron::Quota',
  'OS::Nova::Quota',
  'OS::Octavia::Quota',
  'OS::Manila::ShareType',
  'OS::Neutron::ProviderNet',
  'OS::Neutron::QoSPolicy',
  'OS::Neutron::QoSBandwidthLimitRule',
  'OS::Neutron::QoSDscpMarkingRule',
  'OS::Neutron::QoSMinimumBandwidthRule',
  'OS::Neutron::QoSMinimumPacketRateRule',
  'OS::Neutron::Segment',
  'OS::Nova::HostAggregate',
  'OS::Cinder::QoSSpecs',
  'OS::Cinder::QoSAssociation',
  'OS::Keystone::*',
  'OS::Blazar::Host',
  'OS::Octavia::Flavor',
  'OS::Octavia::FlavorProfile',
  'OS::Octavia::AvailabilityZone',
  'OS::Octavia::AvailabilityZoneProfile',
];

export const orchestrationPolicyDefaults: Record<string, string> = {
  [HEAT_CONTEXT_IS_ADMIN]: `(role:admin and is_admin_project:True) or (${SYSTEM_ADMIN})`,
  'orchestration:project_admin': 'role:admin',
  'orchestration:deny_stack_user': 'not role:heat_stack_user',
  'orchestration:deny_everybody': '!',
  'orchestration:allow_everybody': '',

  ...family('stacks', PROJECT_MEMBER, [
    'abandon',
    'create',
    'delete',
    'export',
    'generate_template',
    'update',
    'update_patch',
    'preview_update',
    'preview_update_patch',
    'validate_template',
    'snapshot',
    'delete_snapshot',
    'restore_snapshot',
  ]),
  ...family('stacks', PROJECT_READER, [
    'detail',
    'index',
    'list_resource_types',
    'list_template_versions',
    'list_template_functions',
    'preview',
    'resource_schema',
    'show',
    'template',
    'environment',
    'files',
    'show_snapshot',
    'list_snapshots',
    'list_outputs',
    'show_output',
  ]),
  'stacks:global_index': DENY_EVERYBODY,
  'stacks:lookup': PROJECT_READER_OR_STACK_USER,
  'stacks:update_no_change': 'rule:stacks:update_patch',

  ...family('actions', PROJECT_MEMBER, ['action', 'snapshot', 'suspend', 'resume', 'cancel_update', 'cancel_without_rollback']),
  'actions:check': PROJECT_READER,

  ...family('resource', PROJECT_READER, ['index', 'show']),
  'resource:metadata': PROJECT_READER_OR_STACK_USER,
  'resource:signal': PROJECT_READER_OR_STACK_USER,
  'resource:mark_unhealthy': PROJECT_MEMBER,

  ...family('events', PROJECT_READER, ['index', 'show']),

  'software_configs:global_index': DENY_EVERYBODY,
  ...family('software_configs', PROJECT_READER, ['index', 'show']),
  ...family('software_configs', PROJECT_MEMBER, ['create', 'delete']),
  ...family('software_deployments', PROJECT_READER, ['index', 'show']),
  ...family('software_deployments', PROJECT_MEMBER, ['create', 'update', 'delete']),
  'software_deployments:metadata': PROJECT_READER_OR_STACK_USER,

  'build_info:build_info': PROJECT_READER,
  'service:index': PROJECT_ADMIN,

  ...Object.fromEntries(ADMIN_ONLY_RESOURCE_TYPES.map((type) => [`resource_types:${type}`, PROJECT_ADMIN_RULE])),
};

/** Heat's policy checks: admin is `orchestration:context_is_admin`; the target's project defaults to the caller's. */
export function orchestrationAuthorizer(policy: PolicyEnforcer): Authorizer {
  return authorizer(policy, {
    adminRule: HEAT_CONTEXT_IS_ADMIN,
    target: (caller, target) => ({ project_id: caller.project?.id ?? null, ...target }),
    denied: () => new Forbidden('Access was denied to this resource.'),
  });
}

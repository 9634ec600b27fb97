/**
 * Aodh's default policy (aodh/api/policies.py, secure-RBAC defaults): readers
 * of a project see its alarms, members change them, admins see every
 * project's and set quotas. Operators override them in <data-dir>/policy.yaml.
 */
const ADMIN = 'rule:context_is_admin';
const READER_OR_ADMIN = 'rule:telemetry:project_reader_or_admin';
const MEMBER_OR_ADMIN = 'rule:telemetry:project_member_or_admin';

export const alarmingPolicyDefaults: Record<string, string> = {
  context_is_admin: 'role:admin',
  // Aodh names these without a prefix; here they share one enforcer with every service, hence `telemetry:`.
  'telemetry:project_reader': 'role:reader and project_id:%(project_id)s',
  'telemetry:project_member': 'role:member and project_id:%(project_id)s',
  'telemetry:project_member_or_admin': 'rule:telemetry:project_member or rule:context_is_admin',
  'telemetry:project_reader_or_admin': 'rule:telemetry:project_reader or rule:context_is_admin',
  'telemetry:get_alarm': READER_OR_ADMIN,
  'telemetry:get_alarms': READER_OR_ADMIN,
  'telemetry:get_alarms:all_projects': ADMIN,
  'telemetry:query_alarm': READER_OR_ADMIN,
  'telemetry:create_alarm': MEMBER_OR_ADMIN,
  'telemetry:change_alarm': MEMBER_OR_ADMIN,
  'telemetry:delete_alarm': MEMBER_OR_ADMIN,
  'telemetry:get_alarm_state': READER_OR_ADMIN,
  'telemetry:change_alarm_state': MEMBER_OR_ADMIN,
  'telemetry:alarm_history': READER_OR_ADMIN,
  'telemetry:query_alarm_history': READER_OR_ADMIN,
  'telemetry:get_quotas': READER_OR_ADMIN,
  'telemetry:update_quotas': ADMIN,
  'telemetry:delete_quotas': ADMIN,
};

/** Aodh's options, under `alarming:` (aodh.conf's [DEFAULT], [api] and [evaluator] as Nimbus uses them). */
export interface AlarmingConfig {
  /** Seconds between two evaluation rounds (Aodh's `evaluation_interval`). */
  evaluation_interval: number;
  /** Seconds added to each evaluation window for measures not yet ingested (Aodh's `additional_ingestion_lag`, default 0). */
  additional_ingestion_lag: number;
  /** Alarms a project may own when it has no quota of its own; -1: no limit (Aodh's `[api] project_alarm_quota`). */
  project_alarm_quota: number;
  /** Alarms one user may own; -1: no limit (Aodh's `[api] user_alarm_quota`). */
  user_alarm_quota: number;
  /** Actions per state an alarm may carry; non-positive: no limit (Aodh's `alarm_max_actions`). */
  alarm_max_actions: number;
  /** Whether changes are kept in the alarm history (Aodh's `record_history`). */
  record_history: boolean;
  /** Seconds a webhook may take before the notifier gives up on it. */
  rest_notifier_timeout: number;
}

export function alarmingDefaults(): AlarmingConfig {
  return {
    evaluation_interval: 60,
    additional_ingestion_lag: 0,
    project_alarm_quota: -1,
    user_alarm_quota: -1,
    alarm_max_actions: -1,
    record_history: true,
    rest_notifier_timeout: 10,
  };
}

/** The alarming service layer: alarms, their history, quotas and the evaluator. */
export * from './alarms.js';
export { alarmHistory, queryHistory, HISTORY_SORT_KEYS } from './history.js';
export { getQuotas, setQuotas, deleteQuotas, type QuotasView } from './quotas.js';
export { createEvaluator, evaluateAlarm, ownerCaller, type Evaluator } from './evaluator.js';
export { createNotifier, type Notifier, type Notification } from './notifier.js';
export { alarmView, changeView } from './representation.js';
export { parseSimpleFilters, parsePagination } from './simple-query.js';
export type { ComplexQueryBody } from './complex-query.js';
export { limitedToProject, type AlarmingDeps } from './deps.js';

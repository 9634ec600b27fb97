/** The alarming service layer: alarms, their history, quotas and the evaluator. */
export * from './alarms.js';
export { alarmHistory, queryHistory, HISTORY_SORT_KEYS } from './history.js';
export { getQuotas, setQuotas, deleteQuotas } from './quotas.js';
export { createEvaluator, type Evaluator } from './evaluator.js';
export { createEventEvaluator } from './event-evaluator.js';
export { createNotifier, type Notifier } from './notifier.js';
export { alarmView } from './representation.js';
export { parseSimpleFilters, parsePagination } from './simple-query.js';
export type { ComplexQueryBody } from './complex-query.js';
export type { AlarmingDeps } from './deps.js';

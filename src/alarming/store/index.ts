export * from './alarms.js';
export * from './db.js';
export * from './history.js';
export * from './quotas.js';
export type * from './types.js';
export { ALARM_STATES, SEVERITIES } from './types.js';

/** The orchestration store: Heat's tables and their queries, nothing else touches them. */
export { orchestrationDb, type HeatDb } from './db.js';
export * from './stacks.js';
export * from './stack-list.js';
export * from './resources.js';
export * from './events.js';
export * from './snapshots.js';
export type { OrchestrationTables } from './tables.js';

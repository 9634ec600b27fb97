/**
 * The measures room of the metric service: what the index mounts
 * (`measureRoutes` under `/metric`) and composes into its door
 * (`measureOperations`). See routes.ts and door.ts.
 */
export { measureOperations, type MeasureDeps, type MeasureOperations } from './door.js';
export { measureRoutes, type MeasureRouteDeps } from './routes.js';
export type { ReferenceViews } from './aggregates.js';

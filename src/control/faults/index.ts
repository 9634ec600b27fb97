/** Fault injection (issue 19): rules, the hook each service's scope gets, the `/_nimbus/faults` routes. */
export { FaultRules } from './registry.js';
export type { FaultRule } from './rule.js';
export type { FaultTargetModule } from './targets.js';
export { injectFaults } from './http.js';
export { faultRoutes } from './routes.js';

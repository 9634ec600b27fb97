/** The quota engine: see `engine.ts` for the semantics. */
export { QuotaEngine, type QuotaUse, type QuotaValues, type ServiceQuota } from './engine.js';

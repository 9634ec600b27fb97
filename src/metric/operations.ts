/**
 * The metric service's door as other services import it: the interface and
 * records are defined in ./types.ts (the contract); the index room builds the
 * implementation and adds it here. This file holds only what callers need
 * to type `deps.services.metric` before that lands.
 */
import type { MetricOperations } from './types.js';

export type { AggregatesRequest, MetricOperations, MetricRecord, ResourceMeasures, ResourceRecord } from './types.js';

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    metric?: MetricOperations;
  }
}

/**
 * The orchestration service's one public door (`deps.services.orchestration`):
 * the stack service and the software configs and deployments, each call
 * taking the caller's context and checking Heat's policy and project inside,
 * exactly as the REST API under /orchestration does. The dashboard and the
 * seed/state tools reach Heat through it.
 */
import type { StackService } from './service/types.js';
import type { SoftwareService } from './software/service.js';

export interface OrchestrationOperations {
  stacks: StackService;
  software: SoftwareService;
}

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    orchestration?: OrchestrationOperations;
  }
}

export function orchestrationOperations(stacks: StackService, software: SoftwareService): OrchestrationOperations {
  return { stacks, software };
}

/** What the engine works with; built once by the module (index.ts) or by a test. */
import type { Kysely } from 'kysely';
import type { CallerContext } from '../../core/context.js';
import type { Logger } from '../../core/logger.js';
import type { ServiceRegistry } from '../../core/service-module.js';
import type { Json } from '../json.js';
import type { CustomConstraint, SoftwareConfigStore } from '../resources/types.js';
import type { OrchestrationTables } from '../store/index.js';
import type { ResourceRegistry } from './registry.js';
import type { TemplateRoom } from './template-room.js';

export interface EngineDeps {
  db: Kysely<OrchestrationTables>;
  template: TemplateRoom;
  registry: ResourceRegistry;
  services: ServiceRegistry;
  customConstraints: CustomConstraint[];
  softwareConfigs: SoftwareConfigStore;
  log: Logger;
  /** Base URL clients use, no trailing slash. */
  publicUrl(): string;
  /** A presigned CFN signal URL for a resource (the API room's cfn endpoint). */
  cfnSignalUrl(stack: { id: string; name: string; projectId: string }, resourceName: string): Promise<string>;
  /** Heat's max_nested_stack_depth (5). */
  maxNestedDepth: number;
  /** How often a resource paused on a hook looks whether it was cleared. */
  hookPollMs: number;
}

/** A custom constraint checker bound to a caller, as the template room's `checkCustom` wants it. */
export function customChecker(deps: EngineDeps, caller: CallerContext): (name: string, value: Json) => Promise<string | null> {
  return async (name, value) => {
    const constraint = deps.customConstraints.find((c) => c.name === name);
    // Heat ignores a constraint it has no plugin for (with a warning in its log).
    if (!constraint) return null;
    return constraint.check(value, { caller, services: deps.services });
  };
}

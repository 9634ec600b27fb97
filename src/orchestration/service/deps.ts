/** What the stack service works with; built once by the module (index.ts). */
import type { Authorizer } from '../../core/policy/authorizer.js';
import type { TaskKind, TaskQueue } from '../../core/tasks/index.js';
import type { DeferredAuthMethod } from '../config.js';
import type { EngineDeps } from '../engine/deps.js';
import type { OperationPayload, StackEngine } from '../engine/engine.js';

export interface StackServiceDeps extends EngineDeps {
  tasks: TaskQueue;
  /** Heat's policy over the caller (rule names as in heat/policies/*.py). */
  authz: Authorizer;
  /** Heat's hidden_stack_tags: stacks tagged so are listed only with show_hidden. */
  hiddenTags: string[];
  /** Heat's enable_stack_abandon and enable_stack_adopt (false by default, as in Heat). */
  enableAbandon: boolean;
  enableAdopt: boolean;
  /** Heat's deferred_auth_method: whether a new stack acts later through a trust (`trusts` when absent) or as its stored caller. */
  deferredAuthMethod?: DeferredAuthMethod;
}

/** The service's parts, wired once. */
export interface StackServiceParts {
  deps: StackServiceDeps;
  engine: StackEngine;
  kind: TaskKind<OperationPayload>;
}

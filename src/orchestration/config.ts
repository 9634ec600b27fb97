/**
 * How the engine acts for a stack's owner after their token expired (Heat's
 * deferred_auth_method): `trusts` through a Keystone trust to the `heat`
 * user made at create; `password` as the caller stored with the stack.
 */
export type DeferredAuthMethod = 'trusts' | 'password';

/** Heat's options, under `orchestration:` (heat.conf's DEFAULT options of the same names). */
export interface OrchestrationConfig {
  /** How deep stacks may nest (max_nested_stack_depth). */
  max_nested_stack_depth: number;
  /** How often a resource paused on a hook looks whether it was cleared, in milliseconds. */
  hook_poll_ms: number;
  /** Stacks with one of these tags are listed only with show_hidden (hidden_stack_tags). */
  hidden_stack_tags: string[];
  /** Whether abandon is allowed (enable_stack_abandon; off in Heat too). */
  enable_stack_abandon: boolean;
  /**
   * Where servers reach the CFN wait condition endpoint, e.g.
   * `http://192.0.2.1:8000/orchestration/cfn/v1/waitcondition`
   * (heat_waitcondition_server_url): guests often reach Heat on another
   * address than the catalog's. Presigned signal URLs are made from it (its
   * `/waitcondition` becomes `/signal`); null: the public URL's.
   */
  heat_waitcondition_server_url: string | null;
  /** Whether a create may adopt existing resources (enable_stack_adopt; off in Heat too). */
  enable_stack_adopt: boolean;
  /** How later work acts for the stack's owner (deferred_auth_method; `trusts` as in Heat). */
  deferred_auth_method: DeferredAuthMethod;
}

export function orchestrationDefaults(): OrchestrationConfig {
  return {
    max_nested_stack_depth: 5,
    hook_poll_ms: 1000,
    hidden_stack_tags: ['data-processing-cluster'],
    enable_stack_abandon: false,
    heat_waitcondition_server_url: null,
    enable_stack_adopt: false,
    deferred_auth_method: 'trusts',
  };
}

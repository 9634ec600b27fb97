/**
 * The shapes of the Heat v1 resources the orchestration panels read, and the request bodies they
 * send. Heat's catalog endpoint names the project, so paths start at `/stacks`.
 */
export interface Stack {
  id: string;
  stack_name: string;
  stack_status: string;
  stack_status_reason: string;
  description: string;
  creation_time: string;
  updated_time: string | null;
}

export interface StackOutput {
  output_key: string;
  description?: string;
  output_value?: unknown;
  output_error?: string;
}

/** `GET /stacks/{name}/{id}`: the list's fields and what only the show call has. */
export interface StackDetail extends Stack {
  parameters: Record<string, string>;
  outputs?: StackOutput[];
  disable_rollback: boolean;
  timeout_mins: number | null;
  tags: string[] | null;
}

export interface StackResource {
  resource_name: string;
  resource_type: string;
  resource_status: string;
  resource_status_reason: string;
  physical_resource_id: string;
  updated_time: string;
  required_by: string[];
}

export interface StackEvent {
  id: string;
  event_time: string;
  resource_name: string;
  resource_status: string;
  resource_status_reason: string;
}

/** One parameter as `POST /validate` describes it (Heat's CFN-style keys). */
export interface ParameterSchema {
  Type: 'String' | 'Number' | 'Boolean' | 'Json' | 'CommaDelimitedList';
  Label?: string;
  Description?: string;
  Default?: unknown;
  NoEcho?: string;
  AllowedValues?: unknown[];
  MinValue?: number;
  MaxValue?: number;
  MinLength?: number;
  MaxLength?: number;
  AllowedPattern?: string;
  ConstraintDescription?: string;
}

export interface ValidateResult {
  Description?: string;
  Parameters: Record<string, ParameterSchema>;
}

/** Where a template comes from: Heat reads text (YAML or JSON) inline or fetches a URL itself. */
export type TemplateSource = { template: string } | { template_url: string };

/** Heat's status is ACTION_STATE; an IN_PROGRESS stack or resource is still changing. */
export function inProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}

/** The canonical path of a stack (name and id), as heat-api's links give it. */
export function stackPath(stack: { stack_name: string; id: string }): string {
  return `/stacks/${encodeURIComponent(stack.stack_name)}/${encodeURIComponent(stack.id)}`;
}

/** Parameters Heat adds to every stack (`OS::stack_id`, ...): the user neither sets nor updates them. */
export function isPseudoParameter(name: string): boolean {
  return name.startsWith('OS::');
}

/** State changes of resources and stacks, each recorded on its row and as an event, as Heat reports them. */
import { NimbusError } from '../../core/errors.js';
import { nowIso } from '../../core/time.js';
import type { StackAction, StackStatus } from '../service/types.js';
import { insertEvent, updateResource, type HeatDb, type Resource, type Stack } from '../store/index.js';

/** Heat's resource_type of a stack's own events. */
export const STACK_EVENT_TYPE = 'OS::Heat::Stack';

export async function resourceEvent(db: HeatDb, stack: Stack, resource: Resource, action: StackAction, status: StackStatus, reason: string): Promise<void> {
  await insertEvent(db, {
    stackId: stack.id,
    resourceName: resource.name,
    physicalResourceId: resource.physicalId,
    resourceType: resource.type,
    action,
    status,
    statusReason: reason,
    properties: resource.properties,
  });
}

/** Moves a resource to a new state and records the event. */
export async function setResourceState(db: HeatDb, stack: Stack, resource: Resource, action: StackAction, status: StackStatus, reason: string): Promise<void> {
  await updateResource(db, resource.id, { action, status, status_reason: reason });
  Object.assign(resource, { action, status, statusReason: reason, updatedAt: nowIso() });
  await resourceEvent(db, stack, resource, action, status, reason);
}

export async function stackEvent(db: HeatDb, stack: { id: string; name: string }, action: StackAction, status: StackStatus, reason: string): Promise<void> {
  await insertEvent(db, {
    stackId: stack.id,
    resourceName: stack.name,
    physicalResourceId: stack.id,
    resourceType: STACK_EVENT_TYPE,
    action,
    status,
    statusReason: reason,
    properties: {},
  });
}

/** Heat's reason for a failed resource: `<exception class>: resources.<name>: <message>`. */
export function failureReason(error: unknown, resourceName: string): string {
  if (error instanceof ResourceFailure) return error.message;
  const type = error instanceof NimbusError ? (error.type ?? error.name) : error instanceof Error ? errorClass(error) : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return `${type}: resources.${resourceName}: ${message}`;
}

function errorClass(error: Error): string {
  return error.name === 'Error' || error.name === 'AbortError' ? 'Error' : error.name;
}

/** A resource step failed; its message is already Heat's reason. */
export class ResourceFailure extends Error {
  override readonly name = 'ResourceFailure';
}

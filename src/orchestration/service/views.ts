/** Stored rows as the service contract's records. */
import type { Json } from '../json.js';
import type { EventRecord, ResourceRecord, StackRecord } from './types.js';
import type { Resource, Stack, StoredEvent } from '../store/index.js';
import type { TemplateRoom } from '../engine/template-room.js';

const HIDDEN_VALUE = '******';

export function stackRecord(stack: Stack, template: TemplateRoom): StackRecord {
  return {
    id: stack.id,
    name: stack.name,
    projectId: stack.projectId,
    ownerUserId: stack.ownerUserId,
    ownerUserName: stack.ownerUserName,
    action: stack.action,
    status: stack.status,
    statusReason: stack.statusReason,
    description: stack.description,
    template: stack.template,
    environment: stack.environment,
    files: stack.files,
    parameters: shownParameters(stack, template),
    tags: stack.tags,
    timeoutMins: stack.timeoutMins,
    disableRollback: stack.disableRollback,
    parentId: stack.parentId,
    parentResourceName: stack.parentResourceName,
    nestedDepth: stack.nestedDepth,
    createdAt: stack.createdAt,
    updatedAt: stack.updatedAt,
    deletedAt: stack.deletedAt,
  };
}

/** Parameter values as Heat shows them: strings, hidden ones masked, pseudo parameters included. */
function shownParameters(stack: Stack, template: TemplateRoom): Record<string, string> {
  let hidden = new Set<string>();
  try {
    const parsed = template.parseTemplate(stack.template);
    hidden = new Set(
      Object.values(parsed.parameters)
        .filter((p) => p.hidden)
        .map((p) => p.name),
    );
  } catch {
    // A stored template always parsed once; a template room that changed its mind still shows the values.
  }
  const shown: Record<string, string> = {
    'OS::stack_id': stack.id,
    'OS::stack_name': stack.name,
    'OS::project_id': stack.projectId,
  };
  for (const [name, value] of Object.entries(stack.parameters)) shown[name] = hidden.has(name) ? HIDDEN_VALUE : parameterText(value);
  return shown;
}

function parameterText(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return JSON.stringify(value);
}

export function resourceRecord(resource: Resource, stack: Stack, siblings: Resource[]): ResourceRecord {
  return {
    uuid: resource.id,
    name: resource.name,
    type: resource.type,
    physicalId: resource.physicalId,
    action: resource.action,
    status: resource.status,
    statusReason: resource.statusReason,
    stackId: stack.id,
    stackName: stack.name,
    dependsOn: resource.dependsOn,
    requiredBy: siblings.filter((r) => r.replacedBy === null && r.dependsOn.includes(resource.name)).map((r) => r.name),
    nestedStackId: resource.nestedStackId,
    metadata: resource.metadata,
    description: resource.definition.description ?? '',
    createdAt: resource.createdAt,
    updatedAt: resource.updatedAt,
  };
}

export function eventRecord(event: StoredEvent, stackName: string): EventRecord {
  return {
    id: event.id,
    stackId: event.stackId,
    stackName,
    resourceName: event.resourceName,
    physicalResourceId: event.physicalResourceId,
    logicalResourceId: event.resourceName,
    resourceType: event.resourceType,
    action: event.action,
    status: event.status,
    statusReason: event.statusReason,
    resourceProperties: event.properties,
    createdAt: event.createdAt,
  };
}

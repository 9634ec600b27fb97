/** Stack create, preview and template validation. */
import { storeCaller, type CallerContext } from '../../core/context.js';
import { BadRequest, Conflict } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { isJsonObject, type JsonObject } from '../json.js';
import { delegateStack, releaseTrust } from '../engine/deferred-auth.js';
import { insertNewStack, NO_DESCRIPTION } from '../engine/new-stack.js';
import { prepareStack } from '../engine/prepare.js';
import { findStackByName, getStack, type Stack } from '../store/index.js';
import { authorizeProject, authorizeResourceTypes } from './access.js';
import type { StackServiceParts } from './deps.js';
import { startOperation } from './operation.js';
import { PREVIEW_STACK_ID, previewResources } from './preview.js';
import type { PreviewResult, StackRecord, StackRequest } from './types.js';
import { stackRecord } from './views.js';

const STACK_NAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$/;

function checkName(name: string): void {
  if (!STACK_NAME.test(name)) {
    throw new BadRequest(
      `Invalid stack name ${name} must contain only alphanumeric or "_-." characters, must start with alpha and must be 255 characters or less.`,
      { type: 'StackValidationFailed' },
    );
  }
}

export function notSupported(feature: string): BadRequest {
  return new BadRequest(`${feature} is not supported.`, { type: 'NotSupported' });
}

/** The request checked and resolved, before anything is stored. */
async function prepareRequest(parts: StackServiceParts, caller: CallerContext, request: StackRequest, id: string) {
  const { deps } = parts;
  const projectId = caller.project?.id ?? '';
  checkName(request.name);
  const environment = deps.template.parseEnvironment(request.environment);
  const files = request.files ?? {};
  const input = {
    id,
    name: request.name,
    projectId,
    template: request.template,
    environment,
    files,
    parameters: request.parameters ?? {},
    nestedDepth: 0,
    timeoutMins: request.timeoutMins ?? null,
  };
  const prepared = await prepareStack(deps, caller, input);
  authorizeResourceTypes(deps, caller, prepared, environment, files);
  const stack = {
    ...input,
    owner: caller,
    tags: request.tags ?? [],
    // heat-api's default: rollback is off unless the request enables it.
    disableRollback: request.disableRollback ?? true,
    parentId: null,
    parentResourceName: null,
  };
  return { stack, prepared };
}

export async function createStack(parts: StackServiceParts, caller: CallerContext, request: StackRequest): Promise<StackRecord> {
  const { deps } = parts;
  authorizeProject(deps, caller, 'stacks:create');
  const adopt = request.adoptStackData;
  if (adopt !== undefined && !deps.enableAdopt) throw notSupported('Stack Adopt');
  const id = uuid();
  const { stack, prepared } = await prepareRequest(parts, caller, adopt === undefined ? request : adoptRequest(request, adopt), id);
  if (await findStackByName(deps.db, stack.projectId, stack.name)) {
    throw new Conflict(`The Stack (${stack.name}) already exists.`, { type: 'StackExists' });
  }
  const trustId = await delegateStack(deps, deps.deferredAuthMethod ?? 'trusts', caller);
  try {
    await startOperation(parts, id, (db, operation) => insertNewStack(deps, db, { ...stack, trustId }, prepared, operation, adopt), {
      requestedBy: storeCaller(caller),
    });
  } catch (error) {
    // No stack holds the trust: it goes with the failed create.
    await releaseTrust(deps, { trustId, parentId: null });
    throw error;
  }
  const created = await getStack(deps.db, id);
  return stackRecord(created!, deps.template);
}

/**
 * Heat's adopt takes the abandoned stack's parameters (its environment's; and
 * the `parameters` Nimbus's abandon data also carries), overridden by those
 * the request gives.
 */
function adoptRequest(request: StackRequest, adopt: JsonObject): StackRequest {
  const environment = isJsonObject(adopt.environment) ? adopt.environment : {};
  const fromEnvironment = isJsonObject(environment.parameters) ? environment.parameters : {};
  // Its pseudo parameters (OS::stack_id, ...) belong to the old stack.
  const recorded = Object.entries(isJsonObject(adopt.parameters) ? adopt.parameters : {}).filter(([name]) => !name.startsWith('OS::'));
  return { ...request, parameters: { ...fromEnvironment, ...Object.fromEntries(recorded), ...request.parameters } };
}

export async function previewStack(parts: StackServiceParts, caller: CallerContext, request: StackRequest): Promise<PreviewResult> {
  const { deps } = parts;
  authorizeProject(deps, caller, 'stacks:preview');
  const { stack, prepared } = await prepareRequest(parts, caller, request, PREVIEW_STACK_ID);
  const now = nowIso();
  const previewed: Stack = {
    ...stack,
    ownerUserId: caller.userId,
    ownerUserName: caller.userName,
    ownerCaller: storeCaller(caller),
    trustId: null,
    action: 'INIT',
    status: 'COMPLETE',
    statusReason: '',
    description: prepared.parsed.description ?? NO_DESCRIPTION,
    parameters: prepared.parameters,
    previous: null,
    lockOperation: null,
    lockAction: null,
    createdAt: now,
    updatedAt: null,
    deletedAt: null,
  };
  return { stack: stackRecord(previewed, deps.template), resources: await previewResources(deps, caller, stack, prepared) };
}

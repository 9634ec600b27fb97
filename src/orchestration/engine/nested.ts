/**
 * Nested stacks of a resource (OS::Heat::Stack, groups, template resources).
 * The child stack's operation runs inline, inside the parent's task and
 * under the parent's lock id: no second worker is needed (nesting can never
 * starve the queue), and after a crash the parent's resumed task resumes the
 * child too. The child's id is stored on the parent resource before the
 * child row exists, so a crash between the two cannot leak a stack.
 */
import { BadRequest } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { isJsonObject, type Json } from '../json.js';
import type { NestedStackRequest, NestedStacks } from '../resources/types.js';
import type { StackAction } from '../service/types.js';
import { getStack, updateResource, type Resource, type Stack } from '../store/index.js';
import type { Environment } from '../template/types.js';
import { beginDelete, beginOperation, actionInProgress } from './begin.js';
import type { StackEngine } from './engine.js';
import { insertNewStack } from './new-stack.js';
import { evaluateOutputs } from './outputs.js';
import { prepareStack } from './prepare.js';
import { StackRuntime } from './runtime.js';

export class NestedStackHandle implements NestedStacks {
  constructor(
    private readonly engine: StackEngine,
    private readonly parent: StackRuntime,
    private readonly resource: Resource,
    private readonly signal: AbortSignal,
  ) {}

  get stackId(): string | null {
    return this.resource.nestedStackId;
  }

  /** Outside any operation of the parent (a scaling signal), the one lock id this handle starts and runs the child under. */
  #ownOperation: string | undefined;

  /** The parent's lock id: the child runs as part of the parent's operation. */
  get #operation(): string {
    return this.parent.stack.lockOperation ?? (this.#ownOperation ??= uuid());
  }

  async apply(request: NestedStackRequest): Promise<{ stackId: string }> {
    const { deps } = this.engine;
    const depth = this.parent.stack.nestedDepth + 1;
    if (depth > deps.maxNestedDepth) throw new BadRequest(`Recursion depth exceeds ${deps.maxNestedDepth}.`, { type: 'RequestLimitExceeded' });
    const id = await this.#childId();
    const environment = deps.template.mergeEnvironments(childEnvironment(this.parent.stack.environment, this.resource.name), request.environment ?? {});
    const files = { ...this.parent.stack.files, ...request.files };
    const timeoutMins = request.timeoutMins ?? this.parent.stack.timeoutMins;
    const child = await getStack(deps.db, id);
    const input = {
      id,
      name: child?.name ?? this.resource.physicalName,
      projectId: this.parent.stack.projectId,
      template: request.template,
      environment,
      files,
    };
    const base = { ...input, parameters: request.parameters, nestedDepth: depth, timeoutMins };
    if (!child) {
      const prepared = await prepareStack(deps, this.parent.caller, base);
      const stack = {
        ...input,
        owner: this.parent.caller,
        tags: [],
        timeoutMins,
        disableRollback: true,
        parentId: this.parent.stack.id,
        parentResourceName: this.resource.name,
        nestedDepth: depth,
      };
      await insertNewStack(deps, deps.db, stack, prepared, this.#operation);
    } else if (child.lockOperation !== this.#operation) {
      if (child.lockOperation !== null) throw actionInProgress(child);
      if (child.status === 'COMPLETE' && sameRequest(child, request)) return { stackId: id };
      const prepared = await prepareStack(deps, this.parent.caller, { ...base, previousParameters: child.parameters });
      await beginOperation(deps.db, child, 'UPDATE', this.#operation, {
        template: JSON.stringify(request.template),
        environment: JSON.stringify(environment),
        files: JSON.stringify(files),
        parameters: JSON.stringify(prepared.parameters),
        previous: JSON.stringify({ template: child.template, environment: child.environment, files: child.files, parameters: child.parameters }),
        timeout_mins: timeoutMins,
      });
    }
    await this.#runChild(id, 'COMPLETE');
    return { stackId: id };
  }

  async delete(): Promise<void> {
    const child = await this.#child();
    if (!child || child.deletedAt !== null) return;
    if (child.lockOperation !== this.#operation || child.action !== 'DELETE') await beginDelete(this.engine.deps.db, child, this.#operation);
    await this.#runChild(child.id, 'COMPLETE');
  }

  async outputs(): Promise<Record<string, Json>> {
    const runtime = await this.#runtime();
    const values: Record<string, Json> = {};
    for (const output of await evaluateOutputs(this.engine, runtime)) values[output.key] = output.value ?? null;
    return values;
  }

  async evaluate(snippet: Json): Promise<Json> {
    const runtime = await this.#runtime();
    return runtime.resolve(snippet, this.engine.attributeReader);
  }

  async resourceNames(): Promise<string[]> {
    const runtime = await this.#runtime();
    return [...runtime.resources.values()].map((r) => r.name);
  }

  suspend(): Promise<void> {
    return this.#simple('SUSPEND');
  }

  resume(): Promise<void> {
    return this.#simple('RESUME');
  }

  async #simple(action: StackAction): Promise<void> {
    const child = await this.#child();
    if (!child) return;
    if (child.lockOperation !== this.#operation) await beginOperation(this.engine.deps.db, child, action, this.#operation);
    await this.#runChild(child.id, 'COMPLETE');
  }

  async #runChild(id: string, expected: 'COMPLETE'): Promise<void> {
    await this.engine.run({ stackId: id, operation: this.#operation, startedAt: nowIso() }, this.signal);
    const child = await getStack(this.engine.deps.db, id);
    if (!child || child.status !== expected) throw new Error(child?.statusReason ?? 'nested stack is gone');
  }

  async #childId(): Promise<string> {
    if (this.resource.nestedStackId) return this.resource.nestedStackId;
    const id = uuid();
    // As in Heat, a resource owning a nested stack has the stack's id as its physical id from the start.
    const physicalId = this.resource.physicalId ?? id;
    await updateResource(this.engine.deps.db, this.resource.id, { nested_stack_id: id, physical_id: physicalId });
    Object.assign(this.resource, { nestedStackId: id, physicalId });
    return id;
  }

  async #child(): Promise<Stack | null> {
    return this.resource.nestedStackId ? getStack(this.engine.deps.db, this.resource.nestedStackId) : null;
  }

  async #runtime(): Promise<StackRuntime> {
    if (!this.resource.nestedStackId) throw new Error(`resource ${this.resource.name} has no nested stack`);
    return StackRuntime.load(this.engine.deps, this.resource.nestedStackId);
  }
}

/**
 * A nested stack sees its parent's registry, with the per-resource section
 * of its owning resource as its own `resources:` (so hooks such as
 * `resources: {group: {'*': {hooks: pre-create}}}` reach the members).
 */
export function childEnvironment(parent: Environment, resourceName: string): Environment {
  const { resources, ...registry } = parent.resource_registry;
  const section = isJsonObject(resources) ? resources[resourceName] : undefined;
  const nested = isJsonObject(section) ? Object.fromEntries(Object.entries(section).filter(([, v]) => isJsonObject(v))) : {};
  return {
    parameters: {},
    parameter_defaults: parent.parameter_defaults,
    resource_registry: { ...registry, resources: nested },
    event_sinks: [],
    encrypted_param_names: [],
  };
}

function sameRequest(child: Stack, request: NestedStackRequest): boolean {
  return (
    JSON.stringify(child.template) === JSON.stringify(request.template) &&
    JSON.stringify(child.previous) === 'null' &&
    sameParameters(child, request.parameters)
  );
}

function sameParameters(child: Stack, given: Record<string, Json>): boolean {
  return Object.entries(given).every(([key, value]) => JSON.stringify(child.parameters[key]) === JSON.stringify(value));
}

/**
 * OS::Heat::WaitCondition: holds its stack's create (or update) until the
 * handle it names has received `count` SUCCESS signals; any FAILURE signal
 * or the timeout fails it with Heat's reasons.
 */
import type { JsonObject } from '../../json.js';
import { isJsonObject } from '../../json.js';
import type { ResourceContext, ResourcePlugin, SiblingResource } from '../types.js';
import { heatResourceErrors } from './errors.js';
import { pythonJsonDumps } from './python-json.js';
import { pollUntil } from './wait.js';
import { WAIT_CONDITION_HANDLE_TYPE } from './wait-condition-handle.js';

/** A physical name is `<stack>-<resource>-<12 random characters>`: the resource's name sits between. */
function nameInPhysicalName(stackName: string, reference: string): string | null {
  const match = /^(.+)-[A-Za-z0-9]{12}$/.exec(reference);
  return match?.[1]?.startsWith(`${stackName}-`) ? match[1].slice(stackName.length + 1) : null;
}

/**
 * The handle the `handle` property refers to: `get_resource` gives the
 * handle's physical id, its physical name; a bare resource name is taken too.
 */
async function findHandle(ctx: ResourceContext, reference: string): Promise<SiblingResource> {
  const referenced = (await ctx.siblingByReference?.(reference)) ?? null;
  if (referenced !== null) {
    if (referenced.type !== WAIT_CONDITION_HANDLE_TYPE) throw heatResourceErrors.notAHandle(referenced.name);
    return referenced;
  }
  const byName = nameInPhysicalName(ctx.stack.name, reference);
  const candidates = byName === null ? [reference] : [byName, reference];
  for (const name of candidates) {
    const sibling = await ctx.sibling(name);
    if (sibling !== null && (sibling.physicalId === reference || sibling.name === reference)) {
      if (sibling.type !== WAIT_CONDITION_HANDLE_TYPE) throw heatResourceErrors.notAHandle(sibling.name);
      return sibling;
    }
  }
  throw heatResourceErrors.notAHandle(reference);
}

function signalEntries(handle: SiblingResource): JsonObject[] {
  return Object.values(handle.metadata).filter(isJsonObject);
}

function reasonsWith(entries: JsonObject[], status: string): string[] {
  return entries.filter((entry) => entry.status === status).map((entry) => String(entry.reason ?? ''));
}

async function waitForSignals(ctx: ResourceContext, props: JsonObject): Promise<void> {
  const handleName = (await findHandle(ctx, String(props.handle))).name;
  const count = Number(props.count ?? 1);
  const deadline = Date.now() + Number(props.timeout) * 1000;
  await pollUntil(ctx.signal, async () => {
    const handle = await ctx.sibling(handleName);
    const entries = handle === null ? [] : signalEntries(handle);
    if (entries.some((entry) => entry.status !== 'SUCCESS')) throw heatResourceErrors.waitConditionFailure(reasonsWith(entries, 'FAILURE'));
    if (entries.length >= count) return true;
    if (Date.now() > deadline) throw heatResourceErrors.waitConditionTimeout(reasonsWith(entries, 'SUCCESS'), count);
    return false;
  });
}

export const waitCondition: ResourcePlugin = {
  type: 'OS::Heat::WaitCondition',
  description: 'Resource for handling signals received by WaitConditionHandle.',
  properties: {
    handle: { type: 'string', description: 'A reference to the wait condition handle used to signal this wait condition.', required: true },
    timeout: {
      type: 'number',
      description: 'The number of seconds to wait for the correct number of signals to arrive.',
      required: true,
      constraints: [{ range: { min: 1, max: 43200 } }],
    },
    count: {
      type: 'integer',
      description: 'The number of success signals that must be received before the stack creation process continues.',
      constraints: [{ range: { min: 1 } }],
      default: 1,
      updateAllowed: true,
    },
  },
  attributes: { data: { description: 'JSON string containing data associated with wait condition signals sent to the handle.', type: 'string' } },
  supportStatus: { status: 'SUPPORTED', version: '2014.2' },

  async create(ctx, props) {
    // The handle's reference is kept for `data`, which is read without properties.
    await ctx.setData('handle', String(props.handle));
    // No physical id, as in Heat: `get_resource` on a wait condition answers its name.
    await waitForSignals(ctx, props);
  },

  async update(ctx, change) {
    await ctx.setData('handle', String(change.properties.handle));
    await waitForSignals(ctx, change.properties);
  },

  async delete() {},

  async resolveAttribute(ctx, name) {
    const reference = ctx.resource.data.handle;
    if (name !== 'data' || reference === undefined) return null;
    const handle = await findHandle(ctx, reference).catch(() => null);
    if (handle === null) return '';
    const data: JsonObject = {};
    for (const [id, entry] of Object.entries(handle.metadata)) data[id] = isJsonObject(entry) ? (entry.data ?? null) : null;
    return pythonJsonDumps(data);
  },
};

/** A stack's events, with those of its nested stacks down to `nested_depth`. */
import type { CallerContext } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import { childStacks, stackEvents, type Stack } from '../store/index.js';
import { lookupStack } from './access.js';
import type { StackServiceParts } from './deps.js';
import type { EventListQuery, EventRecord } from './types.js';
import { eventRecord } from './views.js';

async function stacksDown(parts: StackServiceParts, stack: Stack, depth: number): Promise<Stack[]> {
  const stacks = [stack];
  if (depth <= 0) return stacks;
  for (const child of await childStacks(parts.deps.db, stack.id)) stacks.push(...(await stacksDown(parts, child, depth - 1)));
  return stacks;
}

export async function listEvents(parts: StackServiceParts, caller: CallerContext, stackId: string, query: EventListQuery): Promise<EventRecord[]> {
  const stack = await lookupStack(parts.deps, caller, stackId, 'events:index', true);
  const stacks = await stacksDown(parts, stack, query.nestedDepth ?? 0);
  const names = new Map(stacks.map((s) => [s.id, s.name]));
  let events = (await stackEvents(parts.deps.db, [...names.keys()])).map((e) => ({ seq: e.seq, record: eventRecord(e, names.get(e.stackId)!) }));
  const within = (values: string[] | undefined, value: string) => values === undefined || values.includes(value);
  events = events.filter(
    ({ record }) =>
      (query.resourceName === undefined || record.resourceName === query.resourceName) &&
      within(query.resourceAction, record.action) &&
      within(query.resourceStatus, record.status) &&
      within(query.resourceType, record.resourceType),
  );
  if (query.sortDir === 'desc') events.reverse();
  let start = 0;
  if (query.marker !== undefined) {
    const index = events.findIndex(({ record }) => record.id === query.marker);
    if (index < 0) throw new NotFound(`The Event (${query.marker}) could not be found.`, { type: 'EntityNotFound' });
    start = index + 1;
  }
  return events.slice(start, query.limit === undefined ? undefined : start + query.limit).map(({ record }) => record);
}

export async function showEvent(parts: StackServiceParts, caller: CallerContext, stackId: string, resourceName: string, eventId: string): Promise<EventRecord> {
  const stack = await lookupStack(parts.deps, caller, stackId, 'events:show', true);
  const event = (await stackEvents(parts.deps.db, [stack.id])).find((e) => e.id === eventId && e.resourceName === resourceName);
  if (!event) throw new NotFound(`The Event (${eventId}) could not be found.`, { type: 'EntityNotFound' });
  return eventRecord(event, stack.name);
}

/** Core's event bus: Ceilometer's trait typing, delivery in publication order, a failing listener isolated, unsubscribe. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEventBus, type CloudEvent } from '../../src/core/events.js';
import { createLogger } from '../../src/core/logger.js';

test('events carry typed traits, arrive in order after the publisher returns, and survive a failing listener', async () => {
  const bus = createEventBus(createLogger('silent'));
  const heard: CloudEvent[] = [];
  bus.subscribe(() => {
    throw new Error('a broken listener');
  });
  const stop = bus.subscribe((event) => {
    heard.push(event);
  });
  const at = new Date('2026-12-07T00:00:00Z');
  bus.publish('volume.create.end', { project_id: 'p', size: 2, ratio: 0.5, created_at: at, host: null, missing: undefined });
  bus.publish('volume.delete.end', { project_id: 'p' });
  assert.equal(heard.length, 0, 'delivery waits for the publisher to return');
  await bus.drain();
  assert.deepEqual(
    heard.map((event) => event.event_type),
    ['volume.create.end', 'volume.delete.end'],
  );
  const [first] = heard;
  assert.match(first!.message_id, /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(first!.generated)));
  assert.deepEqual(first!.raw, {});
  assert.deepEqual(first!.traits, [
    ['project_id', 1, 'p'],
    ['size', 2, 2],
    ['ratio', 3, 0.5],
    ['created_at', 4, '2026-12-07T00:00:00.000Z'],
  ]);
  stop();
  bus.publish('image.upload', {});
  await bus.drain();
  assert.equal(heard.length, 2);
});

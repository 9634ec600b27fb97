/**
 * The clock itself, without a server: it only moves forward, tells its
 * listeners, and is what `currentClock()` and `nowIso()` read wherever work
 * bound to it goes (awaits, timers), while two clocks in one process keep
 * their own time. A delayed task comes due when its queue's clock passes it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Clock, currentClock, runOnClock } from '../../src/core/clock.js';
import { nowIso, nowMs } from '../../src/core/time.js';
import { eachDialect } from '../support/databases.js';
import { openTaskTestbed } from '../support/core-database.js';

const HOUR_S = 3600;
const near = (actualMs: number, expectedMs: number) => assert.ok(Math.abs(actualMs - expectedMs) < 1000, `${actualMs} vs ${expectedMs}`);

test('the clock starts at real time and only moves forward', () => {
  const clock = new Clock();
  assert.equal(clock.offsetSeconds, 0);
  near(clock.nowMs(), Date.now());
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => clock.advance(bad), RangeError);
  clock.advance(90);
  clock.advance(0.5);
  assert.equal(clock.offsetSeconds, 90.5);
  near(clock.now().getTime(), Date.now() + 90_500);
});

test('listeners hear each advance until they unsubscribe', () => {
  const clock = new Clock();
  let heard = 0;
  const unsubscribe = clock.onAdvance(() => heard++);
  clock.advance(1);
  clock.advance(1);
  unsubscribe();
  clock.advance(1);
  assert.equal(heard, 2);
});

test('work bound to a clock reads it across awaits and timers; elsewhere the time is real', async () => {
  const first = new Clock();
  const second = new Clock();
  first.advance(HOUR_S);
  second.advance(2 * HOUR_S);
  const readings = await Promise.all([
    runOnClock(first, async () => {
      await delay(1);
      return new Promise<number>((resolve) => setTimeout(() => resolve(Date.parse(nowIso())), 1));
    }),
    runOnClock(second, async () => {
      await delay(1);
      return nowMs();
    }),
  ]);
  near(readings[0], Date.now() + HOUR_S * 1000);
  near(readings[1], Date.now() + 2 * HOUR_S * 1000);
  near(currentClock().nowMs(), Date.now());
  near(Date.parse(nowIso()), Date.now());
});

for (const dialect of eachDialect().filter((d) => d.name === 'sqlite')) {
  test('a task delayed by an hour runs as soon as its queue’s clock passes its run_after', { timeout: 10_000 }, async (t) => {
    const clock = new Clock();
    const { db, queue } = await openTaskTestbed(dialect, t);
    const q = queue({ clock });
    clock.onAdvance(() => q.wake());
    let ran = false;
    const kind = q.define('test.later', {
      async run() {
        ran = true;
      },
    });
    // A poll far longer than the test: only the advance's wake-up can start the task in time.
    q.start({ workers: 1, pollMs: 60_000 });
    await q.enqueue(db.kysely, { kind, payload: null, runAfter: new Date(clock.nowMs() + HOUR_S * 1000) });
    await delay(50);
    assert.equal(ran, false, 'not before its time');
    clock.advance(HOUR_S + 1);
    await q.drain({ timeoutMs: 2000 });
    assert.equal(ran, true);
  });
}

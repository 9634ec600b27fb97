import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Clock, runOnClock } from '../../core/clock.js';
import { WriteGeneration } from '../../core/db/write-generation.js';
import { ValidatedTokenCache, type KeysGeneration } from './token-cache.js';

type QueryArgs = Parameters<WriteGeneration['transformQuery']>[0];
type ResultArgs = Parameters<WriteGeneration['transformResult']>[0];

/** Stands in for a Kysely statement passing through the plugin: compiled, then executed. */
const run = (writes: WriteGeneration, kind: string) => {
  const queryId = { queryId: 'q' };
  writes.transformQuery({ node: { kind }, queryId } as unknown as QueryArgs);
  void writes.transformResult({ result: { rows: [] }, queryId } as ResultArgs);
};
const write = (writes: WriteGeneration) => run(writes, 'UpdateQueryNode');

/** A key set whose reloads the test makes. */
class Keys implements KeysGeneration {
  generation = 0;
  keysGeneration(): number {
    return this.generation;
  }
}

const inAMinute = () => Date.now() + 60_000;

function cacheWith(ttlMs = 60_000, maxEntries?: number) {
  const writes = new WriteGeneration();
  const keys = new Keys();
  return { writes, keys, cache: new ValidatedTokenCache<string>(writes, keys, ttlMs, maxEntries) };
}

test('a cached token is served until any identity write happens', () => {
  const { writes, cache } = cacheWith();
  cache.set('t', 'answer', inAMinute(), cache.stamp());
  assert.equal(cache.get('t'), 'answer');
  run(writes, 'SelectQueryNode');
  assert.equal(cache.get('t'), 'answer', 'reads do not invalidate');
  write(writes);
  assert.equal(cache.get('t'), undefined);
});

test('an entry made from reads that a write overtook is never served', () => {
  const { writes, cache } = cacheWith();
  const stamp = cache.stamp();
  write(writes); // a revocation lands while the token is being resolved
  cache.set('t', 'stale', inAMinute(), stamp);
  assert.equal(cache.get('t'), undefined);
});

test('a reload of the Fernet keys drops every entry', () => {
  const { keys, cache } = cacheWith();
  cache.set('t', 'answer', inAMinute(), cache.stamp());
  keys.generation += 1;
  assert.equal(cache.get('t'), undefined);
});

test('an entry ends when its token expires on the cloud clock, not the real one', () => {
  const clock = new Clock();
  runOnClock(clock, () => {
    const { cache } = cacheWith();
    cache.set('t', 'answer', Date.now() + 10_000, cache.stamp());
    assert.equal(cache.get('t'), 'answer');
    clock.advance(11);
    assert.equal(cache.get('t'), undefined);
  });
});

test('expired tokens, old entries and a zero cache_time are never served', async () => {
  const { cache } = cacheWith(20);
  cache.set('expired', 'answer', Date.now() - 1, cache.stamp());
  assert.equal(cache.get('expired'), undefined);
  cache.set('old', 'answer', inAMinute(), cache.stamp());
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(cache.get('old'), undefined);
  const { cache: off } = cacheWith(0);
  off.set('t', 'answer', inAMinute(), off.stamp());
  assert.equal(off.get('t'), undefined);
});

test('the cache holds at most maxEntries, dropping the oldest', () => {
  const { cache } = cacheWith(60_000, 2);
  for (const key of ['a', 'b', 'c']) cache.set(key, key, inAMinute(), cache.stamp());
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.get('b'), 'b');
  assert.equal(cache.get('c'), 'c');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriteGeneration } from '../../core/db/write-generation.js';
import { ValidatedTokenCache } from './token-cache.js';
import type { TokenData } from './tokens.js';

/** Only the payload's expiry matters to the cache. */
const data = (expiresInMs: number) => ({ payload: { expiresAt: new Date(Date.now() + expiresInMs) } }) as unknown as TokenData;

/** Stands in for a Kysely write passing through the plugin. */
const write = (writes: WriteGeneration) =>
  writes.transformQuery({ node: { kind: 'UpdateQueryNode' }, queryId: { queryId: 'q' } } as unknown as Parameters<WriteGeneration['transformQuery']>[0]);

test('a cached token is served until any identity write happens', () => {
  const writes = new WriteGeneration();
  const cache = new ValidatedTokenCache(writes, 60_000);
  const entry = data(60_000);
  cache.set('t', entry);
  assert.equal(cache.get('t'), entry);
  writes.transformQuery({ node: { kind: 'SelectQueryNode' }, queryId: { queryId: 'q' } } as unknown as Parameters<WriteGeneration['transformQuery']>[0]);
  assert.equal(cache.get('t'), entry, 'reads do not invalidate');
  write(writes);
  assert.equal(cache.get('t'), undefined);
});

test('expired tokens, old entries and a zero cache_time are never served', async () => {
  const writes = new WriteGeneration();
  const cache = new ValidatedTokenCache(writes, 20);
  cache.set('expired', data(-1));
  assert.equal(cache.get('expired'), undefined);
  cache.set('old', data(60_000));
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(cache.get('old'), undefined);
  const off = new ValidatedTokenCache(writes, 0);
  off.set('t', data(60_000));
  assert.equal(off.get('t'), undefined);
});

test('the cache holds at most maxEntries, dropping the oldest', () => {
  const cache = new ValidatedTokenCache(new WriteGeneration(), 60_000, 2);
  cache.set('a', data(60_000));
  cache.set('b', data(60_000));
  cache.set('c', data(60_000));
  assert.equal(cache.get('a'), undefined);
  assert.ok(cache.get('b') && cache.get('c'));
});

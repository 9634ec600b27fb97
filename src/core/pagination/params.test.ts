import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BadRequest } from '../errors.js';
import { parseListParams, type ListSpec } from './params.js';

type Key = 'name' | 'size' | 'created_at';
const NOVA: ListSpec<Key> = {
  sortKeys: ['name', 'size', 'created_at'],
  defaultSort: [{ key: 'created_at', dir: 'desc' }],
  maxLimit: 1000,
};

/** Asserts a 400 whose message matches `message`. */
function rejects(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err) => err instanceof BadRequest && err.status === 400 && message.test(err.message));
}

describe('list parameters', () => {
  test('no parameters: the default sort and, as Nova, the maximum as the limit', () => {
    assert.deepEqual(parseListParams({}, NOVA), { limit: 1000, marker: null, sort: [{ key: 'created_at', dir: 'desc' }] });
  });

  test('defaultLimit: a smaller page (Glance) or none (Neutron); an infinite max means no limit', () => {
    assert.equal(parseListParams({}, { ...NOVA, defaultLimit: 25 }).limit, 25);
    assert.equal(parseListParams({}, { ...NOVA, defaultLimit: null }).limit, null);
    assert.equal(parseListParams({}, { ...NOVA, maxLimit: Infinity }).limit, null);
    assert.equal(parseListParams({ limit: '5000' }, { ...NOVA, maxLimit: Infinity }).limit, 5000);
  });

  test('limit and marker are read; a limit above the maximum is lowered to it', () => {
    assert.equal(parseListParams({ limit: '7', marker: 'abc' }, NOVA).limit, 7);
    assert.equal(parseListParams({ limit: '7', marker: 'abc' }, NOVA).marker, 'abc');
    assert.equal(parseListParams({ limit: '0' }, NOVA).limit, 0);
    assert.equal(parseListParams({ limit: '5000' }, NOVA).limit, 1000);
  });

  test('a limit that is not an integer 0 or greater is a 400', () => {
    for (const limit of ['abc', '-1', '1.5', '', '1e3']) {
      rejects(() => parseListParams({ limit }, NOVA), /Invalid limit .*: expected an integer, 0 or greater/);
    }
    rejects(() => parseListParams({ limit: ['1', '2'] }, NOVA), /limit parameter was given 2 times/);
    rejects(() => parseListParams({ marker: ['a', 'b'] }, NOVA), /marker parameter was given 2 times/);
  });

  test('sort_key/sort_dir pairs; missing directions repeat the first one given (Nova)', () => {
    const query = new URLSearchParams('sort_key=name&sort_dir=asc&sort_key=size&sort_key=created_at&sort_dir=desc');
    assert.deepEqual(parseListParams(query, NOVA).sort, [
      { key: 'name', dir: 'asc' },
      { key: 'size', dir: 'desc' },
      { key: 'created_at', dir: 'asc' },
    ]);
    assert.deepEqual(parseListParams({ sort_key: ['name', 'size'], sort_dir: 'asc' }, NOVA).sort, [
      { key: 'name', dir: 'asc' },
      { key: 'size', dir: 'asc' },
    ]);
  });

  test('sort keys without any direction take the default one; a lone sort_dir applies to the default keys', () => {
    assert.deepEqual(parseListParams({ sort_key: ' name ' }, NOVA).sort, [{ key: 'name', dir: 'desc' }]);
    assert.deepEqual(parseListParams({ sort_key: 'name' }, { ...NOVA, defaultDir: 'asc' }).sort, [{ key: 'name', dir: 'asc' }]);
    assert.deepEqual(parseListParams({ sort_dir: 'asc' }, NOVA).sort, [{ key: 'created_at', dir: 'asc' }]);
  });

  test('Glance sort=key:dir,key form, a key alone taking the default direction', () => {
    assert.deepEqual(parseListParams({ sort: 'name:asc, size' }, NOVA).sort, [
      { key: 'name', dir: 'asc' },
      { key: 'size', dir: 'desc' },
    ]);
  });

  test('sort errors name what is allowed', () => {
    rejects(() => parseListParams({ sort_key: 'owner' }, NOVA), /Invalid sort key "owner": expected one of name, size, created_at\./);
    rejects(() => parseListParams({ sort: 'name:up' }, NOVA), /Invalid sort direction "up": expected 'asc' or 'desc'\./);
    rejects(() => parseListParams({ sort_key: 'name', sort_dir: 'ASC' }, NOVA), /Invalid sort direction "ASC"/);
    rejects(() => parseListParams({ sort: 'name,' }, NOVA), /Invalid sort key "": expected one of/);
    rejects(
      () => parseListParams({ sort_key: 'name', sort_dir: ['asc', 'desc'] }, NOVA),
      /Got 2 sort_dir values for 1 sort keys: give at most one sort_dir per sort_key\./,
    );
    rejects(
      () => parseListParams({ sort: 'name', sort_dir: 'asc' }, NOVA),
      /sort parameter cannot be combined with sort_key or sort_dir: use either sort=key:dir,key2:dir or sort_key=key&sort_dir=dir pairs/,
    );
  });

  test("page_reverse is Neutron's: read only when the spec allows it, true only for 'true'", () => {
    const neutron: ListSpec<Key> = { ...NOVA, pageReverse: true };
    assert.equal(parseListParams({ page_reverse: 'True' }, neutron).pageReverse, true);
    assert.equal(parseListParams({ page_reverse: 'yes' }, neutron).pageReverse, false);
    assert.equal(parseListParams({}, neutron).pageReverse, false);
    assert.equal('pageReverse' in parseListParams({ page_reverse: 'True' }, NOVA), false);
  });
});

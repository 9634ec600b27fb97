import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { glanceLinks, neutronLinks, nextLinks, withQuery } from './links.js';

describe('pagination links', () => {
  test('withQuery replaces or adds, keeps the rest in place, and keeps a path a path', () => {
    assert.equal(withQuery('/v2/images?marker=a&limit=2', { marker: 'b' }), '/v2/images?marker=b&limit=2');
    assert.equal(withQuery('/v2/images', { marker: 'b' }), '/v2/images?marker=b');
    assert.equal(withQuery('/v2/images?marker=a', { marker: null }), '/v2/images');
    assert.equal(
      withQuery('http://cloud:8774/v2.1/servers/detail?status=A&status=B', { marker: 'x y' }),
      'http://cloud:8774/v2.1/servers/detail?status=A&status=B&marker=x+y',
    );
  });

  test('Nova: one next link with the marker, none on the last page', () => {
    const url = 'http://cloud:8774/v2.1/servers/detail?limit=7&sort_key=name&marker=old';
    assert.deepEqual(nextLinks(url, 'new'), [{ rel: 'next', href: 'http://cloud:8774/v2.1/servers/detail?limit=7&sort_key=name&marker=new' }]);
    assert.deepEqual(nextLinks(url, null), []);
  });

  test('Glance: first without a marker, next as a path', () => {
    assert.deepEqual(glanceLinks('/v2/images?limit=7&marker=old&sort=name%3Aasc', 'new'), {
      first: '/v2/images?limit=7&sort=name%3Aasc',
      next: '/v2/images?limit=7&marker=new&sort=name%3Aasc',
    });
    assert.deepEqual(glanceLinks('/v2/images', null), { first: '/v2/images' });
  });

  test('Neutron: next drops page_reverse, previous sets it', () => {
    const url = 'http://cloud:9696/v2.0/ports?limit=7&page_reverse=True&marker=m';
    assert.deepEqual(neutronLinks(url, { nextMarker: 'last', previousMarker: 'first' }), [
      { rel: 'next', href: 'http://cloud:9696/v2.0/ports?limit=7&marker=last' },
      { rel: 'previous', href: 'http://cloud:9696/v2.0/ports?limit=7&page_reverse=True&marker=first' },
    ]);
    assert.deepEqual(neutronLinks(url, { nextMarker: null, previousMarker: null }), []);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequest, NotAcceptable } from './errors.js';
import { checkCoverage, microversionHeaders, negotiateMicroversion, selectForVersion, type MicroversionPolicy } from './microversions.js';

const compute: MicroversionPolicy = {
  serviceType: 'compute',
  legacyHeader: 'x-openstack-nova-api-version',
  min: { major: 2, minor: 1 },
  max: { major: 2, minor: 90 },
};

test('absent header gives the minimum, latest the maximum', () => {
  assert.deepEqual(negotiateMicroversion({}, compute), { major: 2, minor: 1 });
  assert.deepEqual(negotiateMicroversion({ 'openstack-api-version': 'compute latest' }, compute), { major: 2, minor: 90 });
});

test('the standard header picks our service out of a list and wins over the legacy one', () => {
  const headers = { 'openstack-api-version': 'placement 1.10, compute 2.53', 'x-openstack-nova-api-version': '2.3' };
  assert.deepEqual(negotiateMicroversion(headers, compute), { major: 2, minor: 53 });
});

test('the legacy header is honoured alone', () => {
  assert.deepEqual(negotiateMicroversion({ 'x-openstack-nova-api-version': '2.26' }, compute), { major: 2, minor: 26 });
});

test('out of range is 406, malformed is 400', () => {
  assert.throws(() => negotiateMicroversion({ 'openstack-api-version': 'compute 2.91' }, compute), NotAcceptable);
  assert.throws(() => negotiateMicroversion({ 'openstack-api-version': 'compute 2.0' }, compute), NotAcceptable);
  assert.throws(() => negotiateMicroversion({ 'openstack-api-version': 'compute 2.x' }, compute), BadRequest);
  assert.throws(() => negotiateMicroversion({ 'openstack-api-version': 'compute 02.1' }, compute), BadRequest);
});

test('response headers name the service and the legacy header', () => {
  const headers = microversionHeaders({ major: 2, minor: 53 }, compute);
  assert.equal(headers['openstack-api-version'], 'compute 2.53');
  assert.equal(headers['x-openstack-nova-api-version'], '2.53');
  assert.match(headers.vary ?? '', /OpenStack-API-Version/);
});

test('versioned entries are selected by range and checked for gaps', () => {
  const entries = [
    { from: '2.1', to: '2.25', value: 'old' },
    { from: '2.26', value: 'new' },
  ];
  checkCoverage(entries, compute);
  assert.equal(selectForVersion(entries, { major: 2, minor: 25 }), 'old');
  assert.equal(selectForVersion(entries, { major: 2, minor: 26 }), 'new');
  assert.throws(
    () =>
      checkCoverage(
        [
          { from: '2.1', to: '2.24', value: 1 },
          { from: '2.26', value: 2 },
        ],
        compute,
      ),
    /gap/,
  );
  assert.throws(() => checkCoverage([{ from: '2.1', to: '2.24', value: 1 }], compute), /end before/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GnocchiBadRequest } from '../../src/metric/measures/errors.js';
import { parseMeasureList, resourceUuid } from '../../src/metric/measures/push.js';
import { formatTimestamp, parseTimespan, parseTimestamp } from '../../src/metric/measures/time.js';

test('timestamps: ISO 8601 (UTC unless an offset is named), epoch numbers and strings, relative spans', () => {
  assert.equal(parseTimestamp('2015-03-06T14:33:57'), Date.UTC(2015, 2, 6, 14, 33, 57) / 1000);
  assert.equal(parseTimestamp('2015-03-06T14:34'), Date.UTC(2015, 2, 6, 14, 34) / 1000);
  assert.equal(parseTimestamp('2015-03-06T14:33:57+01:00'), Date.UTC(2015, 2, 6, 13, 33, 57) / 1000);
  assert.equal(parseTimestamp('2015-03-06T14:33:57.5Z'), Date.UTC(2015, 2, 6, 14, 33, 57) / 1000 + 0.5);
  assert.equal(parseTimestamp(1425652437.0), 1425652437);
  assert.equal(parseTimestamp('1425652437'), 1425652437);
  assert.equal(
    parseTimestamp('-5 minutes', () => 1000),
    700,
  );
  assert.throws(() => parseTimestamp('1915-03-06T14:33:57'), /Timestamp must be after Epoch/);
  assert.throws(() => parseTimestamp('1915-100-06T14:33:57'), /Unable to convert timestamps/);
  assert.throws(() => parseTimestamp('2015-02-30'), /Unable to convert timestamps/);
});

test('timestamps: every offset form, fractions to the nanosecond, leap days, out-of-range fields', () => {
  const base = Date.UTC(2016, 1, 29, 12, 0, 0) / 1000;
  assert.equal(parseTimestamp('2016-02-29T12:00:00'), base);
  assert.equal(parseTimestamp('2016-02-29 17:30:00+05:30'), base);
  assert.equal(parseTimestamp('2016-02-29T17:30:00+0530'), base);
  assert.equal(parseTimestamp('2016-02-29T07:00:00-05'), base);
  assert.equal(parseTimestamp('2016-02-29T12:00:00z'), base);
  assert.equal(parseTimestamp('2016-02-29T12:00:00.123456789+00:00'), base + 0.123456789);
  assert.equal(parseTimestamp('2016-02-29T12:00:00,25'), base + 0.25);
  assert.equal(parseTimestamp('2000-02-29'), Date.UTC(2000, 1, 29) / 1000);
  for (const invalid of [
    '2015-02-29',
    '1900-02-29T00:00:00',
    '2016-13-01',
    '2016-00-10',
    '2016-04-31',
    '2016-04-00',
    '2016-04-01T24:00',
    '2016-04-01T10:60',
    '2016-04-01T10:00:60',
  ])
    assert.throws(() => parseTimestamp(invalid), /Unable to convert timestamps|Timestamp must be after Epoch/, invalid);
});

test("timespans and Gnocchi's printing of times", () => {
  assert.equal(parseTimespan('1 hour'), 3600);
  assert.equal(parseTimespan('5min'), 300);
  assert.equal(parseTimespan('60'), 60);
  assert.throws(() => parseTimespan('foobar'), /Unable to parse timespan/);
  assert.throws(() => parseTimespan('0'), /Timespan must be positive/);
  assert.equal(formatTimestamp(1425652452), '2015-03-06T14:34:12+00:00');
  assert.equal(formatTimestamp(1425652452.25), '2015-03-06T14:34:12.250000+00:00');
});

test('measure lists are checked as Gnocchi checks them', () => {
  assert.deepEqual(parseMeasureList([{ timestamp: '2015-03-06T14:33:57', value: '43.1' }]), [{ timestamp: 1425652437, value: 43.1 }]);
  const reason = (body: unknown) => {
    try {
      parseMeasureList(body as never);
    } catch (e) {
      return ((e as GnocchiBadRequest).description as { reason: string }).reason;
    }
    return null;
  };
  assert.equal(reason(1), 'unexpected measures format');
  assert.equal(reason([['2015-03-06T14:33:57', 43.1]]), 'unexpected measures format');
  assert.equal(reason([{ timestamp: '2015-03-06T14:33:57', value: 'foobar' }]), 'unexpected measures value');
  assert.equal(reason([{ timestamp: '1915-03-06T14:33:57', value: 1 }]), "unexpected timestamp 'Timestamp must be after Epoch'");
});

test('resource ids that are not UUIDs map by uuid5 as Gnocchi maps them', () => {
  assert.equal(resourceUuid('5A301761-F78B-46E2-8900-8B4F6FE6675A', 'x'), '5a301761-f78b-46e2-8900-8b4f6fe6675a');
  const mapped = resourceUuid('foo', 'user:project');
  assert.match(mapped, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(resourceUuid('foo', 'user:project'), mapped);
});

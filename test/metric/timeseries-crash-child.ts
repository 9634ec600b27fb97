/**
 * The process the crash test kills: accepts numbered batches for one metric
 * as fast as it can, aggregating in the background and now and then by
 * refresh, and prints each batch's number once its `accept` resolved.
 * Usage: node timeseries-crash-child.js <sqlite file>
 */
import { openDatabase } from '../../src/core/db/database.js';
import { createLogger } from '../../src/core/logger.js';
import { createTimeSeriesEngine } from '../../src/metric/timeseries/index.js';
import { CRASH_METRIC, crashBatch, crashPolicy } from './timeseries-reference.js';

const file = process.argv[2];
if (!file) throw new Error('usage: timeseries-crash-child <sqlite file>');
const engine = createTimeSeriesEngine({ db: openDatabase({ connection: file }), dataDir: '/nonexistent', log: createLogger('silent'), processDelayMs: 1 });
const policyOf = async () => crashPolicy;
engine.start(policyOf);
for (let batch = 0; ; batch++) {
  await engine.accept([{ metricId: CRASH_METRIC, measures: crashBatch(batch) }]);
  process.stdout.write(`${batch}\n`);
  if (batch % 3 === 0) await engine.refresh([CRASH_METRIC], policyOf);
}

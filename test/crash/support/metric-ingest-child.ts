/**
 * A process serving only the metric service's measure routes, over the real
 * time-series engine on a SQLite file (background aggregation running) and
 * the in-memory stand-in index with the given metrics: the ingest kill -9
 * test starts it, SIGKILLs it mid-push and starts it again.
 * Arguments: <database file> <metric id>...
 */
import Fastify from 'fastify';
import { serviceCaller } from '../../../src/core/context.js';
import { openDatabase } from '../../../src/core/db/database.js';
import { migrateService } from '../../../src/core/db/migrate.js';
import { createLogger } from '../../../src/core/logger.js';
import { measureRoutes } from '../../../src/metric/measures/index.js';
import { createTimeSeriesEngine } from '../../../src/metric/timeseries/index.js';
import { metricMigrations } from '../../../src/metric/migrations/index.js';
import { record, StandInIndex } from '../../metric/measures-bed.js';

const [file, ...metricIds] = process.argv.slice(2);
const db = openDatabase({ connection: file! });
await migrateService(db, 'metric', metricMigrations);
const engine = createTimeSeriesEngine({ db, dataDir: '/nonexistent', log: createLogger('warn'), processDelayMs: 100 });
const index = new StandInIndex();
for (const id of metricIds) index.metrics.set(id, record(id, null, null));
engine.start((id) => index.policyOfMetric(id));
const caller = serviceCaller('ingest', { id: 'p' });
const app = Fastify();
await app.register(measureRoutes({ index, engine, authenticate: async () => caller, enforce: () => undefined, enforceAll: () => undefined }), {
  prefix: '/metric',
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`metric ingest ready at ${url}\n`);

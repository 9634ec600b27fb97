/**
 * A process running only the orchestration engine's task workers on a
 * SQLite file, with Test::Thing objects kept as files: the kill -9 test
 * starts it, kills it with SIGKILL mid-operation and starts it again.
 * Arguments: <database file> <cloud directory> <lease ms>.
 */
import { openDatabase } from '../../../src/core/db/database.js';
import { createLogger } from '../../../src/core/logger.js';
import { TaskQueue } from '../../../src/core/tasks/index.js';
import { engineServiceDeps } from '../../orchestration/support/engine-harness.js';
import { stackService } from '../../../src/orchestration/service/index.js';
import { FakeCloud } from '../../orchestration/support/engine-test-plugins.js';

const [file, cloudDir, leaseMs] = process.argv.slice(2);
const db = openDatabase({ connection: file! });
const logger = createLogger('warn');
const tasks = new TaskQueue({ db, logger, retryBaseMs: 50 });
stackService(engineServiceDeps(db, tasks, new FakeCloud(cloudDir!)));
tasks.start({ workers: 4, pollMs: 50, leaseMs: Number(leaseMs) });
process.stderr.write('engine worker ready\n');

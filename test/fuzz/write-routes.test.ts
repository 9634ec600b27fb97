/** The fuzz suite (suite.ts) on SQLite, the default store: systematic, reader and random runs. */
import { startTestServer } from '../support/server.js';
import { defineFuzzSuite } from './suite.js';

defineFuzzSuite('fuzz [sqlite]', { start: startTestServer, random: true });

import type { Migrations } from '../../core/db/migrate.js';
import * as initial from './0001-initial.js';
import * as portForwardings from './0002-port-forwardings.js';
import * as segments from './0003-segments.js';

export const networkMigrations: Migrations = {
  '0001-initial': initial,
  '0002-port-forwardings': portForwardings,
  '0003-segments': segments,
};

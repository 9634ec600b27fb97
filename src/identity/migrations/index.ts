import type { Migrations } from '../../core/db/migrate.js';
import * as initial from './0001-initial.js';
import * as trusts from './0002-trusts.js';
import * as federation from './0003-federation.js';

export const identityMigrations: Migrations = {
  '0001-initial': initial,
  '0002-trusts': trusts,
  '0003-federation': federation,
};

import type { Migrations } from '../../core/db/migrate.js';
import * as initial from './0001-initial.js';
import * as transfers from './0002-transfers.js';
import * as backups from './0003-backups.js';
import * as typeEncryption from './0004-type-encryption.js';
import * as groups from './0005-groups.js';
import * as serviceState from './0006-service-state.js';
import * as messages from './0007-messages.js';
import * as backupSources from './0008-backup-sources.js';

export const volumeMigrations: Migrations = {
  '0001-initial': initial,
  '0002-transfers': transfers,
  '0003-backups': backups,
  '0004-type-encryption': typeEncryption,
  '0005-groups': groups,
  '0006-service-state': serviceState,
  '0007-messages': messages,
  '0008-backup-sources': backupSources,
};

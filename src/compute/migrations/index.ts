import type { Migrations } from '../../core/db/migrate.js';
import * as initial from './0001-initial.js';
import * as serviceIds from './0002-service-ids.js';
import * as volumeAttachments from './0003-volume-attachments.js';
import * as serverListIndex from './0004-server-list-index.js';
import * as consoleAuthTokens from './0005-console-auth-tokens.js';

export const computeMigrations: Migrations = {
  '0001-initial': initial,
  '0002-service-ids': serviceIds,
  '0003-volume-attachments': volumeAttachments,
  '0004-server-list-index': serverListIndex,
  '0005-console-auth-tokens': consoleAuthTokens,
};

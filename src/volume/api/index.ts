/** Every volume route, mounted under /volume. */
import type { FastifyInstance } from 'fastify';
import { attachmentRoutes } from './attachments.js';
import { backupRoutes } from './backups.js';
import { encryptionRoutes } from './encryption.js';
import { groupTypeRoutes } from './group-types.js';
import { groupRoutes, groupSnapshotRoutes } from './groups.js';
import { authenticateFirst, type VolumeApi } from './context.js';
import { hostRoutes } from './hosts.js';
import { infoRoutes } from './info.js';
import { messageRoutes } from './messages.js';
import { resourceFilterRoutes } from './resource-filters.js';
import { serviceRoutes } from './services.js';
import { snapshotRoutes } from './snapshots.js';
import { transferRoutes } from './transfers.js';
import { qosRoutes, typeRoutes } from './types.js';
import { versionRoutes } from './versions.js';
import { volumeActionRoutes } from './volume-actions.js';
import { volumeRoutes } from './volumes.js';

export function volumeRoutesAll(app: FastifyInstance, api: VolumeApi): void {
  authenticateFirst(app, api);
  versionRoutes(app, api);
  volumeRoutes(app, api);
  volumeActionRoutes(app, api);
  snapshotRoutes(app, api);
  typeRoutes(app, api);
  encryptionRoutes(app, api);
  qosRoutes(app, api);
  attachmentRoutes(app, api);
  transferRoutes(app, api);
  backupRoutes(app, api);
  infoRoutes(app, api);
  hostRoutes(app, api);
  resourceFilterRoutes(app, api);
  serviceRoutes(app, api);
  groupTypeRoutes(app, api);
  groupRoutes(app, api);
  groupSnapshotRoutes(app, api);
  messageRoutes(app, api);
}

export { MICROVERSIONS, type VolumeApi } from './context.js';

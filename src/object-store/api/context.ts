/** What every Swift API handler works with: the storage layers and the auth settings. */
import type { Authenticator } from '../../core/service-module.js';
import type { Logger } from '../../core/logger.js';
import type { SyncRealms } from '../middleware/container-sync.js';
import type { ReplicatedObjects } from '../proxy/replicated-objects.js';
import type { AccountServer, ContainerServer } from '../storage/contract.js';

export interface SwiftApi {
  objects: ReplicatedObjects;
  containers: ContainerServer;
  accounts: AccountServer;
  authenticator(): Authenticator | null;
  operatorRoles: string[];
  resellerAdminRole: string;
  /** Roles that read (GET, HEAD) their project's account, or every account, and never write. */
  projectReaderRoles: string[];
  systemReaderRoles: string[];
  /** The service prefix (`/object-store`), part of the paths tempurl signs. */
  prefix: string;
  /** Container sync's realms: which X-Container-Sync-To values are valid. */
  syncRealms: SyncRealms;
  log: Logger;
}

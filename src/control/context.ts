/**
 * What the control features work with: the running server's parts. Unlike a
 * service, a control feature may see every service's instance, since saving
 * or resetting a cloud's state is about all of them at once.
 */
import type { NimbusConfig } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Database } from '../core/db/database.js';
import type { Logger } from '../core/logger.js';
import type { Authenticator, ServiceInstance } from '../core/service-module.js';
import type { TaskQueue } from '../core/tasks/index.js';
import type { FaultRules } from './faults/index.js';

export interface ControlContext {
  config: NimbusConfig;
  db: Database;
  dataDir: string;
  log: Logger;
  tasks: TaskQueue;
  /** The server's clock, which `/_nimbus/clock` moves forward. */
  clock: Clock;
  /** Set once identity is initialised (read at each request). */
  authenticator: Authenticator | null;
  /** Every running service's instance, by module name. */
  services: Record<string, ServiceInstance>;
  /** The fault rules every service's scope and fault points consult. */
  faults: FaultRules;
}

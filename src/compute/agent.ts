/**
 * A compute agent (`nimbus agent compute --host NAME`), nova-compute's part
 * in a cluster: it runs one host's hypervisor driver, registers the host
 * (its os-services row `nova-compute`, its os-hypervisors entry and its
 * Placement resource provider with the inventory the driver reports),
 * destroys the guests of servers evacuated while it was down, syncs its
 * guests' power states, writes a heartbeat every `report_interval`, and
 * runs the driver calls the API processes address to its host
 * (service/host-calls.ts). It serves no API.
 */
import { hostname } from 'node:os';
import type { Database } from '../core/db/database.js';
import { NO_DRIVER_FAULTS } from '../core/faults.js';
import type { Logger } from '../core/logger.js';
import { TaskQueue } from '../core/tasks/index.js';
import type { PlacementOperations } from '../placement/operations.js';
import type { ComputeConfig } from './config.js';
import { createDriver, type HypervisorDriver } from './drivers/index.js';
import { defineHostCalls } from './service/host-calls.js';
import { HostOps } from './service/hosts.js';
import { destroyEvacuatedGuests } from './service/evacuated-guests.js';
import { syncPowerStates } from './service/power-sync.js';
import { computeDb, touchService } from './store/index.js';

export interface ComputeAgentOptions {
  db: Database;
  log: Logger;
  config: ComputeConfig;
  dataDir: string;
  /** The host's name (Nova's [DEFAULT] host), as servers and ports name it. */
  host: string;
  placement: PlacementOperations;
}

export interface ComputeAgent {
  readonly host: string;
  /** Stops heartbeating and claiming; running calls get the queue's grace period. */
  stop(): Promise<void>;
}

export async function startComputeAgent(options: ComputeAgentOptions): Promise<ComputeAgent> {
  const { db, config, host } = options;
  const log = options.log.child({ service: 'compute', agent: host });
  const driver = await hostDriver(options);
  const deps = { config, db: computeDb(db), driver, log, peers: { placementIfPresent: () => options.placement } };
  await new HostOps(deps).report();
  await destroyEvacuatedGuests(deps, host);
  await syncPowerStates(deps);
  const tasks = new TaskQueue({ db, logger: log, hosts: [host], owner: `${host}/${hostname()}:${process.pid}` });
  defineHostCalls(tasks, driver);
  const heartbeat = setInterval(() => {
    touchService(deps.db, host).then(
      (found) => {
        if (!found) log.error('the host has no compute service any more (deleted through os-services?); restart the agent to register it again');
      },
      (err: unknown) => log.warn({ err }, 'heartbeat failed'),
    );
  }, config.report_interval * 1000);
  // The queue wakes when an API process enqueues a call for this host (core/cluster/task-notices.ts).
  tasks.start();
  log.info({ driver: driver.type, reportInterval: config.report_interval }, 'compute agent started');
  return {
    host,
    async stop() {
      clearInterval(heartbeat);
      await tasks.stop();
    },
  };
}

/**
 * The driver for this one host: the fake's single simulated host takes the
 * agent's name. QEMU needs the guest images, which the agent cannot read yet
 * (they live under the API processes' image store).
 */
async function hostDriver(options: ComputeAgentOptions): Promise<HypervisorDriver> {
  const { config, host } = options;
  if (config.compute_driver === 'qemu') {
    throw new Error('A compute agent runs the fake driver only for now: the qemu driver needs the image store on shared storage (issue 18)');
  }
  const fake = { ...config.fake, hosts: 1, host_prefix: host };
  return createDriver({ ...config, fake }, options.dataDir, noImages, NO_DRIVER_FAULTS);
}

async function noImages(imageId: string): Promise<never> {
  throw new Error(`Image ${imageId} cannot be read by a compute agent`);
}

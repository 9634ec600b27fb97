/**
 * Power-state sync at start (Nova's _sync_power_states, run once): for every
 * server of this compute's hosts with no task in progress, the driver's
 * power state is written to the server, and the vm_state follows as Nova
 * decides — a guest that stopped by itself (or whose QEMU died while Nimbus
 * was down) becomes STOPPED (SHUTOFF); a guest running while the server is
 * STOPPED is powered off. A domain the driver does not know is NOSTATE.
 * Either stop sends `compute.instance.power_off.end`, as Nova's stop API does.
 */
import { DriverError } from '../drivers/errors.js';
import { POWER_STATE, type PowerState } from '../drivers/driver.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import type { ComputeDeps } from './deps.js';
import { publishInstanceEvent } from './notifications.js';
import { updateServer } from './server-state.js';
import { VM } from './states.js';

/** A compute agent's process has no event bus (its events would reach no subscriber): it syncs without notifying. */
type SyncDeps = Pick<ComputeDeps, 'db' | 'driver' | 'log'> & { events?: ComputeDeps['events'] };

export async function syncPowerStates(deps: SyncDeps): Promise<void> {
  for (const host of deps.driver.hosts()) {
    for (const server of await store.listServers(deps.db, { host: host.host, deleted: false })) {
      if (server.taskState !== null) continue;
      try {
        await syncOne(deps, host.host, server);
      } catch (error) {
        deps.log.warn({ err: error, server: server.id }, 'power state sync failed');
      }
    }
  }
}

async function syncOne(deps: SyncDeps, host: string, server: Server): Promise<void> {
  let power = await driverPower(deps, host, server.id);
  let vmState = server.vmState;
  // Nova calls its stop API in both cases below, and that sends the power-off notification.
  let stoppedHere = false;
  const stopped = power === POWER_STATE.SHUTDOWN || power === POWER_STATE.CRASHED;
  if ((server.vmState === VM.ACTIVE || server.vmState === VM.PAUSED) && stopped) {
    deps.log.warn({ server: server.id, power }, 'instance shut down by itself: marking it stopped');
    vmState = VM.STOPPED;
    stoppedHere = true;
  } else if (server.vmState === VM.STOPPED && power !== POWER_STATE.NOSTATE && !stopped) {
    deps.log.warn({ server: server.id, power }, 'instance is not stopped: powering it off');
    await deps.driver.powerOff(host, server.id);
    power = POWER_STATE.SHUTDOWN;
    stoppedHere = true;
  }
  if (power === server.powerState && vmState === server.vmState) return;
  let changed = false;
  const saved = await updateServer(deps.db, server.id, (s) => {
    changed = s.taskState === null;
    return changed ? { ...s, powerState: power, vmState } : null;
  });
  if (changed && stoppedHere && deps.events) publishInstanceEvent(deps.events, 'compute.instance.power_off.end', saved);
}

async function driverPower(deps: SyncDeps, host: string, serverId: string): Promise<PowerState> {
  try {
    return (await deps.driver.info(host, serverId)).powerState;
  } catch (error) {
    if (error instanceof DriverError && error.code === 'DomainNotFound') return POWER_STATE.NOSTATE;
    throw error;
  }
}

/**
 * Actions on the running guest that keep it where it is: suspend/resume
 * (memory to disk and back), changePassword (through the guest agent) and
 * trigger_crash_dump (an NMI, 2.17). Each is admitted by
 * ServerActionOps.start from its declaration below (GUEST_WORK).
 */
import { DRIVER_STATES, type HypervisorDriver } from '../drivers/driver.js';
import { actionErrors } from '../errors.js';
import type { Server } from '../store/index.js';
import type { ComputeRuntime } from './runtime.js';
import type { HostWork } from './server-action-task.js';
import type { ActionRequest, ServerActionOps } from './server-actions.js';
import { TASK, VM } from './states.js';

export function hostOf(server: Server): string {
  if (!server.host) throw new Error(`Instance ${server.id} has no host`);
  return server.host;
}

/** Driver calls that are all of an action's host work. */
const GUEST_CALLS = {
  powerOn: (driver: HypervisorDriver, host: string, id: string) => driver.powerOn(host, id),
  powerOff: (driver: HypervisorDriver, host: string, id: string) => driver.powerOff(host, id),
  pause: (driver: HypervisorDriver, host: string, id: string) => driver.pause(host, id),
  unpause: (driver: HypervisorDriver, host: string, id: string) => driver.unpause(host, id),
  suspend: (driver: HypervisorDriver, host: string, id: string) => driver.suspend(host, id),
  resume: (driver: HypervisorDriver, host: string, id: string) => driver.resume(host, id),
  unrescue: (driver: HypervisorDriver, host: string, id: string) => driver.unrescue(host, id),
};

/**
 * Host work that is one driver call on the guest: the server ends in
 * `vmState` with the power state the driver contract says the call leaves
 * (DRIVER_STATES).
 */
export function guestCallWork(declaration: Omit<HostWork, 'run' | 'revert'> & { call: keyof typeof GUEST_CALLS; vmState: string }): HostWork {
  const { call, vmState, ...work } = declaration;
  return {
    ...work,
    async run({ deps }, server) {
      await GUEST_CALLS[call](deps.driver, hostOf(server), server.id);
      return { vmState, powerState: DRIVER_STATES[call].produces };
    },
  };
}

export class GuestActionOps {
  constructor(
    private readonly runtime: ComputeRuntime,
    private readonly actions: ServerActionOps,
  ) {}

  async changePassword(req: ActionRequest, password: string): Promise<void> {
    await this.actions.start(req, 'changePassword', { params: { password } });
  }

  async triggerCrashDump(req: ActionRequest): Promise<void> {
    if (!this.runtime.deps.driver.capabilities().supportsCrashDump) throw actionErrors.crashDumpUnsupported();
    await this.actions.start(req, 'trigger_crash_dump');
  }
}

export const GUEST_WORK: HostWork[] = [
  guestCallWork({
    action: 'suspend',
    rule: 'os_compute_api:os-suspend-server:suspend',
    accepts: { vm: [VM.ACTIVE], task: [null] },
    taskState: TASK.SUSPENDING,
    event: 'compute_suspend_instance',
    call: 'suspend',
    vmState: VM.SUSPENDED,
  }),
  guestCallWork({
    action: 'resume',
    rule: 'os_compute_api:os-suspend-server:resume',
    accepts: { vm: [VM.SUSPENDED], task: [null] },
    taskState: TASK.RESUMING,
    event: 'compute_resume_instance',
    call: 'resume',
    vmState: VM.ACTIVE,
  }),
  /** The new password travels in the task (as in Nova's RPC message) and is not kept on the server. */
  {
    action: 'changePassword',
    rule: 'os_compute_api:os-admin-password',
    accepts: { vm: [VM.ACTIVE], task: [null] },
    taskState: TASK.UPDATING_PASSWORD,
    event: 'compute_set_admin_password',
    async run({ deps }, server, payload) {
      await deps.driver.setAdminPassword(hostOf(server), server.id, String(payload.params.password));
      return { vmState: VM.ACTIVE };
    },
  },
  /** No task state, as Nova: the NMI is fire-and-forget. */
  {
    action: 'trigger_crash_dump',
    rule: 'os_compute_api:servers:trigger_crash_dump',
    accepts: { vm: [VM.ACTIVE, VM.PAUSED, VM.RESCUED, VM.RESIZED, VM.ERROR], task: [null] },
    taskState: null,
    event: 'compute_trigger_crash_dump',
    async run({ deps }, server) {
      await deps.driver.triggerCrashDump(hostOf(server), server.id);
      return { powerState: (await deps.driver.info(hostOf(server), server.id)).powerState };
    },
  },
];

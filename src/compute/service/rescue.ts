/**
 * rescue / unrescue: the guest boots from a rescue image (the one asked
 * for, else its own image) with its root disk attached second, so a user can
 * repair it; unrescue boots it from its own disk again. Rescue answers the
 * admin password of the rescue system (given or generated).
 */
import { POWER_STATE } from '../drivers/driver.js';
import { actionErrors, serverErrors } from '../errors.js';
import { guestCallWork, hostOf } from './guest-actions.js';
import type { ComputeRuntime } from './runtime.js';
import type { HostWork } from './server-action-task.js';
import type { ActionRequest, ServerActionOps } from './server-actions.js';
import type { ServerOps } from './servers.js';
import { TASK, VM } from './states.js';
import { generatedPassword } from './passwords.js';

export class RescueOps {
  constructor(
    private readonly runtime: ComputeRuntime,
    private readonly servers: ServerOps,
    private readonly actions: ServerActionOps,
  ) {}

  /** Returns the rescue system's admin password. */
  async rescue(req: ActionRequest, options: { adminPass?: string; rescueImageRef?: string }): Promise<string> {
    const server = await this.servers.get(req.auth, req.serverId, 'os_compute_api:os-rescue');
    if (!this.runtime.deps.driver.capabilities().supportsRescue) throw actionErrors.rescueUnsupported();
    const imageRef = options.rescueImageRef ?? server.imageRef;
    // A volume-backed server has no image of its own to rescue from (Nova before 2.87).
    if (!imageRef) throw actionErrors.rescueVolumeBacked();
    const found = await this.runtime.deps.peers
      .image()
      .get(req.auth, imageRef)
      .catch(() => null);
    if (!found) throw serverErrors.imageNotUsable(imageRef);
    if (found.status !== 'active') throw serverErrors.imageNotActive(imageRef);
    const password = options.adminPass ?? generatedPassword();
    await this.actions.start(req, 'rescue', { params: { imageRef, password } });
    return password;
  }
}

export const RESCUE_WORK: HostWork[] = [
  {
    action: 'rescue',
    rule: 'os_compute_api:os-rescue',
    accepts: { vm: [VM.ACTIVE, VM.STOPPED, VM.ERROR], task: [null] },
    taskState: TASK.RESCUING,
    event: 'compute_rescue_instance',
    async run({ deps }, server, payload) {
      const host = hostOf(server);
      await deps.driver.rescue(host, server.id, String(payload.params.imageRef));
      await deps.driver.setAdminPassword(host, server.id, String(payload.params.password));
      return { vmState: VM.RESCUED, powerState: POWER_STATE.RUNNING };
    },
  },
  guestCallWork({
    action: 'unrescue',
    rule: 'os_compute_api:os-unrescue',
    accepts: { vm: [VM.RESCUED], task: [null] },
    taskState: TASK.UNRESCUING,
    event: 'compute_unrescue_instance',
    call: 'unrescue',
    vmState: VM.ACTIVE,
  }),
];

/**
 * The server actions Tempest's interop list and the CLI use: reboot,
 * os-stop/os-start, pause/unpause, lock/unlock, resize/confirmResize/
 * revertResize, rebuild, createImage, os-getConsoleOutput,
 * add/removeSecurityGroup, forceDelete.
 */
import { BadRequest } from '../../core/errors.js';
import { atLeast } from '../microversion.js';
import { registerServerActions, type ActionCall } from './action-registry.js';
import { updatedServerView } from './servers.js';
import * as v from './validate.js';
import { generatedPassword } from '../service/passwords.js';

export const accepted = ({ reply }: ActionCall) => reply.code(202).send();

export function onlyNull(call: ActionCall, name: string): void {
  if (call.body !== null && (typeof call.body !== 'object' || Object.keys(call.body as object).length > 0)) {
    throw v.invalid(name, call.body, `${JSON.stringify(call.body)} is not of type 'null'`);
  }
}

export function registerBaseServerActions(): void {
  registerServerActions({
    async reboot(call) {
      const body = v.object(call.body, 'reboot');
      v.onlyKeys(body, ['type'], 'reboot');
      const type = typeof body.type === 'string' ? body.type.toUpperCase() : body.type;
      if (type !== 'SOFT' && type !== 'HARD') throw v.invalid('type', body.type, "is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']");
      await call.api.ops.serverActions.reboot(call.req, type);
      return accepted(call);
    },
    async 'os-stop'(call) {
      onlyNull(call, 'os-stop');
      await call.api.ops.serverActions.stop(call.req);
      return accepted(call);
    },
    async 'os-start'(call) {
      onlyNull(call, 'os-start');
      await call.api.ops.serverActions.startServer(call.req);
      return accepted(call);
    },
    async pause(call) {
      onlyNull(call, 'pause');
      await call.api.ops.serverActions.pause(call.req);
      return accepted(call);
    },
    async unpause(call) {
      onlyNull(call, 'unpause');
      await call.api.ops.serverActions.unpause(call.req);
      return accepted(call);
    },
    async lock(call) {
      let reason: string | null = null;
      if (call.body !== null && call.body !== undefined) {
        const body = v.object(call.body, 'lock');
        v.onlyKeys(body, atLeast(call.version, '2.73') ? ['locked_reason'] : [], 'lock');
        if (body.locked_reason !== undefined) reason = v.string(body.locked_reason, 'locked_reason', { min: 1, max: 255 });
      }
      await call.api.ops.serverActions.lock(call.req, reason);
      return accepted(call);
    },
    async unlock(call) {
      onlyNull(call, 'unlock');
      await call.api.ops.serverActions.unlock(call.req);
      return accepted(call);
    },
    async resize(call) {
      const body = v.object(call.body, 'resize');
      v.onlyKeys(body, ['flavorRef', 'OS-DCF:diskConfig'], 'resize');
      if (body.flavorRef === undefined || body.flavorRef === null) throw v.invalid('flavorRef', body.flavorRef ?? null, "'flavorRef' is a required property");
      const flavorRef = (typeof body.flavorRef === 'number' ? String(body.flavorRef) : v.string(body.flavorRef, 'flavorRef', { min: 1 })).split('/').pop() as string;
      await call.api.ops.serverActions.resize(call.req, flavorRef);
      return accepted(call);
    },
    async confirmResize(call) {
      onlyNull(call, 'confirmResize');
      await call.api.ops.serverActions.confirmResize(call.req);
      return call.reply.code(204).send();
    },
    async revertResize(call) {
      onlyNull(call, 'revertResize');
      await call.api.ops.serverActions.revertResize(call.req);
      return accepted(call);
    },
    async rebuild(call) {
      const body = v.object(call.body, 'rebuild');
      const allowed = ['imageRef', 'name', 'adminPass', 'metadata', 'accessIPv4', 'accessIPv6', 'OS-DCF:diskConfig', 'preserve_ephemeral'];
      if (!atLeast(call.version, '2.57')) allowed.push('personality');
      if (atLeast(call.version, '2.19')) allowed.push('description');
      v.onlyKeys(body, allowed, 'rebuild');
      if (body.imageRef === undefined) throw new BadRequest("Invalid input for field/attribute rebuild. 'imageRef' is a required property");
      const imageRef = v.string(body.imageRef, 'imageRef', { min: 1 }).split('/').pop() as string;
      const adminPass = body.adminPass === undefined ? undefined : v.string(body.adminPass, 'adminPass');
      const server = await call.api.ops.serverActions.rebuild(call.req, {
        imageRef,
        ...(body.name !== undefined ? { name: v.name(body.name) } : {}),
        ...(body.metadata !== undefined ? { metadata: v.stringMap(body.metadata, 'metadata') } : {}),
        ...(body.description !== undefined ? { description: body.description === null ? null : v.string(body.description, 'description', { max: 255 }) } : {}),
        injectedFiles: body.personality === undefined ? [] : v.personality(body.personality),
      });
      const view = await updatedServerView(call.api, call.request, call.auth, server);
      return call.reply.code(202).send({ server: { ...view, adminPass: adminPass ?? generatedPassword() } });
    },
    async createImage(call) {
      const body = v.object(call.body, 'createImage');
      v.onlyKeys(body, ['name', 'metadata'], 'createImage');
      const name = v.string(body.name, 'name', { min: 1, max: 255 });
      const metadata = body.metadata === undefined ? {} : v.stringMap(body.metadata, 'metadata');
      const imageId = await call.api.ops.serverActions.createImage(call.req, name, metadata);
      if (atLeast(call.version, '2.45')) return call.reply.code(202).send({ image_id: imageId });
      return call.reply.code(202).header('location', `${imageRoot(call.api.root)}/v2/images/${imageId}`).send();
    },
    async 'os-getConsoleOutput'(call) {
      const body = call.body === null ? {} : v.object(call.body, 'os-getConsoleOutput');
      v.onlyKeys(body, ['length'], 'os-getConsoleOutput');
      let length: number | null = null;
      if (body.length !== undefined && body.length !== null) length = v.integer(body.length, 'length', { min: -1, max: Number.MAX_SAFE_INTEGER });
      if (length === -1) length = null;
      return { output: await call.api.ops.serverActions.consoleOutput(call.req, length) };
    },
    async addSecurityGroup(call) {
      const body = v.object(call.body, 'addSecurityGroup');
      await call.api.ops.serverActions.changeSecurityGroup(call.req, v.string(body.name, 'name', { min: 1, max: 255 }), true);
      return accepted(call);
    },
    async removeSecurityGroup(call) {
      const body = v.object(call.body, 'removeSecurityGroup');
      await call.api.ops.serverActions.changeSecurityGroup(call.req, v.string(body.name, 'name', { min: 1, max: 255 }), false);
      return accepted(call);
    },
    async forceDelete(call) {
      onlyNull(call, 'forceDelete');
      await call.api.ops.servers.delete(call.auth, call.req.serverId, call.req.requestId, 'os_compute_api:os-deferred-delete:force');
      return accepted(call);
    },
  });
}

/** The image service's URL beside the compute one (both on this server's public URL). */
export function imageRoot(computeRoot: string): string {
  return computeRoot.replace(/\/compute$/, '/image');
}


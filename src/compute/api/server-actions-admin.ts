/**
 * The remaining server actions: suspend/resume, rescue/unrescue,
 * shelve/shelveOffload/unshelve (2.77 zone), migrate (2.56 host),
 * os-migrateLive (2.25 block_migration auto, 2.30-2.67 force), evacuate
 * (2.14 no password in the answer, 2.29-2.67 force), changePassword,
 * trigger_crash_dump (2.17) and createBackup (rotation; 2.45 image_id).
 * Registered on POST /servers/{id}/action.
 */
import { NotFound } from '../../core/errors.js';
import { atLeast } from '../microversion.js';
import { registerServerActions, type ActionCall } from './action-registry.js';
import { accepted, imageRoot, onlyNull } from './server-actions.js';
import * as v from './validate.js';

/** The action's body as an object, or an empty one for `null` (actions whose parameters are all optional). */
function optionalObject(call: ActionCall, name: string): Record<string, unknown> {
  return call.body === null || call.body === undefined ? {} : v.object(call.body, name);
}

function hostOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : v.string(value, 'host', { min: 1, max: 255 });
}

function password(value: unknown): string {
  return v.string(value, 'adminPass', { min: 1, max: 255 });
}

export function registerAdminServerActions(): void {
  registerServerActions({
    async suspend(call) {
      onlyNull(call, 'suspend');
      await call.api.ops.guestActions.suspend(call.req);
      return accepted(call);
    },
    async resume(call) {
      onlyNull(call, 'resume');
      await call.api.ops.guestActions.resume(call.req);
      return accepted(call);
    },
    async changePassword(call) {
      const body = v.object(call.body, 'changePassword');
      v.onlyKeys(body, ['adminPass'], 'changePassword');
      if (body.adminPass === undefined) throw v.invalid('changePassword', body, "'adminPass' is a required property");
      await call.api.ops.guestActions.changePassword(call.req, password(body.adminPass));
      return accepted(call);
    },
    async trigger_crash_dump(call) {
      if (!atLeast(call.version, '2.17')) throw new NotFound('The resource could not be found.');
      onlyNull(call, 'trigger_crash_dump');
      await call.api.ops.guestActions.triggerCrashDump(call.req);
      return accepted(call);
    },
    async createBackup(call) {
      const body = v.object(call.body, 'createBackup');
      v.onlyKeys(body, ['name', 'backup_type', 'rotation', 'metadata'], 'createBackup');
      for (const required of ['name', 'backup_type', 'rotation']) {
        if (!(required in body)) throw v.invalid('createBackup', body, `'${required}' is a required property`);
      }
      const name = v.name(body.name);
      const type = v.string(body.backup_type, 'backup_type', { min: 1, max: 255 });
      const rotation = v.integer(body.rotation, 'rotation', { min: 0 });
      const metadata = body.metadata === undefined ? {} : v.stringMap(body.metadata, 'metadata');
      const imageId = await call.api.ops.serverActions.createImage(call.req, name, metadata, { type, rotation });
      if (atLeast(call.version, '2.45')) return call.reply.code(202).send({ image_id: imageId });
      // Nova names the new backup in Location unless rotation 0 will delete it at once.
      if (rotation > 0) call.reply.header('location', `${imageRoot(call.api.root)}/v2/images/${imageId}`);
      return accepted(call);
    },
    async rescue(call) {
      const body = optionalObject(call, 'rescue');
      v.onlyKeys(body, ['adminPass', 'rescue_image_ref'], 'rescue');
      const adminPass = await call.api.ops.rescue.rescue(call.req, {
        ...(body.adminPass !== undefined && { adminPass: password(body.adminPass) }),
        ...(body.rescue_image_ref !== undefined && { rescueImageRef: v.string(body.rescue_image_ref, 'rescue_image_ref', { min: 1, max: 255 }) }),
      });
      return { adminPass };
    },
    async unrescue(call) {
      onlyNull(call, 'unrescue');
      await call.api.ops.rescue.unrescue(call.req);
      return accepted(call);
    },
    async shelve(call) {
      onlyNull(call, 'shelve');
      await call.api.ops.shelve.shelve(call.req);
      return accepted(call);
    },
    async shelveOffload(call) {
      onlyNull(call, 'shelveOffload');
      await call.api.ops.shelve.shelveOffload(call.req);
      return accepted(call);
    },
    async unshelve(call) {
      if (!atLeast(call.version, '2.77')) {
        onlyNull(call, 'unshelve');
        await call.api.ops.shelve.unshelve(call.req, null);
        return accepted(call);
      }
      const body = optionalObject(call, 'unshelve');
      v.onlyKeys(body, ['availability_zone'], 'unshelve');
      const zone = body.availability_zone === undefined || body.availability_zone === null ? null : v.name(body.availability_zone, 'availability_zone');
      await call.api.ops.shelve.unshelve(call.req, zone);
      return accepted(call);
    },
    async migrate(call) {
      let host: string | null = null;
      if (atLeast(call.version, '2.56')) {
        const body = optionalObject(call, 'migrate');
        v.onlyKeys(body, ['host'], 'migrate');
        host = hostOrNull(body.host);
      } else {
        onlyNull(call, 'migrate');
      }
      await call.api.ops.moves.migrate(call.req, host);
      return accepted(call);
    },
    async 'os-migrateLive'(call) {
      const body = v.object(call.body, 'os-migrateLive');
      const forceAllowed = atLeast(call.version, '2.30') && !atLeast(call.version, '2.68');
      v.onlyKeys(body, ['host', 'block_migration', ...(atLeast(call.version, '2.25') ? [] : ['disk_over_commit']), ...(forceAllowed ? ['force'] : [])], 'os-migrateLive');
      for (const required of ['host', 'block_migration']) {
        if (!(required in body)) throw v.invalid('os-migrateLive', body, `'${required}' is a required property`);
      }
      // The fake hosts share nothing and copy everything, so the block migration choice (or 2.25's 'auto') changes nothing here.
      if (!(atLeast(call.version, '2.25') && body.block_migration === 'auto')) v.boolean(body.block_migration, 'block_migration');
      if (body.disk_over_commit !== undefined) v.boolean(body.disk_over_commit, 'disk_over_commit');
      const force = body.force === undefined ? false : v.boolean(body.force, 'force');
      await call.api.ops.moves.liveMigrate(call.req, { host: hostOrNull(body.host), force });
      return accepted(call);
    },
    async evacuate(call) {
      const body = optionalObject(call, 'evacuate');
      const forceAllowed = atLeast(call.version, '2.29') && !atLeast(call.version, '2.68');
      v.onlyKeys(body, ['host', 'adminPass', ...(atLeast(call.version, '2.14') ? [] : ['onSharedStorage']), ...(forceAllowed ? ['force'] : [])], 'evacuate');
      if (!atLeast(call.version, '2.14')) {
        if (!('onSharedStorage' in body)) throw v.invalid('evacuate', body, "'onSharedStorage' is a required property");
        v.boolean(body.onSharedStorage, 'onSharedStorage');
      }
      const adminPass = await call.api.ops.moves.evacuate(call.req, {
        host: hostOrNull(body.host),
        adminPass: body.adminPass === undefined ? null : password(body.adminPass),
        force: body.force === undefined ? false : v.boolean(body.force, 'force'),
      });
      if (atLeast(call.version, '2.14')) return call.reply.code(200).send();
      return { adminPass };
    },
  });
}

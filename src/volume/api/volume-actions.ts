/** `POST /v3/{project_id}/volumes/{id}/action`: one action per request, named by the body's only key. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import type { Call, VolumeApi } from './context.js';
import { begin } from './context.js';
import { isObject, optBool, optInt, optString, parseBool, reqString, stringMap, type Json } from './body.js';
import { cinderTime } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
type Handler = (call: Call, id: string, args: Json, reply: FastifyReply) => Promise<unknown>;

export function volumeActionRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { actions, attachments, volumes } = api.ops;
  const accepted = (reply: FastifyReply) => reply.code(202).send();

  const handlers: Record<string, Handler> = {
    'os-extend': async (call, id, args, reply) => {
      const size = optInt(args, 'new_size');
      if (size === undefined || size === null) throw new BadRequest("Invalid input for field/attribute new_size. Value: None. 'new_size' is a required property");
      await actions.extend(call.ctx, id, size, { attachedAllowed: call.atLeast('3.42') });
      return accepted(reply);
    },
    'os-retype': async (call, id, args, reply) => {
      await actions.retype(call.ctx, id, reqString(args, 'new_type'));
      return accepted(reply);
    },
    'os-set_bootable': async (call, id, args, reply) => {
      if (args.bootable === undefined) throw new BadRequest('Must specify bootable in request.');
      await actions.setBootable(call.ctx, id, parseBool(args.bootable, 'bootable'));
      return reply.code(200).send();
    },
    'os-update_readonly_flag': async (call, id, args, reply) => {
      if (args.readonly === undefined) throw new BadRequest('Must specify readonly in request.');
      await actions.setReadonly(call.ctx, id, parseBool(args.readonly, 'readonly'));
      return accepted(reply);
    },
    'os-reset_status': async (call, id, args, reply) => {
      const change: { status?: string; attach_status?: string; migration_status?: string } = {};
      for (const key of ['status', 'attach_status', 'migration_status'] as const) {
        const value = optString(args, key);
        if (value) change[key] = value;
      }
      if (Object.keys(change).length === 0) throw new BadRequest('Must specify status, attach_status or migration_status.');
      await actions.resetStatus(call.ctx, id, change);
      return accepted(reply);
    },
    'os-force_delete': async (call, id, _args, reply) => {
      await volumes.delete(call.ctx, id, { force: true });
      return accepted(reply);
    },
    'os-volume_upload_image': async (call, id, args, reply) => {
      const request = {
        image_name: reqString(args, 'image_name'),
        disk_format: optString(args, 'disk_format') ?? 'raw',
        container_format: optString(args, 'container_format') ?? 'bare',
        force: optBool(args, 'force') ?? false,
        visibility: (call.atLeast('3.1') ? (optString(args, 'visibility') ?? 'private') : 'private') as 'private',
        protected: call.atLeast('3.1') ? (optBool(args, 'protected') ?? false) : false,
      };
      const { volume, imageId } = await actions.uploadToImage(call.ctx, id, request);
      const type = await api.ops.types.ofVolume(volume.volume_type_id);
      return reply.code(202).send({
        'os-volume_upload_image': {
          id: volume.id,
          updated_at: cinderTime(volume.updated_at),
          status: volume.status,
          display_description: volume.description,
          size: volume.size,
          volume_type: { id: type.id, name: type.name, description: type.description, is_public: type.is_public },
          image_id: imageId,
          container_format: request.container_format,
          disk_format: request.disk_format,
          image_name: request.image_name,
          visibility: request.visibility,
          protected: request.protected,
        },
      });
    },
    'os-set_image_metadata': async (call, id, args) => ({
      metadata: await volumes.setImageMetadata(call.ctx, id, stringMap(args.metadata, 'metadata')),
    }),
    'os-unset_image_metadata': async (call, id, args, reply) => {
      await volumes.deleteImageMetadata(call.ctx, id, reqString(args, 'key'));
      return reply.code(200).send();
    },
    'os-show_image_metadata': async (call, id) => ({ metadata: await volumes.imageMetadata(call.ctx, id) }),
    'os-reserve': async (call, id, _args, reply) => {
      await attachments.reserve(call.ctx, id);
      return accepted(reply);
    },
    'os-unreserve': async (call, id, _args, reply) => {
      await attachments.unreserve(call.ctx, id);
      return accepted(reply);
    },
    'os-begin_detaching': async (call, id, _args, reply) => {
      await attachments.beginDetaching(call.ctx, id);
      return accepted(reply);
    },
    'os-roll_detaching': async (call, id, _args, reply) => {
      await attachments.rollDetaching(call.ctx, id);
      return accepted(reply);
    },
    'os-initialize_connection': async (call, id, args) => ({
      connection_info: await attachments.initializeConnection(call.ctx, id, connector(args)),
    }),
    'os-terminate_connection': async (call, id, args, reply) => {
      await attachments.terminateConnection(call.ctx, id, connector(args));
      return accepted(reply);
    },
    'os-attach': async (call, id, args, reply) => {
      const mode = optString(args, 'mode') ?? 'rw';
      if (mode !== 'rw' && mode !== 'ro') throw new BadRequest('Invalid request to attach volume with an invalid mode. Attaching mode should be \'rw\' or \'ro\'');
      await attachments.attach(call.ctx, id, {
        instance_uuid: optString(args, 'instance_uuid') ?? null,
        host_name: optString(args, 'host_name') ?? null,
        mountpoint: reqString(args, 'mountpoint'),
        mode,
      });
      return accepted(reply);
    },
    'os-detach': async (call, id, args, reply) => {
      await attachments.detach(call.ctx, id, optString(args, 'attachment_id') ?? null);
      return accepted(reply);
    },
    'os-force_detach': async (call, id, args, reply) => {
      await attachments.detach(call.ctx, id, optString(args, 'attachment_id') ?? null, true);
      return accepted(reply);
    },
  };

  app.post<IdParams>('/v3/:project_id/volumes/:id/action', async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = request.body;
    const names = isObject(body) ? Object.keys(body) : [];
    if (names.length !== 1) throw new BadRequest('Malformed request body: an action body holds exactly one action.');
    const name = names[0] as string;
    const handler = handlers[name];
    if (!handler) throw new BadRequest(`There is no such action: ${name}`);
    const raw = (body as Json)[name];
    const args = isObject(raw) ? raw : {};
    return handler(call, request.params.id, args, reply);
  });
}

function connector(args: Json): Record<string, unknown> {
  if (!isObject(args.connector)) throw new BadRequest('Must specify connector in request.');
  return args.connector;
}

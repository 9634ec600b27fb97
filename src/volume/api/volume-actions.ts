/** `POST /v3/{project_id}/volumes/{id}/action`: one action per request, named by the body's only key. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { validateBody } from '../../core/http/versioned-body.js';
import { errors } from '../errors.js';
import type { Call, VolumeApi } from './context.js';
import { begin } from './context.js';
import { parseBool, toInt } from './body.js';
import { volumeActions } from './schemas.js';
import { cinderTime } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
/** An action's arguments once its schema (api/schemas.ts `volumeActions`) admitted them. */
type Args = Record<string, unknown>;
type Handler = (call: Call, id: string, args: Args, reply: FastifyReply) => Promise<unknown>;

const str = (args: Args, key: string) => args[key] as string;
const optStr = (args: Args, key: string) => (args[key] ?? undefined) as string | undefined;
const optBool = (args: Args, key: string) => (args[key] === undefined ? undefined : parseBool(args[key], key));

export function volumeActionRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { actions, attachments, volumes } = api.ops;
  const accepted = (reply: FastifyReply) => reply.code(202).send();

  const handlers: Record<string, Handler> = {
    'os-extend': async (call, id, args, reply) => {
      await actions.extend(call.ctx, id, toInt(args.new_size as number | string), { attachedAllowed: call.atLeast('3.42') });
      return accepted(reply);
    },
    'os-retype': async (call, id, args, reply) => {
      await actions.retype(call.ctx, id, str(args, 'new_type'));
      return accepted(reply);
    },
    'os-set_bootable': async (call, id, args, reply) => {
      await actions.setBootable(call.ctx, id, parseBool(args.bootable, 'bootable'));
      return reply.code(200).send();
    },
    'os-update_readonly_flag': async (call, id, args, reply) => {
      await actions.setReadonly(call.ctx, id, parseBool(args.readonly, 'readonly'));
      return accepted(reply);
    },
    'os-reset_status': async (call, id, args, reply) => {
      const change: { status?: string; attach_status?: string; migration_status?: string } = {};
      for (const key of ['status', 'attach_status', 'migration_status'] as const) {
        const value = optStr(args, key);
        if (value) change[key] = value;
      }
      if (Object.keys(change).length === 0) throw errors.resetStatusEmpty();
      await actions.resetStatus(call.ctx, id, change);
      return accepted(reply);
    },
    'os-force_delete': async (call, id, _args, reply) => {
      await volumes.delete(call.ctx, id, { force: true });
      return accepted(reply);
    },
    'os-volume_upload_image': async (call, id, args, reply) => {
      const request = {
        image_name: str(args, 'image_name'),
        disk_format: optStr(args, 'disk_format') ?? 'raw',
        container_format: optStr(args, 'container_format') ?? 'bare',
        force: optBool(args, 'force') ?? false,
        visibility: (call.atLeast('3.1') ? (optStr(args, 'visibility') ?? 'private') : 'private') as 'private',
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
      metadata: await volumes.setImageMetadata(call.ctx, id, args.metadata as Record<string, string>),
    }),
    'os-unset_image_metadata': async (call, id, args, reply) => {
      await volumes.deleteImageMetadata(call.ctx, id, str(args, 'key'));
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
      await attachments.attach(call.ctx, id, {
        instance_uuid: optStr(args, 'instance_uuid') ?? null,
        host_name: optStr(args, 'host_name') ?? null,
        mountpoint: str(args, 'mountpoint'),
        mode: (optStr(args, 'mode') ?? 'rw') as 'rw' | 'ro',
      });
      return accepted(reply);
    },
    'os-detach': async (call, id, args, reply) => {
      await attachments.detach(call.ctx, id, optStr(args, 'attachment_id') ?? null);
      return accepted(reply);
    },
    'os-force_detach': async (call, id, args, reply) => {
      await attachments.detach(call.ctx, id, optStr(args, 'attachment_id') ?? null, true);
      return accepted(reply);
    },
  };

  app.post<IdParams>('/v3/:project_id/volumes/:id/action', async (request, reply) => {
    const call = await begin(api, request, reply);
    const body = request.body;
    const names = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
    if (names.length !== 1) throw errors.malformedActionBody();
    const name = names[0] as string;
    const handler = handlers[name];
    if (!handler) throw errors.noSuchAction(name);
    const schema = volumeActions[name];
    if (schema) validateBody(request, schema);
    const args = ((body as Record<string, unknown>)[name] ?? {}) as Args;
    return handler(call, request.params.id, args, reply);
  });
}

function connector(args: Args): Record<string, unknown> {
  return args.connector as Record<string, unknown>;
}

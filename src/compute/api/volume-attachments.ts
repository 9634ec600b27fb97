/**
 * /servers/{id}/os-volume_attachments: list (limit/offset), show, attach,
 * detach, swap (PUT, admin only by default; below 2.85 a PUT always swaps).
 * Fields by microversion: `tag` from 2.70 in answers (settable from 2.49),
 * `delete_on_termination` from 2.79; shelved servers take attach and detach
 * from 2.20.
 */
import type { FastifyInstance } from 'fastify';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { AttachRequest } from '../service/volume-attachments.js';
import type { VolumeAttachment } from '../store/volume-attachments.js';
import { V21, versionOf, type ComputeApi } from './context.js';
import { withVersionedBody } from './schema.js';
import { attachVolume, swapVolume } from './schemas/volume-attachments.js';
import * as v from './validate.js';

function attachmentView(attachment: VolumeAttachment, version: Microversion) {
  return {
    id: attachment.volumeId,
    serverId: attachment.serverId,
    volumeId: attachment.volumeId,
    device: attachment.device,
    ...(atLeast(version, '2.70') && { tag: attachment.tag }),
    ...(atLeast(version, '2.79') && { delete_on_termination: attachment.deleteOnTermination }),
  };
}

/** The microversion from which volumes go on and off shelved servers. */
const SHELVED_FROM = '2.20';

interface AttachBody {
  volumeAttachment: { volumeId: string; device?: string | null; tag?: string; delete_on_termination?: boolean | string };
}

/** The attach request of a body its microversion's schema admitted (the device name is Nova's to choose). */
function parseAttach(body: AttachBody): AttachRequest {
  const input = body.volumeAttachment;
  return {
    volumeId: input.volumeId,
    tag: input.tag ?? null,
    deleteOnTermination: input.delete_on_termination === undefined ? false : v.boolean(input.delete_on_termination, 'delete_on_termination'),
  };
}

export function volumeAttachmentRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/servers/:id/os-volume_attachments`;

  app.get<{ Params: { id: string } }>(base, async (request) => {
    const auth = await api.authenticate(request);
    const limit = v.queryInt(request.query, 'limit');
    const offset = v.queryInt(request.query, 'offset') ?? 0;
    const all = await ops.volumeAttachments.list(auth, request.params.id);
    const page = all.slice(offset, limit === undefined ? undefined : offset + limit);
    return { volumeAttachments: page.map((a) => attachmentView(a, versionOf(request))) };
  });

  app.get<{ Params: { id: string; volume: string } }>(`${base}/:volume`, async (request) => {
    const auth = await api.authenticate(request);
    return { volumeAttachment: attachmentView(await ops.volumeAttachments.show(auth, request.params.id, request.params.volume), versionOf(request)) };
  });

  app.post<{ Params: { id: string }; Body: AttachBody }>(base, withVersionedBody(api, attachVolume), async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const attachment = await ops.volumeAttachments.attach(auth, request.params.id, request.id, parseAttach(request.body), atLeast(version, SHELVED_FROM));
    return { volumeAttachment: attachmentView(attachment, version) };
  });

  app.delete<{ Params: { id: string; volume: string } }>(`${base}/:volume`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.volumeAttachments.detach(auth, request.params.id, request.id, request.params.volume, atLeast(versionOf(request), SHELVED_FROM));
    return reply.code(202).send();
  });

  app.put<{ Params: { id: string; volume: string }; Body: { volumeAttachment: { volumeId: string } } }>(
    `${base}/:volume`,
    withVersionedBody(api, swapVolume),
    async (request, reply) => {
      const auth = await api.authenticate(request);
      await ops.volumeAttachments.swap(auth, request.params.id, request.id, request.params.volume, request.body.volumeAttachment.volumeId);
      return reply.code(202).send();
    },
  );
}

/**
 * The server actions Tempest's interop list and the CLI use: reboot,
 * os-stop/os-start, pause/unpause, lock/unlock (2.73 reason),
 * resize/confirmResize/revertResize, rebuild, createImage,
 * os-getConsoleOutput, add/removeSecurityGroup, restore and forceDelete. Each is
 * declared once here (key, body schema per microversion range, what it does
 * and answers); those with host work name their HostWork in the service.
 */
import { atLeast } from '../microversion.js';
import { generatedPassword } from '../service/passwords.js';
import type { DiskConfig } from '../service/servers.js';
import { userData } from './server-create.js';
import type { InjectedFile } from '../store/index.js';
import * as parameterTypes from './schemas/parameter-types.js';
import { actionRoute, type ActionCall, type BodySchema, type ServerActionRoute } from './server-action-route.js';
import { updatedServerView } from './servers.js';
import * as v from './validate.js';

/** An action whose value must be `null` or `{}` (Nova's actions without parameters). */
export const NO_PARAMETERS: BodySchema = { type: ['null', 'object'], maxProperties: 0 };

/** One schema for every microversion. */
export function always(schema: BodySchema): ServerActionRoute['body'] {
  return [{ from: '2.1', value: schema }];
}

/** 202 with no body: what most actions answer. */
export const accepted = ({ reply }: ActionCall) => reply.code(202).send();

/**
 * An action with no parameters whose only work is its HostWork `action`
 * (service/server-action-table.ts): admitted, handed to the task, answered
 * with `status` and no body.
 */
export function hostAction(key: string, action: string, status = 202): ServerActionRoute<never> {
  return actionRoute<null>({
    key,
    body: always(NO_PARAMETERS),
    hostWork: action,
    async perform(call) {
      await call.api.ops.serverActions.start(call.req, action);
      return call.reply.code(status).send();
    },
  });
}

/** The image service's URL beside the compute one (both on this server's public URL). */
export function imageRoot(computeRoot: string): string {
  return computeRoot.replace(/\/compute$/, '/image');
}

interface RebuildBody {
  imageRef: string;
  name?: string;
  adminPass?: string;
  metadata?: Record<string, string>;
  description?: string | null;
  personality?: InjectedFile[];
  key_name?: string | null;
  user_data?: string | null;
  'OS-DCF:diskConfig'?: DiskConfig;
}

const DISK_CONFIG: BodySchema = { type: 'string', enum: ['AUTO', 'MANUAL'] };

const REBUILD_PROPERTIES: Record<string, BodySchema> = {
  imageRef: { type: 'string', minLength: 1 },
  name: parameterTypes.name,
  adminPass: { type: 'string' },
  metadata: parameterTypes.metadata,
  accessIPv4: {},
  accessIPv6: {},
  'OS-DCF:diskConfig': DISK_CONFIG,
  preserve_ephemeral: {},
};
const PERSONALITY: BodySchema = {
  type: 'array',
  items: { type: 'object', properties: { path: { type: 'string' }, contents: { type: 'string' } }, additionalProperties: false },
};
const DESCRIPTION: BodySchema = { type: ['string', 'null'], maxLength: 255 };
const KEY_NAME: BodySchema = { ...parameterTypes.name, type: ['string', 'null'] };
/** The size and the base64 alphabet are checked as at create (server-create.ts), with its messages. */
const USER_DATA: BodySchema = { type: ['string', 'null'] };

function rebuildSchema(properties: Record<string, BodySchema>): BodySchema {
  return { type: 'object', properties: { ...REBUILD_PROPERTIES, ...properties }, required: ['imageRef'], additionalProperties: false };
}

/** addSecurityGroup / removeSecurityGroup: the group by name on every port of the server. */
function securityGroupRoute(key: string, add: boolean): ServerActionRoute<never> {
  return actionRoute<{ name: string }>({
    key,
    body: always({ type: 'object', properties: { name: parameterTypes.name }, required: ['name'] }),
    async perform(call, input) {
      await call.api.ops.serverActions.changeSecurityGroup(call.req, input.name, add);
      return accepted(call);
    },
  });
}

export const BASE_SERVER_ACTIONS: ServerActionRoute<never>[] = [
  actionRoute<{ type: string }>({
    key: 'reboot',
    body: always({
      type: 'object',
      properties: { type: { type: 'string', enum: ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft'] } },
      required: ['type'],
      additionalProperties: false,
    }),
    hostWork: 'reboot',
    async perform(call, input) {
      await call.api.ops.serverActions.reboot(call.req, input.type.toUpperCase() === 'HARD' ? 'HARD' : 'SOFT');
      return accepted(call);
    },
  }),
  hostAction('os-stop', 'stop'),
  hostAction('os-start', 'start'),
  hostAction('pause', 'pause'),
  hostAction('unpause', 'unpause'),
  actionRoute<{ locked_reason?: string } | null>({
    key: 'lock',
    body: [
      { from: '2.1', to: '2.72', value: NO_PARAMETERS },
      { from: '2.73', value: { type: ['null', 'object'], properties: { locked_reason: parameterTypes.name }, additionalProperties: false } },
    ],
    async perform(call, input) {
      await call.api.ops.serverActions.lock(call.req, input?.locked_reason ?? null);
      return accepted(call);
    },
  }),
  actionRoute<null>({
    key: 'unlock',
    body: always(NO_PARAMETERS),
    async perform(call) {
      await call.api.ops.serverActions.unlock(call.req);
      return accepted(call);
    },
  }),
  actionRoute<{ flavorRef: string | number; 'OS-DCF:diskConfig'?: DiskConfig }>({
    key: 'resize',
    body: always({
      type: 'object',
      properties: { flavorRef: { type: ['string', 'integer'], minLength: 1 }, 'OS-DCF:diskConfig': DISK_CONFIG },
      required: ['flavorRef'],
      additionalProperties: false,
    }),
    hostWork: 'resize',
    async perform(call, input) {
      await call.api.ops.serverActions.resize(call.req, String(input.flavorRef).split('/').pop() as string, input['OS-DCF:diskConfig']);
      return accepted(call);
    },
  }),
  hostAction('confirmResize', 'confirmResize', 204),
  hostAction('revertResize', 'revertResize'),
  actionRoute<RebuildBody>({
    key: 'rebuild',
    body: [
      { from: '2.1', to: '2.18', value: rebuildSchema({ personality: PERSONALITY }) },
      { from: '2.19', to: '2.53', value: rebuildSchema({ personality: PERSONALITY, description: DESCRIPTION }) },
      { from: '2.54', to: '2.56', value: rebuildSchema({ personality: PERSONALITY, description: DESCRIPTION, key_name: KEY_NAME }) },
      { from: '2.57', value: rebuildSchema({ description: DESCRIPTION, key_name: KEY_NAME, user_data: USER_DATA }) },
    ],
    hostWork: 'rebuild',
    async perform(call, input) {
      const server = await call.api.ops.serverActions.rebuild(call.req, {
        imageRef: input.imageRef.split('/').pop() as string,
        ...(input.name !== undefined ? { name: v.name(input.name) } : {}),
        ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        injectedFiles: input.personality === undefined ? [] : v.personality(input.personality),
        ...(input.key_name !== undefined ? { keyName: input.key_name } : {}),
        ...(input.user_data !== undefined ? { userData: input.user_data === null ? null : userData(input.user_data) } : {}),
        ...(input['OS-DCF:diskConfig'] !== undefined ? { diskConfig: input['OS-DCF:diskConfig'] } : {}),
      });
      const view = await updatedServerView(call.api, call.request, call.auth, server);
      // The new key (2.54) and user data (2.57) are answered even where the server view leaves them out;
      // the user data as `user_data` only, never also as the admin's extended attribute (Nova's show_user_data=False).
      if (atLeast(call.version, '2.54')) view.key_name = server.attrs.keyName;
      if (atLeast(call.version, '2.57')) view.user_data = server.attrs.userData;
      delete view['OS-EXT-SRV-ATTR:user_data'];
      return call.reply.code(202).send({ server: { ...view, adminPass: input.adminPass ?? generatedPassword() } });
    },
  }),
  actionRoute<{ name: string; metadata?: Record<string, string> }>({
    key: 'createImage',
    body: always({
      type: 'object',
      properties: { name: parameterTypes.name, metadata: parameterTypes.metadata },
      required: ['name'],
      additionalProperties: false,
    }),
    hostWork: 'createImage',
    async perform(call, input) {
      const imageId = await call.api.ops.serverActions.createImage(call.req, input.name, input.metadata ?? {});
      if (atLeast(call.version, '2.45')) return call.reply.code(202).send({ image_id: imageId });
      return call.reply
        .code(202)
        .header('location', `${imageRoot(call.api.root)}/v2/images/${imageId}`)
        .send();
    },
  }),
  actionRoute<{ length?: number | string | null } | null>({
    key: 'os-getConsoleOutput',
    body: always({
      type: ['null', 'object'],
      properties: { length: { type: ['integer', 'string', 'null'], pattern: '^-?[0-9]+$', minimum: -1 } },
      additionalProperties: false,
    }),
    async perform(call, input) {
      // The schema cannot bound a string of digits: the number it stands for is checked here.
      const given = input?.length;
      const length = given === undefined || given === null ? -1 : v.integer(given, 'length', { min: -1, max: Number.MAX_SAFE_INTEGER });
      return { output: await call.api.ops.serverActions.consoleOutput(call.req, length === -1 ? null : length) };
    },
  }),
  securityGroupRoute('addSecurityGroup', true),
  securityGroupRoute('removeSecurityGroup', false),
  // Deferred delete (reclaim_instance_interval): a SOFT_DELETED server back to ACTIVE; 409 in any other state.
  hostAction('restore', 'restore'),
  actionRoute<null>({
    key: 'forceDelete',
    body: always(NO_PARAMETERS),
    async perform(call) {
      await call.api.ops.servers.delete(call.auth, call.req.serverId, call.req.requestId, 'os_compute_api:os-deferred-delete:force');
      return accepted(call);
    },
  }),
];

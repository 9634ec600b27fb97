/**
 * The remaining server actions: suspend/resume, rescue/unrescue,
 * shelve/shelveOffload/unshelve (2.77 zone), migrate (2.56 host),
 * os-migrateLive (2.25 block_migration auto, 2.30-2.67 force), evacuate
 * (2.14 no password in the answer, 2.29-2.67 force), changePassword,
 * trigger_crash_dump (2.17), createBackup (rotation; 2.45 image_id) and
 * os-resetState.
 * Declared as server-actions.ts says.
 */
import { atLeast } from '../microversion.js';
import type { ResetState } from '../service/admin-actions.js';
import { actionRoute, type BodySchema, type ServerActionRoute } from './server-action-route.js';
import { accepted, always, hostAction, imageRoot, NO_PARAMETERS } from './server-actions.js';
import * as parameterTypes from './schemas/parameter-types.js';
import { OSLO_BOOLEAN_VALUES } from '../../core/http/parameter-types.js';
import * as v from './validate.js';

/** A compute host named by the caller, or null for "the scheduler decides". */
const HOST: BodySchema = { type: ['string', 'null'], minLength: 1, maxLength: 255 };

/** An object of exactly these properties, or `null` for none (actions whose parameters are all optional). */
function optionalObject(properties: Record<string, BodySchema>): BodySchema {
  return { type: ['null', 'object'], properties, additionalProperties: false };
}

function liveMigrateSchema(properties: Record<string, BodySchema>): BodySchema {
  return { type: 'object', properties: { host: HOST, ...properties }, required: ['host', 'block_migration'], additionalProperties: false };
}

/** Before 2.25 `block_migration` is a boolean; from 2.25 it may also be `auto`. */
const BLOCK_MIGRATION_AUTO: BodySchema = { type: ['boolean', 'string'], enum: [...OSLO_BOOLEAN_VALUES, 'auto'] };

interface MoveBody {
  host?: string | null;
  adminPass?: string;
  force?: boolean | string;
}

const flag = (value: boolean | string | undefined, field: string): boolean => (value === undefined ? false : v.boolean(value, field));

export const ADMIN_SERVER_ACTIONS: ServerActionRoute<never>[] = [
  actionRoute<{ state: ResetState }>({
    key: 'os-resetState',
    body: always({ type: 'object', properties: { state: { type: 'string', enum: ['active', 'error'] } }, required: ['state'], additionalProperties: false }),
    async perform(call, input) {
      await call.api.ops.adminActions.resetState(call.req, input.state);
      return accepted(call);
    },
  }),
  hostAction('suspend', 'suspend'),
  hostAction('resume', 'resume'),
  actionRoute<{ adminPass: string }>({
    key: 'changePassword',
    body: always({ type: 'object', properties: { adminPass: parameterTypes.adminPassword }, required: ['adminPass'], additionalProperties: false }),
    hostWork: 'changePassword',
    async perform(call, input) {
      await call.api.ops.guestActions.changePassword(call.req, input.adminPass);
      return accepted(call);
    },
  }),
  actionRoute<null>({
    key: 'trigger_crash_dump',
    body: [
      { from: '2.1', to: '2.16', value: null },
      { from: '2.17', value: NO_PARAMETERS },
    ],
    hostWork: 'trigger_crash_dump',
    async perform(call) {
      await call.api.ops.guestActions.triggerCrashDump(call.req);
      return accepted(call);
    },
  }),
  actionRoute<{ name: string; backup_type: string; rotation: number | string; metadata?: Record<string, string> }>({
    key: 'createBackup',
    body: always({
      type: 'object',
      properties: {
        name: parameterTypes.name,
        backup_type: { type: 'string', minLength: 1, maxLength: 255 },
        rotation: { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 0, minLength: 1 },
        metadata: parameterTypes.metadata,
      },
      required: ['name', 'backup_type', 'rotation'],
      additionalProperties: false,
    }),
    hostWork: 'createBackup',
    async perform(call, input) {
      const rotation = v.integer(input.rotation, 'rotation', { min: 0 });
      const backup = { type: input.backup_type, rotation };
      const imageId = await call.api.ops.serverActions.createImage(call.req, v.name(input.name), input.metadata ?? {}, backup);
      if (atLeast(call.version, '2.45')) return call.reply.code(202).send({ image_id: imageId });
      // Nova names the new backup in Location unless rotation 0 will delete it at once.
      if (rotation > 0) call.reply.header('location', `${imageRoot(call.api.root)}/v2/images/${imageId}`);
      return accepted(call);
    },
  }),
  actionRoute<{ adminPass?: string; rescue_image_ref?: string } | null>({
    key: 'rescue',
    body: always(optionalObject({ adminPass: parameterTypes.adminPassword, rescue_image_ref: { type: 'string', minLength: 1, maxLength: 255 } })),
    hostWork: 'rescue',
    async perform(call, input) {
      const adminPass = await call.api.ops.rescue.rescue(call.req, {
        ...(input?.adminPass !== undefined && { adminPass: input.adminPass }),
        ...(input?.rescue_image_ref !== undefined && { rescueImageRef: input.rescue_image_ref }),
      });
      return { adminPass };
    },
  }),
  hostAction('unrescue', 'unrescue'),
  actionRoute<null>({
    key: 'shelve',
    body: always(NO_PARAMETERS),
    hostWork: 'shelve',
    async perform(call) {
      await call.api.ops.shelve.shelve(call.req);
      return accepted(call);
    },
  }),
  hostAction('shelveOffload', 'shelveOffload'),
  actionRoute<{ availability_zone?: string | null } | null>({
    key: 'unshelve',
    body: [
      { from: '2.1', to: '2.76', value: NO_PARAMETERS },
      { from: '2.77', value: optionalObject({ availability_zone: { ...parameterTypes.name, type: ['string', 'null'] } }) },
    ],
    hostWork: 'unshelve',
    async perform(call, input) {
      const zone = input?.availability_zone;
      await call.api.ops.shelve.unshelve(call.req, zone === undefined || zone === null ? null : v.name(zone, 'availability_zone'));
      return accepted(call);
    },
  }),
  actionRoute<{ host?: string | null } | null>({
    key: 'migrate',
    body: [
      { from: '2.1', to: '2.55', value: NO_PARAMETERS },
      { from: '2.56', value: optionalObject({ host: HOST }) },
    ],
    hostWork: 'migrate',
    async perform(call, input) {
      await call.api.ops.moves.migrate(call.req, input?.host ?? null);
      return accepted(call);
    },
  }),
  actionRoute<MoveBody>({
    key: 'os-migrateLive',
    body: [
      { from: '2.1', to: '2.24', value: liveMigrateSchema({ block_migration: parameterTypes.boolean, disk_over_commit: parameterTypes.boolean }) },
      { from: '2.25', to: '2.29', value: liveMigrateSchema({ block_migration: BLOCK_MIGRATION_AUTO }) },
      { from: '2.30', to: '2.67', value: liveMigrateSchema({ block_migration: BLOCK_MIGRATION_AUTO, force: parameterTypes.boolean }) },
      { from: '2.68', value: liveMigrateSchema({ block_migration: BLOCK_MIGRATION_AUTO }) },
    ],
    hostWork: 'os-migrateLive',
    // The fake hosts share nothing and copy everything, so the block migration choice (or 2.25's 'auto') changes nothing here.
    async perform(call, input) {
      await call.api.ops.moves.liveMigrate(call.req, { host: input.host ?? null, force: flag(input.force, 'force') });
      return accepted(call);
    },
  }),
  actionRoute<MoveBody | null>({
    key: 'evacuate',
    body: [
      {
        from: '2.1',
        to: '2.13',
        value: {
          type: 'object',
          properties: { host: HOST, adminPass: parameterTypes.adminPassword, onSharedStorage: parameterTypes.boolean },
          required: ['onSharedStorage'],
          additionalProperties: false,
        },
      },
      { from: '2.14', to: '2.28', value: optionalObject({ host: HOST, adminPass: parameterTypes.adminPassword }) },
      { from: '2.29', to: '2.67', value: optionalObject({ host: HOST, adminPass: parameterTypes.adminPassword, force: parameterTypes.boolean }) },
      { from: '2.68', value: optionalObject({ host: HOST, adminPass: parameterTypes.adminPassword }) },
    ],
    hostWork: 'evacuate',
    async perform(call, input) {
      const adminPass = await call.api.ops.moves.evacuate(call.req, {
        host: input?.host ?? null,
        adminPass: input?.adminPass ?? null,
        force: flag(input?.force, 'force'),
      });
      if (atLeast(call.version, '2.14')) return call.reply.code(200).send();
      return { adminPass };
    },
  }),
];

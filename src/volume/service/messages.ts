/**
 * User messages: when an operation the API already accepted (202) fails
 * later, the project finds out why here, in words safe for any user (the
 * exception's own text stays in the log). Listed, shown and deleted through
 * `/v3/{project_id}/messages` (3.3+); each is kept at least `message_ttl`
 * seconds, then reaped.
 */
import { uuid } from '../../core/ids.js';
import type { Page } from '../../core/pagination/index.js';
import { nowIso } from '../../core/time.js';
import { notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Message, MessageListQuery } from '../store/index.js';
import type { VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';
import { eventId, MessageResource, type MessageField } from './message-fields.js';

export interface NewMessage {
  projectId: string;
  /** The request that started the failed operation; a fresh id when it is not known. */
  requestId: string | null;
  action: MessageField;
  detail: MessageField;
  resourceUuid: string | null;
}

export type MessageListRequest = Omit<MessageListQuery, 'projectId'>;

export class MessageOps {
  constructor(private readonly deps: VolumeDeps) {}

  /** Never fails the caller: a message that cannot be written is logged, as in Cinder. */
  async record(input: NewMessage): Promise<void> {
    const now = new Date();
    const resourceType = MessageResource.volume;
    try {
      await store.deleteExpiredMessages(this.deps.db, now.toISOString());
      await store.insertMessage(this.deps.db, {
        id: uuid(),
        project_id: input.projectId,
        request_id: input.requestId ?? `req-${uuid()}`,
        resource_type: resourceType,
        resource_uuid: input.resourceUuid,
        event_id: eventId(resourceType, input.action, input.detail),
        message_level: 'ERROR',
        action_id: input.action.id,
        detail_id: input.detail.id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.deps.config.message_ttl * 1000).toISOString(),
      });
    } catch (error) {
      this.deps.log.error({ err: error, requestId: input.requestId }, 'could not record a user message');
    }
  }

  async get(ctx: VolumeContext, id: string): Promise<Message> {
    const message = await store.getMessage(this.deps.db, id);
    if (!message || message.expires_at < nowIso() || (!ctx.isAdmin && message.project_id !== ctx.projectId)) throw notFound.message(id);
    this.deps.authz.authorize(ctx.auth, 'message:get', { project_id: message.project_id });
    return message;
  }

  /** An admin sees every project's messages, as Cinder's admin context does. */
  async list(ctx: VolumeContext, request: MessageListRequest): Promise<Page<Message>> {
    this.deps.authz.authorize(ctx.auth, 'message:get_all');
    await store.deleteExpiredMessages(this.deps.db, nowIso());
    return store.listMessages(this.deps.db, { ...request, projectId: ctx.isAdmin ? null : (ctx.projectId ?? '') });
  }

  async delete(ctx: VolumeContext, id: string): Promise<void> {
    const message = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'message:delete', { project_id: message.project_id });
    if (!(await store.deleteMessage(this.deps.db, id))) throw notFound.message(id);
  }
}

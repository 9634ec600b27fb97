/**
 * `/v3/{project_id}/messages` (3.3+): the user messages of failed
 * asynchronous operations: list, show, delete. From 3.5 the list takes
 * filters, sort keys and limit/marker/offset; from 3.34 a non-admin's
 * filters must be among Cinder's resource filters for `message`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseListParams, querySingle, type QueryInput } from '../../core/pagination/index.js';
import { errors } from '../errors.js';
import type { MessageListRequest } from '../service/index.js';
import { MESSAGE_FILTERS, MESSAGE_SORT_KEYS, type Message, type MessageFilter } from '../store/index.js';
import { userMessage } from '../service/message-fields.js';
import { beginFrom, type Call, type VolumeApi } from './context.js';
import { pageLinks } from './list-query.js';
import { cinderTime } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };

const FROM_VERSION = '3.3';
const FILTERS_FROM = '3.5';
const FILTER_CHECK_FROM = '3.34';
/** Cinder's osapi_max_limit. */
const MAX_LIMIT = 1000;
const LIST_PARAMS = new Set(['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir']);

export function messageRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { messages } = api.ops;
  const base = '/v3/:project_id/messages';
  const view = (m: Message) => {
    const entry: Record<string, unknown> = {
      id: m.id,
      event_id: m.event_id,
      user_message: userMessage(m.action_id, m.detail_id),
      message_level: m.message_level,
      created_at: cinderTime(m.created_at),
      guaranteed_until: cinderTime(m.expires_at),
      request_id: m.request_id,
      links: [
        { href: `${api.root()}/v3/${m.project_id}/messages/${m.id}`, rel: 'self' },
        { href: `${api.root()}/${m.project_id}/messages/${m.id}`, rel: 'bookmark' },
      ],
    };
    if (m.resource_type) entry.resource_type = m.resource_type;
    if (m.resource_uuid) entry.resource_uuid = m.resource_uuid;
    return entry;
  };

  app.get(base, async (request, reply) => {
    const call = await beginFrom(api, request, reply, FROM_VERSION);
    const listing = messageListRequest(request, call);
    // A filter on something messages do not have matches nothing, as Cinder's model filter check.
    if (listing === null) return { messages: [] };
    const page = await messages.list(call.ctx, listing);
    const links = pageLinks(call.url, page, listing.params.limit);
    return { messages: page.rows.map(view), ...(links ? { messages_links: links } : {}) };
  });

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await beginFrom(api, request, reply, FROM_VERSION);
    return { message: view(await messages.get(call.ctx, request.params.id)) };
  });

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await beginFrom(api, request, reply, FROM_VERSION);
    await messages.delete(call.ctx, request.params.id);
    return reply.code(204).send();
  });
}

/** The list's parameters; null when a filter names no message attribute. Below 3.5 every parameter is ignored. */
function messageListRequest(request: FastifyRequest, call: Call): MessageListRequest | null {
  const q = request.query as QueryInput;
  const spec = { sortKeys: MESSAGE_SORT_KEYS, defaultSort: [{ key: 'created_at' as const, dir: 'desc' as const }], maxLimit: MAX_LIMIT };
  if (!call.atLeast(FILTERS_FROM)) return { filters: {}, params: parseListParams({}, spec) };
  const params = parseListParams(q, spec);
  const filterKeys = Object.keys(q).filter((key) => !LIST_PARAMS.has(key) && key !== 'all_tenants');
  const known = (key: string): key is MessageFilter => (MESSAGE_FILTERS as readonly string[]).includes(key);
  if (call.atLeast(FILTER_CHECK_FROM) && !call.ctx.isAdmin) {
    const invalid = filterKeys.filter((key) => !known(key));
    if (invalid.length > 0) throw errors.invalidFilters(...invalid);
  }
  const filters: Partial<Record<MessageFilter, string>> = {};
  for (const key of filterKeys) {
    if (!known(key)) return null;
    filters[key] = querySingle(q, key) ?? '';
  }
  const offsetText = querySingle(q, 'offset');
  if (offsetText !== undefined && !/^\d+$/.test(offsetText)) throw errors.invalidInput(`offset must be a non-negative integer, got ${offsetText}.`);
  return { filters, params, ...(offsetText === undefined ? {} : { offset: Number(offsetText) }) };
}

/**
 * `/v3/{project_id}/groups` (3.13+) and `/group_snapshots` (3.14+): generic
 * volume groups, their actions (delete, reset_status, create-from-src) and
 * group snapshots.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validateBody } from '../../core/http/versioned-body.js';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { errors } from '../errors.js';
import { parseBool } from './body.js';
import { beginFrom, type Call, type VolumeApi } from './context.js';
import { groupCreate, groupDelete, groupFromSource, groupSnapshotCreate, groupUpdate, resetStatus } from './group-schemas.js';
import { groupDetail, groupSnapshotDetail, groupSummary } from './group-views.js';

type IdParams = { Params: { project_id: string; id: string } };
type Text = string | null | undefined;
type Flag = boolean | string | undefined;
type ActionBody = Record<string, Record<string, unknown>>;

/** Cinder's group replication actions (3.38): no Nimbus group type replicates, which Cinder reports so. */
const REPLICATION_ACTIONS = ['enable_replication', 'disable_replication', 'failover_replication', 'list_replication_targets'];

const flagOf = (query: unknown, key: string) => {
  const text = querySingle(query as QueryInput, key);
  return text !== undefined && parseBool(text, key);
};
/** `add_volumes`/`remove_volumes`: comma-separated ids. */
const idList = (text: Text) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function groupRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { groups } = api.ops;
  const base = '/v3/:project_id/groups';
  const start = (request: FastifyRequest, reply: FastifyReply, from = '3.13') => beginFrom(api, request, reply, from);
  const detail = async (call: Call, request: FastifyRequest, group: Parameters<typeof groupDetail>[1]) =>
    groupDetail(call, group, call.atLeast('3.25') && flagOf(request.query, 'list_volume') ? await groups.volumeIds(group.id) : null);

  app.post(base, async (request, reply) => {
    const call = await start(request, reply);
    validateBody(request, groupCreate);
    const body = (request.body as { group: { name?: Text; description?: Text; group_type: string; volume_types: string[]; availability_zone?: Text } }).group;
    const group = await groups.create(call.ctx, {
      name: body.name ?? null,
      description: body.description ?? null,
      group_type: body.group_type,
      volume_types: body.volume_types,
      availability_zone: body.availability_zone ?? null,
    });
    return reply.code(202).send({ group: groupSummary(group) });
  });

  app.post(`${base}/action`, async (request, reply) => {
    const call = await start(request, reply, '3.14');
    validateBody(request, groupFromSource);
    const body = (request.body as { 'create-from-src': { name?: Text; description?: Text; group_snapshot_id?: string; source_group_id?: string } })[
      'create-from-src'
    ];
    const group = await groups.createFromSource(call.ctx, {
      name: body.name ?? null,
      description: body.description ?? null,
      group_snapshot_id: body.group_snapshot_id ?? null,
      source_group_id: body.source_group_id ?? null,
    });
    return reply.code(202).send({ group: groupSummary(group) });
  });

  for (const withDetail of [false, true]) {
    app.get(withDetail ? `${base}/detail` : base, async (request, reply) => {
      const call = await start(request, reply);
      const list = await groups.list(call.ctx, flagOf(request.query, 'all_tenants'));
      return { groups: withDetail ? await Promise.all(list.map((g) => detail(call, request, g))) : list.map(groupSummary) };
    });
  }

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await start(request, reply);
    return { group: await detail(call, request, await groups.get(call.ctx, request.params.id)) };
  });

  app.put<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await start(request, reply);
    validateBody(request, groupUpdate);
    const body = (request.body as { group: { name?: Text; description?: Text; add_volumes?: Text; remove_volumes?: Text } }).group;
    await groups.update(call.ctx, request.params.id, {
      name: body.name,
      description: body.description,
      add_volumes: idList(body.add_volumes),
      remove_volumes: idList(body.remove_volumes),
    });
    return reply.code(202).send();
  });

  app.post<IdParams>(`${base}/:id/action`, async (request, reply) => {
    const call = await start(request, reply);
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as ActionBody;
    const name = Object.keys(body)[0] ?? '(none)';
    if (name === 'delete') {
      validateBody(request, groupDelete);
      const flag = body.delete?.['delete-volumes'] as Flag;
      await groups.delete(call.ctx, request.params.id, flag !== undefined && parseBool(flag, 'delete-volumes'));
    } else if (name === 'reset_status' && call.atLeast('3.20')) {
      validateBody(request, resetStatus('reset_status'));
      await groups.resetStatus(call.ctx, request.params.id, String(body.reset_status?.status));
    } else if (REPLICATION_ACTIONS.includes(name) && call.atLeast('3.38')) {
      const group = await groups.get(call.ctx, request.params.id);
      throw errors.invalidGroupType(`Group ${group.id} is not a replication group type.`);
    } else {
      throw errors.noSuchAction(name);
    }
    return reply.code(202).send();
  });
}

export function groupSnapshotRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { groupSnapshots } = api.ops;
  const base = '/v3/:project_id/group_snapshots';
  const start = (request: FastifyRequest, reply: FastifyReply, from = '3.14') => beginFrom(api, request, reply, from);

  app.post(base, async (request, reply) => {
    const call = await start(request, reply);
    validateBody(request, groupSnapshotCreate);
    const body = (request.body as { group_snapshot: { group_id: string; name?: Text; description?: Text } }).group_snapshot;
    const snapshot = await groupSnapshots.create(call.ctx, { group_id: body.group_id, name: body.name ?? null, description: body.description ?? null });
    // Cinder's summary view here keeps the group type, which its list drops.
    return reply.code(202).send({ group_snapshot: { id: snapshot.id, name: snapshot.name, group_type_id: snapshot.group_type_id } });
  });

  for (const withDetail of [false, true]) {
    app.get(withDetail ? `${base}/detail` : base, async (request, reply) => {
      const call = await start(request, reply);
      const list = await groupSnapshots.list(call.ctx, flagOf(request.query, 'all_tenants'));
      return { group_snapshots: list.map((s) => (withDetail ? groupSnapshotDetail(call, s) : { id: s.id, name: s.name })) };
    });
  }

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await start(request, reply);
    return { group_snapshot: groupSnapshotDetail(call, await groupSnapshots.get(call.ctx, request.params.id)) };
  });

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await start(request, reply);
    await groupSnapshots.delete(call.ctx, request.params.id);
    return reply.code(202).send();
  });

  app.post<IdParams>(`${base}/:id/action`, async (request, reply) => {
    const call = await start(request, reply, '3.19');
    validateBody(request, resetStatus('reset_status'));
    const status = (request.body as { reset_status: { status: string } }).reset_status.status;
    await groupSnapshots.resetStatus(call.ctx, request.params.id, status);
    return reply.code(202).send();
  });
}

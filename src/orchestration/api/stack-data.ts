/**
 * What hangs off `/stacks/{stack_name}/{stack_id}`: template, environment,
 * files, outputs, abandon, export, snapshots and actions
 * (heat/api/openstack/v1/stacks.py and actions.py).
 */
import type { FastifyInstance } from 'fastify';
import { isJsonObject, type Json } from '../json.js';
import { apiErrors } from '../errors/api.js';
import type { HeatApi } from './context.js';
import { identifiedStack } from './stacks.js';
import { outputView, snapshotView, storedEnvironmentView } from './views.js';

/** The actions POST .../actions takes, each a body of exactly one key. */
const STACK_ACTIONS = ['suspend', 'resume', 'check', 'cancel_update', 'cancel_without_rollback'] as const;
type StackActionName = (typeof STACK_ACTIONS)[number];

function isStackAction(name: string): name is StackActionName {
  return (STACK_ACTIONS as readonly string[]).includes(name);
}

export function stackDataRoutes(app: FastifyInstance, api: HeatApi): void {
  const stackPath = '/v1/:project_id/stacks/:stack_name/:stack_id';

  app.get(`${stackPath}/template`, async (request) => (await identifiedStack(api, request)).stack.template);
  app.get(`${stackPath}/environment`, async (request) => storedEnvironmentView({ ...(await identifiedStack(api, request)).stack.environment }));
  app.get(`${stackPath}/files`, async (request) => (await identifiedStack(api, request)).stack.files);

  app.get(`${stackPath}/outputs`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const outputs = await api.stacks.outputs(call.caller, stack.id);
    return { outputs: outputs.map((output) => outputView(output, false)) };
  });

  app.get(`${stackPath}/outputs/:output_key`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const { output_key } = request.params as { output_key: string };
    return { output: outputView(await api.stacks.output(call.caller, stack.id, output_key), true) };
  });

  app.delete(`${stackPath}/abandon`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    return api.stacks.abandon(call.caller, stack.id);
  });

  app.get(`${stackPath}/export`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    return api.stacks.export(call.caller, stack.id);
  });

  app.post(`${stackPath}/snapshots`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const body = request.body as Json | undefined;
    const name = isJsonObject(body) && typeof body['name'] === 'string' ? body['name'] : null;
    return snapshotView(await api.stacks.createSnapshot(call.caller, stack.id, name));
  });

  app.get(`${stackPath}/snapshots`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    return { snapshots: (await api.stacks.snapshots(call.caller, stack.id)).map(snapshotView) };
  });

  app.get(`${stackPath}/snapshots/:snapshot_id`, async (request) => {
    const { call, stack } = await identifiedStack(api, request);
    const { snapshot_id } = request.params as { snapshot_id: string };
    return { snapshot: snapshotView(await api.stacks.snapshot(call.caller, stack.id, snapshot_id)) };
  });

  app.delete(`${stackPath}/snapshots/:snapshot_id`, async (request, reply) => {
    const { call, stack } = await identifiedStack(api, request);
    const { snapshot_id } = request.params as { snapshot_id: string };
    await api.stacks.deleteSnapshot(call.caller, stack.id, snapshot_id);
    return reply.code(204).send();
  });

  app.post(`${stackPath}/snapshots/:snapshot_id/restore`, async (request, reply) => {
    const { call, stack } = await identifiedStack(api, request);
    const { snapshot_id } = request.params as { snapshot_id: string };
    await api.stacks.restoreSnapshot(call.caller, stack.id, snapshot_id);
    return reply.code(202).send();
  });

  app.post(`${stackPath}/actions`, async (request, reply) => {
    const body = request.body as Json | undefined;
    const keys = isJsonObject(body) ? Object.keys(body) : [];
    if (keys.length < 1) throw apiErrors.noAction();
    if (keys.length > 1) throw apiErrors.multipleActions();
    const action = keys[0]!;
    if (!isStackAction(action)) throw apiErrors.unknownAction(action);
    const { call, stack } = await identifiedStack(api, request);
    await api.stacks.action(call.caller, stack.id, action);
    return reply.code(200).send();
  });
}

/**
 * `/_nimbus/state`: save the whole cloud under a name, load it back, reset to
 * the state start-up (and the seed) left, list and delete snapshots. See
 * snapshots.ts for what a snapshot holds and how it stays consistent.
 */
import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import type { ControlContext } from '../context.js';
import { BOOTSTRAP_SNAPSHOT, StateSnapshots } from './snapshots.js';

const snapshotsByContext = new WeakMap<ControlContext, StateSnapshots>();

/** The one set of snapshots of a running server (its routes, its start-up and the seed share it). */
export function stateSnapshots(context: ControlContext): StateSnapshots {
  let snapshots = snapshotsByContext.get(context);
  if (!snapshots) snapshotsByContext.set(context, (snapshots = new StateSnapshots(context)));
  return snapshots;
}

/**
 * Records the current state as the one `reset` returns to. The server calls
 * it once start-up is done, when no bootstrap snapshot exists yet (so that a
 * restarted cloud keeps its first one); the seed calls it again once applied
 * (`replace`). Does nothing where snapshots are not supported.
 */
export async function saveBootstrapState(context: ControlContext, options: { replace: boolean }): Promise<void> {
  const snapshots = stateSnapshots(context);
  if (!snapshots.supported() || (!options.replace && snapshots.has(BOOTSTRAP_SNAPSHOT))) return;
  await snapshots.save(BOOTSTRAP_SNAPSHOT);
}

export async function stateRoutes(scope: FastifyInstance, context: ControlContext): Promise<void> {
  const snapshots = stateSnapshots(context);

  scope.get('/state', async () => ({ snapshots: snapshots.list() }));

  scope.post('/state/save', async (request, reply) => {
    const snapshot = await snapshots.save(nameOf(request.body));
    return reply.code(201).send({ snapshot });
  });

  scope.post('/state/load', async (request, reply) => {
    await snapshots.load(nameOf(request.body));
    return reply.code(204).send();
  });

  scope.post('/state/reset', async (_request, reply) => {
    await snapshots.load(BOOTSTRAP_SNAPSHOT);
    return reply.code(204).send();
  });

  scope.delete<{ Params: { name: string } }>('/state/:name', async (request, reply) => {
    await snapshots.remove(request.params.name);
    return reply.code(204).send();
  });
}

function nameOf(body: unknown): string {
  const name = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') throw new BadRequest('The request body must be a JSON object with a string "name".');
  return name;
}

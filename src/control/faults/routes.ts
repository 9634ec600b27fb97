/**
 * `/_nimbus/faults`: the fault rules as REST. `POST` answers 201 with the
 * rule (its `id`, `hits` 0); `GET` lists `{"faults": [...]}` in the order
 * rules are tried; `DELETE /faults/{id}` removes one (404 when unknown),
 * `DELETE /faults` all of them; both 204.
 */
import type { FastifyInstance } from 'fastify';
import { NotFound } from '../../core/errors.js';
import type { ControlContext } from '../context.js';

export async function faultRoutes(scope: FastifyInstance, context: ControlContext): Promise<void> {
  const { faults } = context;
  const unknownRule = (id: string) => new NotFound(`Fault rule ${id} could not be found.`);

  scope.post('/faults', async (request, reply) => reply.code(201).send(faults.add(request.body)));
  scope.get('/faults', async () => ({ faults: faults.list() }));
  scope.get<{ Params: { id: string } }>('/faults/:id', async (request) => {
    const rule = faults.get(request.params.id);
    if (!rule) throw unknownRule(request.params.id);
    return rule;
  });
  scope.delete<{ Params: { id: string } }>('/faults/:id', async (request, reply) => {
    if (!faults.remove(request.params.id)) throw unknownRule(request.params.id);
    return reply.code(204).send();
  });
  scope.delete('/faults', async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });
}

/** `/v3/{project_id}/os-services` (admin): list, enable, disable, disable-log-reason, freeze and thaw. */
import type { FastifyInstance } from 'fastify';
import { validateBody } from '../../core/http/versioned-body.js';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { errors } from '../errors.js';
import { begin, type VolumeApi } from './context.js';
import { cinderTime } from './views.js';

type Body = { host?: string; binary?: string; service?: string; disabled_reason?: string };

const host = { type: 'string', minLength: 1, maxLength: 255 } as const;
const name = { type: 'string', minLength: 1, maxLength: 255 } as const;
/** cinder/api/schemas/services.py. */
const enableDisable = {
  type: 'object',
  properties: { binary: name, host, cluster: { type: ['string', 'null'] }, service: name },
  anyOf: [{ required: ['binary'] }, { required: ['service'] }],
  additionalProperties: false,
};
const disableLogReason = { ...enableDisable, properties: { ...enableDisable.properties, disabled_reason: name } };
const freezeThaw = { type: 'object', properties: { cluster: { type: ['string', 'null'] }, host }, additionalProperties: false };

export function serviceRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { services } = api.ops;
  const base = '/v3/:project_id/os-services';

  app.get(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    const q = request.query as QueryInput;
    const filter: { host?: string; binary?: string } = {};
    const [hostName, binary] = [querySingle(q, 'host'), querySingle(q, 'binary')];
    if (hostName !== undefined) filter.host = hostName;
    if (binary !== undefined) filter.binary = binary;
    const list = await services.list(call.ctx, filter);
    return {
      services: list.map(({ disabled, frozen, ...s }) => ({
        ...s,
        updated_at: cinderTime(s.updated_at),
        // Cinder's os-extended-services: a cinder-volume's replication state too.
        ...(s.binary === 'cinder-volume' ? { replication_status: 'disabled', active_backend_id: null, frozen } : {}),
        ...(call.atLeast('3.7') ? { cluster: null } : {}),
        ...(call.atLeast('3.49') && s.binary === 'cinder-volume' ? { backend_state: disabled ? 'down' : 'up' } : {}),
      })),
    };
  });

  app.put<{ Params: { project_id: string; action: string } }>(`${base}/:action`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const action = request.params.action;
    const body = (request.body ?? {}) as Body;
    if (action === 'freeze' || action === 'thaw') {
      validateBody(request, freezeThaw);
      if (!body.host) throw errors.invalidInput('Host field is missing.');
      await services.setFrozen(call.ctx, body.host, action === 'freeze');
      return reply.code(200).send();
    }
    if (action !== 'enable' && action !== 'disable' && action !== 'disable-log-reason') throw errors.invalidInput('Unknown action');
    validateBody(request, action === 'disable-log-reason' ? disableLogReason : enableDisable);
    if (!body.host) throw errors.invalidInput('Host field is missing.');
    const binary = body.binary || body.service || '';
    const disabled = action !== 'enable';
    await services.setDisabled(call.ctx, body.host, binary, disabled, body.disabled_reason ?? null);
    const answer = { host: body.host, service: body.service ?? '', binary: body.binary ?? '', status: disabled ? 'disabled' : 'enabled', disabled };
    return action === 'disable-log-reason' ? { ...answer, disabled_reason: body.disabled_reason ?? null } : answer;
  });
}

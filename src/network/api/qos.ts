/**
 * QoS rules under their policy (`/v2.0/qos/policies/{id}/<type>_rules`), by
 * id alone (`/v2.0/qos/alias_<type>_rules/{id}`) and the rule types
 * (`/v2.0/qos/rule-types`). The policies themselves are a plain collection
 * (index.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { QueryInput } from '../../core/pagination/index.js';
import { createEnvelope, updateEnvelope } from '../service/body-schemas.js';
import { RULE_SPECS, RULE_TYPES } from '../service/qos-rule-types.js';
import { requestUrl, type NetworkApi } from './context.js';
import { listObjects, pick, selectedFields } from './listing.js';

type PolicyParams = { Params: { policy: string } };
type RuleParams = { Params: { policy: string; rule: string } };
type AliasParams = { Params: { rule: string } };

export function qosRuleRoutes(app: FastifyInstance, api: NetworkApi): void {
  const rules = api.ops.qosRules;
  for (const type of RULE_TYPES) {
    const { singular, collection, attributes } = RULE_SPECS[type];
    const base = `/v2.0/qos/policies/:policy/${collection}`;
    const alias = `/v2.0/qos/alias_${collection}/:rule`;

    app.post<PolicyParams>(base, { schema: { body: createEnvelope(singular, attributes) } }, async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const rule = await rules.create(await api.authenticate(request), type, request.params.policy, body[singular]);
      return reply.code(201).send({ [singular]: rule });
    });
    app.get<PolicyParams>(base, async (request) => {
      const all = await rules.list(await api.authenticate(request), type, request.params.policy);
      const { items, links } = listObjects(all, request.query as QueryInput, requestUrl(api, request));
      return links.length > 0 ? { [collection]: items, [`${collection}_links`]: links } : { [collection]: items };
    });
    for (const [path, policyOf] of [
      [`${base}/:rule`, (params: RuleParams['Params']) => params.policy],
      [alias, () => null],
    ] as const) {
      app.get<RuleParams>(path, async (request) => {
        const rule = await rules.get(await api.authenticate(request), type, policyOf(request.params), request.params.rule);
        return { [singular]: pick(rule, selectedFields(request.query as QueryInput)) };
      });
      app.put<RuleParams>(path, { schema: { body: updateEnvelope(singular, attributes) } }, async (request) => {
        const body = request.body as Record<string, unknown>;
        return { [singular]: await rules.update(await api.authenticate(request), type, policyOf(request.params), request.params.rule, body[singular]) };
      });
      app.delete<RuleParams>(path, async (request, reply) => {
        await rules.delete(await api.authenticate(request), type, policyOf(request.params), request.params.rule);
        return reply.code(204).send();
      });
    }
  }

  app.get('/v2.0/qos/rule-types', async (request) => {
    const { items } = listObjects(rules.ruleTypes(await api.authenticate(request)), request.query as QueryInput, requestUrl(api, request));
    return { rule_types: items.map(({ type }) => ({ type })) };
  });
  app.get<AliasParams>('/v2.0/qos/rule-types/:rule', async (request) => ({ rule_type: rules.ruleType(await api.authenticate(request), request.params.rule) }));
}

/**
 * The hook each service's scope gets (src/server.ts): a request a rule
 * matches waits the rule's latency, then loses its connection or is answered
 * with the rule's status. The status is thrown as an error from inside the
 * service's own scope, so the service's error handler renders it in its own
 * body (Nova's `computeFault`, Neutron's `NeutronError`, Keystone's `error`,
 * Swift's HTML) as it would a real failure.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import type { FaultRules } from './registry.js';

/** An injected status; the service renders it as any of its errors with that status. */
export class InjectedFault extends NimbusError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function injectFaults(
  scope: FastifyInstance,
  service: string,
  rules: FaultRules,
  authenticate: (request: FastifyRequest) => Promise<CallerContext>,
): void {
  // Without rules the hook answers at once, without a promise or URL parsing per request.
  scope.addHook('onRequest', (request, reply, done) => {
    if (rules.empty) return done();
    applyRule(request, reply).then(() => done(), done);
  });
  const applyRule = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const rule = await rules.matchRequest({
      service,
      method: request.method,
      url: request.url,
      // A bad token matches no project or user rule; the service itself still answers 401 for it.
      caller: () =>
        authenticate(request).then(
          (caller) => ({ projectId: caller.project?.id ?? null, userId: caller.userId }),
          () => null,
        ),
    });
    if (!rule) return;
    request.log.warn({ faultRule: rule.id, requestId: request.id, status: rule.status, action: rule.action, latencyMs: rule.latency_ms }, 'injected fault');
    if (rule.latency_ms > 0) await sleep(rule.latency_ms);
    if (rule.action === 'drop') {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (rule.status !== null) throw new InjectedFault(rule.status, rule.message ?? `Fault injected by rule ${rule.id}.`);
  };
}

/**
 * The fault rules of a running server. They live in this process's memory
 * only: a restart starts with none, and state snapshots do not carry them
 * (a test sets the faults it wants after loading a state). Rules are tried
 * in the order they were added; the first that matches is used. A rule with
 * a `count` is removed once used that many times, an expired one the next
 * time rules are read.
 */
import { uuid } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import type { DriverFaultHit, DriverFaultQuery, DriverFaults } from '../../core/faults.js';
import { parseFaultRule, type FaultRule } from './rule.js';
import { FaultTarget, pathMatcher, serviceAliases, type FaultTargetModule } from './targets.js';

/** Who sent a request, for rules that name a project or a user. */
export interface FaultCaller {
  projectId: string | null;
  userId: string;
}

/** An HTTP request as rules see it. */
export interface FaultRequest {
  service: string;
  method: string;
  url: string;
  /** Authenticates the request; asked only when a candidate rule names a project or user. Null when it cannot. */
  caller(): Promise<FaultCaller | null>;
}

interface LiveRule {
  rule: FaultRule;
  matchesPath: ((path: string) => boolean) | null;
}

export class FaultRules implements DriverFaults {
  readonly #rules = new Map<string, LiveRule>();
  readonly #services: Map<string, string>;
  readonly #targets: Map<string, FaultTarget>;

  constructor(
    modules: FaultTargetModule[],
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {
    this.#services = serviceAliases(modules);
    this.#targets = new Map(modules.map((module) => [module.name, new FaultTarget(module)]));
  }

  /** Adds a rule from a REST body or a seed entry; throws BadRequest when a field is wrong. */
  add(body: unknown): FaultRule {
    const spec = parseFaultRule(body, this.#services, this.now());
    const rule: FaultRule = { id: uuid(), ...spec, created_at: new Date(this.now()).toISOString(), hits: 0 };
    this.#rules.set(rule.id, { rule, matchesPath: rule.path === null ? null : pathMatcher(rule.path) });
    return { ...rule };
  }

  /** No rule at all (the usual case): the request hook then has nothing to do. O(1), so it is asked per request. */
  get empty(): boolean {
    return this.#rules.size === 0;
  }

  list(): FaultRule[] {
    return this.#live().map(({ rule }) => ({ ...rule }));
  }

  get(id: string): FaultRule | null {
    const found = this.#live().find(({ rule }) => rule.id === id);
    return found ? { ...found.rule } : null;
  }

  remove(id: string): boolean {
    return this.#rules.delete(id);
  }

  clear(): void {
    this.#rules.clear();
  }

  /** The first rule that applies to an HTTP request (counted as used), or null. */
  async matchRequest(request: FaultRequest): Promise<FaultRule | null> {
    const target = this.#targets.get(request.service);
    if (!target) return null;
    const candidates = this.#live().filter(({ rule }) => rule.driver_fault === null && rule.service === request.service);
    if (candidates.length === 0) return null;
    const paths = target.relativePaths(request.url);
    const matching = candidates.filter(
      ({ rule, matchesPath }) => (rule.method === null || rule.method === request.method) && (matchesPath === null || paths.some(matchesPath)),
    );
    const caller = matching.some(({ rule }) => rule.project_id !== null || rule.user_id !== null) ? await request.caller() : null;
    for (const live of matching) {
      const { rule } = live;
      if (rule.project_id !== null && caller?.projectId !== rule.project_id) continue;
      if (rule.user_id !== null && caller?.userId !== rule.user_id) continue;
      if (this.#use(live)) return { ...rule };
    }
    return null;
  }

  take(query: DriverFaultQuery): DriverFaultHit | null {
    for (const live of this.#live()) {
      const { rule } = live;
      if (rule.driver_fault !== query.point) continue;
      if (rule.host !== null && rule.host !== query.host) continue;
      if (!this.#use(live)) continue;
      this.log.warn({ faultRule: rule.id, driverFault: rule.driver_fault, host: query.host ?? null }, 'injected driver fault');
      const fails = rule.driver_fault !== 'slow_hypervisor';
      return { ruleId: rule.id, latencyMs: rule.latency_ms, fails, message: rule.message ?? `Fault injected by rule ${rule.id} (${rule.driver_fault}).` };
    }
    return null;
  }

  /** Rolls the rule's dice; on a hit counts it and spends one of its uses. */
  #use(live: LiveRule): boolean {
    const { rule } = live;
    if (rule.probability < 1 && this.random() >= rule.probability) return false;
    rule.hits++;
    if (rule.count !== null && --rule.count === 0) this.#rules.delete(rule.id);
    return true;
  }

  /** The rules not yet expired; the expired ones go. */
  #live(): LiveRule[] {
    const now = this.now();
    for (const [id, { rule }] of this.#rules) {
      if (rule.expires_at !== null && Date.parse(rule.expires_at) <= now) this.#rules.delete(id);
    }
    return [...this.#rules.values()];
  }
}

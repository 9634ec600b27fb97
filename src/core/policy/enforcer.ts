/**
 * The policy enforcer every service asks "may this caller do this?".
 *
 * Services register their default rules by name (`identity:get_user`); the
 * operator's policy file overrides any of them and may add helper rules for
 * `rule:` to refer to. Effective rule = override if any, else the default.
 * Every change is validated whole (syntax, duplicates, cycles) before it is
 * applied, so a failed registration or file load leaves the enforcer as it was.
 */
import { Forbidden } from '../errors.js';
import type { Check, CheckInput } from './checks.js';
import { findCycle } from './find-cycle.js';
import { DuplicatePolicyError, InvalidRuleError, PolicyCycleError, PolicyFileError, PolicyNotRegistered } from './policy-errors.js';
import { readPolicyFile } from './policy-file.js';
import type { PolicyCredentials, PolicyTarget } from './policy-values.js';
import { parseRule, type CompiledRule } from './rule-parser.js';

/** One rule as `listRules` reports it. */
export interface EffectiveRule {
  readonly name: string;
  /** The rule text in force. */
  readonly rule: string;
  /** The registered default, or undefined for a name only the policy file defines. */
  readonly defaultRule: string | undefined;
  /** True when the policy file sets this name. */
  readonly overridden: boolean;
}

export class PolicyEnforcer {
  private defaults = new Map<string, CompiledRule>();
  private overrides = new Map<string, CompiledRule>();
  private effective = new Map<string, CompiledRule>();
  /** Bound once: `rule:` checks look names up through it at evaluation time. */
  private readonly resolve = (name: string): Check | undefined => this.effective.get(name)?.check;

  /**
   * Registers a service's default rules. Registering a name again with the
   * same text is a no-op (shared helpers like `admin_required` may come from
   * several services); with a different text it throws `DuplicatePolicyError`.
   * Throws `InvalidRuleError` (message names the policy) for a malformed rule
   * and `PolicyCycleError` when the rules would refer to each other in a loop.
   */
  registerDefaults(rules: Record<string, string>): void {
    const defaults = new Map(this.defaults);
    for (const [name, text] of Object.entries(rules)) {
      const existing = defaults.get(name);
      if (existing !== undefined) {
        if (existing.text !== text) throw new DuplicatePolicyError(name, existing.text, text);
        continue;
      }
      defaults.set(name, compileNamed(name, text));
    }
    this.apply(defaults, this.overrides);
  }

  /**
   * Loads the operator's policy file (YAML or JSON, `"name": "rule"`),
   * replacing overrides loaded before: the file is the whole truth, so a rule
   * removed from it goes back to its default. A missing file means no
   * overrides. Throws `PolicyFileError` naming the file (and the rule, for a
   * malformed one) or `PolicyCycleError`; on error nothing changes.
   */
  async loadOverrides(file: string): Promise<void> {
    const overrides = new Map<string, CompiledRule>();
    for (const [name, text] of await readPolicyFile(file)) {
      try {
        overrides.set(name, compileNamed(name, text));
      } catch (error) {
        throw new PolicyFileError(file, error instanceof Error ? error.message : String(error), { cause: error });
      }
    }
    try {
      this.apply(this.defaults, overrides);
    } catch (error) {
      if (!(error instanceof PolicyCycleError)) throw error;
      throw new PolicyFileError(file, error.message, { cause: error });
    }
  }

  /**
   * Whether `credentials` may perform `action` on `target`. Throws
   * `PolicyNotRegistered` for an action no service registered: a typo in a
   * service must fail loudly, not deny every caller.
   */
  enforce(action: string, target: PolicyTarget, credentials: PolicyCredentials): boolean {
    if (!this.defaults.has(action)) throw new PolicyNotRegistered(action);
    const input: CheckInput = { target, credentials, resolve: this.resolve };
    // Registered implies effective: overrides only replace, never remove.
    return (this.effective.get(action) as CompiledRule).check(input);
  }

  /** `enforce`, throwing Keystone's `Forbidden` on a denial. */
  authorize(action: string, target: PolicyTarget, credentials: PolicyCredentials): void {
    if (!this.enforce(action, target, credentials)) {
      throw new Forbidden(`You are not authorized to perform the requested action: ${action}.`);
    }
  }

  /** Every rule in force, defaults and file-only names alike, sorted by name. */
  listRules(): EffectiveRule[] {
    return [...this.effective]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, rule]) => ({
        name,
        rule: rule.text,
        defaultRule: this.defaults.get(name)?.text,
        overridden: this.overrides.has(name),
      }));
  }

  /**
   * `rule:` references to names no default or override defines, as
   * "policy -> missing". They fail closed at evaluation, so a typo in a
   * default would deny everyone: the server checks this once at start.
   */
  danglingReferences(): string[] {
    const dangling: string[] = [];
    for (const [name, rule] of this.effective) {
      for (const reference of rule.references) if (!this.effective.has(reference)) dangling.push(`${name} -> ${reference}`);
    }
    return dangling.sort();
  }

  /** Validates the combination, then switches to it in one step. */
  private apply(defaults: Map<string, CompiledRule>, overrides: Map<string, CompiledRule>): void {
    const effective = new Map([...defaults, ...overrides]);
    const cycle = findCycle(effective);
    if (cycle !== undefined) throw new PolicyCycleError(cycle);
    this.defaults = defaults;
    this.overrides = overrides;
    this.effective = effective;
  }
}

/** Compiles a rule, naming the policy in the error so the operator can find it. */
function compileNamed(name: string, text: string): CompiledRule {
  try {
    return parseRule(text);
  } catch (error) {
    if (!(error instanceof InvalidRuleError)) throw error;
    throw new InvalidRuleError(error.rule, error.reason, name);
  }
}

/**
 * Errors of the policy engine.
 *
 * None of these is a NimbusError: each means the policy itself (a service's
 * defaults or the operator's file) is wrong, or code asked about an action it
 * never registered. That is a bug or a broken deployment, so it must surface as
 * a logged 500 or a failed start, never as a 400 or 403 a caller could act on.
 * A denied request is the domain error `Forbidden`, thrown by
 * `PolicyEnforcer.authorize`.
 */

/** A rule string that does not parse (oslo.policy would log it and deny). */
export class InvalidRuleError extends Error {
  constructor(
    /** The rule text as given. */
    readonly rule: string,
    /** What is wrong with it. */
    readonly reason: string,
    /** The policy name the rule was given for, when known. */
    readonly policy?: string,
  ) {
    super(`Invalid policy rule "${rule}"${policy === undefined ? '' : ` for ${policy}`}: ${reason}`);
    this.name = 'InvalidRuleError';
  }
}

/** `enforce`/`authorize` on a name no service registered (oslo's PolicyNotRegistered). */
export class PolicyNotRegistered extends Error {
  constructor(readonly action: string) {
    super(`Policy ${action} has not been registered`);
    this.name = 'PolicyNotRegistered';
  }
}

/** Two registrations of one name disagree on its default (oslo's DuplicatePolicyError). */
export class DuplicatePolicyError extends Error {
  constructor(
    readonly policy: string,
    registered: string,
    attempted: string,
  ) {
    super(`Policy ${policy} is already registered as "${registered}"; cannot register it again as "${attempted}"`);
    this.name = 'DuplicatePolicyError';
  }
}

/** Rules that refer to each other in a loop, which no evaluation could finish. */
export class PolicyCycleError extends Error {
  constructor(
    /** The loop, first name repeated at the end: `["a", "b", "a"]`. */
    readonly cycle: readonly string[],
  ) {
    super(`Policy rules refer to each other in a cycle: ${cycle.join(' -> ')}`);
    this.name = 'PolicyCycleError';
  }
}

/** An operator policy file that cannot be read or holds something that is not a rule. */
export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Policy file ${file}: ${detail}`, options);
    this.name = 'PolicyFileError';
  }
}

/** The policy engine: oslo.policy's rule language and enforcer. */
export { PolicyEnforcer, type EffectiveRule } from './enforcer.js';
export { authorizer, type Authorizer, type AuthorizerOptions } from './authorizer.js';
export { parseRule, type CompiledRule } from './rule-parser.js';
export type { Check, CheckInput } from './checks.js';
export type { PolicyCredentials, PolicyTarget } from './policy-values.js';
export { DuplicatePolicyError, InvalidRuleError, PolicyCycleError, PolicyFileError, PolicyNotRegistered } from './policy-errors.js';

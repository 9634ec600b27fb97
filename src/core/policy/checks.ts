/**
 * The compiled form of a rule: plain closures, built once by the parser and
 * called on every request, so evaluation does no parsing and no allocation
 * beyond the strings a substitution produces.
 */
import { compileTemplate } from './target-template.js';
import { credentialMatches, type PolicyCredentials, type PolicyTarget } from './policy-values.js';

/** What a check is evaluated against. */
export interface CheckInput {
  readonly target: PolicyTarget;
  readonly credentials: PolicyCredentials;
  /**
   * The check currently in force for a rule name, or undefined when no rule
   * has that name. Asked at evaluation time, so that `rule:x` follows an
   * operator's override of `x`.
   */
  readonly resolve: (name: string) => Check | undefined;
}

/** A compiled rule or part of one. */
export type Check = (input: CheckInput) => boolean;

export const alwaysPass: Check = () => true;
export const alwaysFail: Check = () => false;

export function notCheck(inner: Check): Check {
  return (input) => !inner(input);
}

export function andCheck(checks: readonly Check[]): Check {
  return (input) => checks.every((check) => check(input));
}

export function orCheck(checks: readonly Check[]): Check {
  return (input) => checks.some((check) => check(input));
}

/** `rule:NAME`. An undefined name fails closed, as in oslo. */
export function ruleCheck(name: string): Check {
  return (input) => input.resolve(name)?.(input) ?? false;
}

/** `role:NAME`, case-insensitive like oslo; NAME may be a `%(...)s` substitution. */
export function roleCheck(match: string, rule: string): Check {
  const template = compileTemplate(match, rule);
  return ({ target, credentials }) => {
    const wanted = template(target)?.toLowerCase();
    const roles: unknown = credentials.roles;
    if (wanted === undefined || !Array.isArray(roles)) return false;
    return roles.some((role) => typeof role === 'string' && role.toLowerCase() === wanted);
  };
}

/**
 * `KIND:MATCH` for any other KIND. oslo first tries KIND as a Python literal
 * (`True`, `'member'`, `42`) and compares it to the rendered MATCH; otherwise
 * KIND is a dotted path into the credentials.
 */
export function genericCheck(kind: string, match: string, rule: string): Check {
  const template = compileTemplate(unquote(match) ?? match, rule);
  const literal = literalText(kind);
  if (literal !== undefined) {
    return ({ target }) => template(target) === literal;
  }
  const path = kind.split('.');
  return ({ target, credentials }) => {
    const expected = template(target);
    return expected !== undefined && credentialMatches(credentials, path, expected);
  };
}

/**
 * The Python `str()` of KIND when it is a literal oslo's `ast.literal_eval`
 * accepts and a rule would use, else undefined. `None` is left out on purpose:
 * null values never match here (see `pythonStr`).
 */
function literalText(kind: string): string | undefined {
  if (kind === 'True' || kind === 'False') return kind;
  const quoted = unquote(kind);
  if (quoted !== undefined) return quoted;
  if (/^[+-]?\d+$/.test(kind)) return BigInt(kind).toString();
  if (/^[+-]?\d+\.\d+$/.test(kind)) {
    const value = Number(kind);
    return Number.isInteger(value) ? value.toFixed(1) : String(value);
  }
  return undefined;
}

/**
 * The inside of a `'single'` or `"double"` quoted string. On the MATCH side
 * oslo would keep the quotes and so never match; reading them as quotes is
 * what a rule author means.
 */
function unquote(text: string): string | undefined {
  const first = text[0];
  if (text.length >= 2 && (first === "'" || first === '"') && text.endsWith(first)) return text.slice(1, -1);
  return undefined;
}

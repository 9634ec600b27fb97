/**
 * Parses oslo.policy's rule language into a `Check`:
 *
 * ```
 * rule  := or
 * or    := and ("or" and)*
 * and   := unary ("and" unary)*
 * unary := "not" unary | "(" or ")" | check
 * check := "@" | "!" | KIND ":" MATCH
 * ```
 *
 * so `not` binds tighter than `and`, which binds tighter than `or`, as in
 * oslo's shift-reduce parser. Where oslo logs a malformed rule and quietly
 * denies everything, this parser throws `InvalidRuleError`: a broken default
 * or policy file must stop the server, not lock users out in silence.
 */
import { alwaysFail, alwaysPass, andCheck, genericCheck, notCheck, orCheck, roleCheck, ruleCheck, type Check } from './checks.js';
import { InvalidRuleError } from './policy-errors.js';
import { tokenize, type Token } from './rule-tokenizer.js';

export interface CompiledRule {
  /** The rule text as written. */
  readonly text: string;
  readonly check: Check;
  /** Names this rule refers to with `rule:NAME`, for cycle detection. */
  readonly references: ReadonlySet<string>;
}

/** Compiles `text`; throws `InvalidRuleError` naming the text when it is malformed. */
export function parseRule(text: string): CompiledRule {
  const references = new Set<string>();
  // oslo: the empty rule lets everyone through.
  if (text === '') return { text, check: alwaysPass, references };
  const parser = new Parser(text, tokenize(text), references);
  return { text, check: parser.parse(), references };
}

class Parser {
  private position = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly references: Set<string>,
  ) {}

  parse(): Check {
    if (this.tokens.length === 0) this.fail('it is only whitespace (use "" or "@" to allow everyone)');
    const check = this.parseOr();
    const extra = this.tokens[this.position];
    if (extra !== undefined) {
      this.fail(extra.kind === ')' ? 'unbalanced ")"' : `unexpected ${describe(extra)} after a complete expression`);
    }
    return check;
  }

  private parseOr(): Check {
    const checks = [this.parseAnd()];
    while (this.accept('or')) checks.push(this.parseAnd());
    return checks.length === 1 ? (checks[0] as Check) : orCheck(checks);
  }

  private parseAnd(): Check {
    const checks = [this.parseUnary()];
    while (this.accept('and')) checks.push(this.parseUnary());
    return checks.length === 1 ? (checks[0] as Check) : andCheck(checks);
  }

  private parseUnary(): Check {
    const token = this.tokens[this.position++];
    if (token === undefined) return this.fail('it ends where a check was expected');
    switch (token.kind) {
      case 'not':
        return notCheck(this.parseUnary());
      case '(': {
        const inner = this.parseOr();
        if (!this.accept(')')) this.fail('unbalanced "("');
        return inner;
      }
      case 'check':
        return this.parseCheck(token.text);
      default:
        return this.fail(`unexpected ${describe(token)} where a check was expected`);
    }
  }

  private parseCheck(check: string): Check {
    if (check === '@') return alwaysPass;
    if (check === '!') return alwaysFail;
    const colon = check.indexOf(':');
    if (colon < 0) return this.fail(`"${check}" is not a check (expected KIND:VALUE, "@" or "!")`);
    const kind = check.slice(0, colon);
    const match = check.slice(colon + 1);
    switch (kind) {
      case '':
        return this.fail(`"${check}" has nothing before ":"`);
      case 'rule':
        if (match === '') return this.fail('"rule:" needs a rule name');
        this.references.add(match);
        return ruleCheck(match);
      case 'role':
        return roleCheck(match, this.text);
      case 'http':
      case 'https':
        return this.fail(`"${kind}:" checks (asking a remote server) are not supported`);
      default:
        return genericCheck(kind, match, this.text);
    }
  }

  private accept(kind: Token['kind']): boolean {
    if (this.tokens[this.position]?.kind !== kind) return false;
    this.position++;
    return true;
  }

  private fail(reason: string): never {
    throw new InvalidRuleError(this.text, reason);
  }
}

function describe(token: Token): string {
  return token.kind === 'check' ? `"${token.text}"` : `"${token.kind}"`;
}

/**
 * The right-hand side of a check: text with `%(name)s` substitutions from the
 * target, as Python's `%` operator does it in oslo.policy. Compiled once per
 * rule so that evaluation is a few lookups and a string join.
 */
import { InvalidRuleError } from './policy-errors.js';
import { lookupTarget, pythonStr, type PolicyTarget } from './policy-values.js';

/** Renders the template for a target, or undefined when a key is missing or null. */
export type TargetTemplate = (target: PolicyTarget) => string | undefined;

/** One piece of a template: literal text, or the key of a substitution. */
type Part = { literal: string } | { key: string };

/**
 * Compiles `text`. Only `%(name)s` and `%%` are accepted: any other `%` would
 * be a Python formatting error at evaluation time in oslo, so it is refused
 * here, when the rule is loaded. `rule` is the whole rule, for the message.
 */
export function compileTemplate(text: string, rule: string): TargetTemplate {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const percent = text.indexOf('%', i);
    if (percent < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, percent);
    if (text[percent + 1] === '%') {
      literal += '%';
      i = percent + 2;
      continue;
    }
    const close = text[percent + 1] === '(' ? text.indexOf(')', percent) : -1;
    if (close < 0 || text[close + 1] !== 's' || close === percent + 2) {
      throw new InvalidRuleError(rule, `"${text}" has a "%" that is not a %(name)s substitution (write %% for a literal %)`);
    }
    if (literal !== '') parts.push({ literal });
    literal = '';
    parts.push({ key: text.slice(percent + 2, close) });
    i = close + 2;
  }
  if (literal !== '' || parts.length === 0) parts.push({ literal });
  return joinParts(parts);
}

function joinParts(parts: readonly Part[]): TargetTemplate {
  const [only] = parts;
  if (parts.length === 1 && only !== undefined) {
    // The two shapes real rules use, kept free of loops and joins.
    if ('literal' in only) {
      const value = only.literal;
      return () => value;
    }
    const key = only.key;
    return (target) => pythonStr(lookupTarget(target, key));
  }
  return (target) => {
    let out = '';
    for (const part of parts) {
      if ('literal' in part) {
        out += part.literal;
        continue;
      }
      const value = pythonStr(lookupTarget(target, part.key));
      if (value === undefined) return undefined;
      out += value;
    }
    return out;
  };
}

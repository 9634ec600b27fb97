/**
 * Splits a rule into tokens the way oslo.policy does: on whitespace, with
 * parentheses peeled off the start and end of each word. Parentheses inside a
 * word stay, which is what lets `%(target.id)s` through; it also means
 * `(a)and(b)` is one odd word, not five tokens, exactly as in oslo.
 */

export type Token =
  | { kind: '(' | ')' | 'and' | 'or' | 'not' }
  /** A single check such as `role:admin`, `@` or `!`. */
  | { kind: 'check'; text: string };

const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not']);

export function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  for (const word of rule.split(/\s+/)) {
    if (word === '') continue;
    let start = 0;
    while (word[start] === '(') {
      tokens.push({ kind: '(' });
      start++;
    }
    let end = word.length;
    while (end > start && word[end - 1] === ')') end--;
    const text = word.slice(start, end);
    const lowered = text.toLowerCase();
    if (KEYWORDS.has(lowered)) tokens.push({ kind: lowered as 'and' | 'or' | 'not' });
    else if (text !== '') tokens.push({ kind: 'check', text });
    for (let i = end; i < word.length; i++) tokens.push({ kind: ')' });
  }
  return tokens;
}

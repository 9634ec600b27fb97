/**
 * The parser of Nimbus's yaql subset (see yaql.ts for what it evaluates).
 * It builds a small tree; nothing in an expression is ever run as code.
 */

export type YaqlNode =
  | { kind: 'literal'; value: null | boolean | number | string }
  | { kind: 'context' }
  | { kind: 'variable'; name: string }
  | { kind: 'list'; items: YaqlNode[] }
  | { kind: 'dict'; entries: Array<[YaqlNode, YaqlNode]> }
  | { kind: 'member'; target: YaqlNode; name: string }
  | { kind: 'index'; target: YaqlNode; index: YaqlNode }
  | { kind: 'call'; name: string; receiver: YaqlNode | null; args: YaqlNode[] }
  | { kind: 'unary'; op: '-' | 'not'; operand: YaqlNode }
  | { kind: 'binary'; op: string; left: YaqlNode; right: YaqlNode };

export class YaqlSyntaxError extends Error {}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\$[A-Za-z_]\w*|\$)|([A-Za-z_]\w*)|(=>|!=|<=|>=|[-+*/=<>()[\]{},.]))/y;

interface Token {
  type: 'number' | 'string' | 'var' | 'ident' | 'op';
  text: string;
  at: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < source.length) {
    if (/^\s*$/.test(source.slice(position))) break;
    TOKEN.lastIndex = position;
    const m = TOKEN.exec(source);
    if (m === null) throw new YaqlSyntaxError(`Lexical error: illegal character '${source.slice(position).trimStart()[0]}' at position ${position}`);
    const [whole, num, str, variable, ident, op] = m;
    const at = position + whole.length - whole.trimStart().length;
    if (num !== undefined) tokens.push({ type: 'number', text: num, at });
    else if (str !== undefined) tokens.push({ type: 'string', text: str, at });
    else if (variable !== undefined) tokens.push({ type: 'var', text: variable, at });
    else if (ident !== undefined) tokens.push({ type: 'ident', text: ident, at });
    else tokens.push({ type: 'op', text: op ?? '', at });
    position = TOKEN.lastIndex;
  }
  return tokens;
}

const COMPARISONS = ['=', '!=', '<', '>', '<=', '>=', 'in'];

export function parseYaql(source: string): YaqlNode {
  const tokens = tokenize(source);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const isOp = (text: string): boolean => {
    const t = peek();
    return t !== undefined && (t.type === 'op' || t.type === 'ident') && t.text === text;
  };
  const expect = (text: string): void => {
    if (!isOp(text)) throw new YaqlSyntaxError(`Parse error: expected '${text}' ${peek() ? `at position ${peek()?.at}` : 'at end of expression'}`);
    i += 1;
  };
  const binaryLevel = (ops: string[], next: () => YaqlNode): (() => YaqlNode) => {
    return () => {
      let left = next();
      while (ops.some(isOp)) {
        const op = (peek() as Token).text;
        i += 1;
        left = { kind: 'binary', op, left, right: next() };
      }
      return left;
    };
  };
  const args = (close: string): YaqlNode[] => {
    const items: YaqlNode[] = [];
    if (isOp(close)) {
      i += 1;
      return items;
    }
    for (;;) {
      items.push(expression());
      if (isOp(',')) i += 1;
      else break;
    }
    expect(close);
    return items;
  };
  const primary = (): YaqlNode => {
    const t = peek();
    if (t === undefined) throw new YaqlSyntaxError('Parse error: unexpected end of expression');
    i += 1;
    if (t.type === 'number') return { kind: 'literal', value: Number(t.text) };
    if (t.type === 'string') return { kind: 'literal', value: t.text.slice(1, -1).replace(/\\(.)/g, '$1') };
    if (t.type === 'var') return t.text === '$' ? { kind: 'context' } : { kind: 'variable', name: t.text.slice(1) };
    if (t.type === 'ident') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
      if (t.text === 'null') return { kind: 'literal', value: null };
      if (isOp('(')) {
        i += 1;
        return { kind: 'call', name: t.text, receiver: null, args: args(')') };
      }
      return { kind: 'literal', value: t.text };
    }
    if (t.text === '(') {
      const inner = expression();
      expect(')');
      return inner;
    }
    if (t.text === '[') return { kind: 'list', items: args(']') };
    if (t.text === '{') {
      const entries: Array<[YaqlNode, YaqlNode]> = [];
      while (!isOp('}')) {
        const key = expression();
        expect('=>');
        entries.push([key, expression()]);
        if (isOp(',')) i += 1;
        else break;
      }
      expect('}');
      return { kind: 'dict', entries };
    }
    throw new YaqlSyntaxError(`Parse error: unexpected '${t.text}' at position ${t.at}`);
  };
  const postfix = (): YaqlNode => {
    let node = primary();
    for (;;) {
      if (isOp('.')) {
        i += 1;
        const name = peek();
        if (name?.type !== 'ident') throw new YaqlSyntaxError(`Parse error: expected a name after '.' at position ${name?.at ?? 'end'}`);
        i += 1;
        if (isOp('(')) {
          i += 1;
          node = { kind: 'call', name: name.text, receiver: node, args: args(')') };
        } else {
          node = { kind: 'member', target: node, name: name.text };
        }
      } else if (isOp('[')) {
        i += 1;
        const index = expression();
        expect(']');
        node = { kind: 'index', target: node, index };
      } else {
        return node;
      }
    }
  };
  const unary = (): YaqlNode => {
    if (isOp('-')) {
      i += 1;
      return { kind: 'unary', op: '-', operand: unary() };
    }
    return postfix();
  };
  const multiplicative = binaryLevel(['*', '/', 'mod'], unary);
  const additive = binaryLevel(['+', '-'], multiplicative);
  const comparison = binaryLevel(COMPARISONS, additive);
  const negation = (): YaqlNode => {
    if (!isOp('not')) return comparison();
    i += 1;
    return { kind: 'unary', op: 'not', operand: negation() };
  };
  const conjunction = binaryLevel(['and'], negation);
  const expression = binaryLevel(['or'], conjunction);

  const tree = expression();
  if (i < tokens.length) throw new YaqlSyntaxError(`Parse error: unexpected '${tokens[i]?.text}' at position ${tokens[i]?.at}`);
  return tree;
}

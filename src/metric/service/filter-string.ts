/**
 * The string form of Gnocchi's filter (`?filter=project_id='x' and started_at>='2024-01-01'`),
 * read into the JSON form: conditions `field op value`, `not`, `and` (also
 * `∧`) binding tighter than `or` (`∨`), parentheses, values quoted or bare
 * (numbers, true/false, null/None, words and UUIDs), lists `[a, b]` for `in`.
 */
import type { Json } from '../../core/json.js';
import { BadRequest } from '../../core/errors.js';

type Token = { kind: 'op' | 'word' | 'string' | 'punct'; text: string; at: number };

const OPERATORS = ['>=', '<=', '!=', '==', '≠', '≥', '≤', '>', '<', '=', 'eq', 'ne', 'lt', 'gt', 'ge', 'le', 'in', 'like'];
const WORD_OPERATORS = new Set(['eq', 'ne', 'lt', 'gt', 'ge', 'le', 'in', 'like']);

function invalid(reason: string): BadRequest {
  return new BadRequest(`Invalid filter: ${reason}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '"' || char === "'") {
      const end = text.indexOf(char, i + 1);
      if (end < 0) throw invalid(`unterminated string at char ${i}`);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else if ('()[],∧∨'.includes(char)) {
      tokens.push({ kind: 'punct', text: char, at: i });
      i++;
    } else {
      const symbol = OPERATORS.find((op) => !WORD_OPERATORS.has(op) && text.startsWith(op, i));
      if (symbol) {
        tokens.push({ kind: 'op', text: symbol, at: i });
        i += symbol.length;
        continue;
      }
      const word = /^[^\s()[\],'"=<>!≠≥≤∧∨]+/.exec(text.slice(i));
      if (!word) throw invalid(`unexpected character at char ${i}`);
      const value = word[0];
      tokens.push({ kind: WORD_OPERATORS.has(value) ? 'op' : 'word', text: value, at: i });
      i += value.length;
    }
  }
  return tokens;
}

/** A bare word as pyparsing reads it: null, boolean, number, or the text itself. */
function bareValue(text: string): Json {
  if (/^(None|none|null)$/.test(text)) return null;
  if (/^(True|true|False|false)$/.test(text)) return text.toLowerCase() === 'true';
  if (/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(text)) return text;
  if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(text)) return Number(text);
  return text;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Json {
    const result = this.or();
    const next = this.tokens[this.position];
    if (next) throw invalid(`unexpected '${next.text}' at char ${next.at}`);
    return result;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isWord(token: Token | undefined, ...words: string[]): boolean {
    return token !== undefined && (token.kind === 'word' || token.kind === 'punct') && words.includes(token.text);
  }

  private or(): Json {
    const items = [this.and()];
    while (this.isWord(this.peek(), 'or', '∨')) {
      this.position++;
      items.push(this.and());
    }
    return items.length === 1 ? (items[0] as Json) : { or: items };
  }

  private and(): Json {
    const items = [this.not()];
    while (this.isWord(this.peek(), 'and', '∧')) {
      this.position++;
      items.push(this.not());
    }
    return items.length === 1 ? (items[0] as Json) : { and: items };
  }

  private not(): Json {
    if (this.isWord(this.peek(), 'not')) {
      this.position++;
      return { not: this.not() };
    }
    if (this.isWord(this.peek(), '(')) {
      this.position++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return this.condition();
  }

  private expect(text: string): void {
    const token = this.peek();
    if (!token || token.text !== text) throw invalid(`expected '${text}'${token ? ` at char ${token.at}` : ' at end of text'}`);
    this.position++;
  }

  private condition(): Json {
    const field = this.peek();
    if (!field || field.kind === 'op' || field.kind === 'punct') throw invalid(`expected a condition${field ? ` at char ${field.at}` : ' at end of text'}`);
    this.position++;
    const operator = this.peek();
    if (!operator || operator.kind !== 'op') throw invalid(`expected an operator${operator ? ` at char ${operator.at}` : ' at end of text'}`);
    this.position++;
    return { [operator.text]: { [field.text]: this.value() } };
  }

  private value(): Json {
    const token = this.peek();
    if (!token) throw invalid('expected a value at end of text');
    this.position++;
    if (token.kind === 'string') return token.text;
    if (token.kind === 'word') return bareValue(token.text);
    if (token.text === '[') {
      const items: Json[] = [];
      while (!this.isWord(this.peek(), ']')) {
        items.push(this.value());
        if (this.isWord(this.peek(), ',')) this.position++;
        else if (!this.isWord(this.peek(), ']')) throw invalid(`expected ',' or ']'${this.peek() ? ` at char ${this.peek()?.at}` : ''}`);
      }
      this.position++;
      return items;
    }
    throw invalid(`expected a value at char ${token.at}`);
  }
}

/** The JSON form of a string filter; 400 `Invalid filter: ...` when it does not parse. */
export function parseFilterString(text: string): Json {
  return new Parser(tokenize(text)).parse();
}

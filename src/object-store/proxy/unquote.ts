/**
 * Names as Swift reads them from a URL or a bulk-delete line: percent-escapes
 * become bytes (an escape that is not one stays as it is, as Python's unquote
 * leaves it), then the bytes must be UTF-8 without NUL (check_utf8), else 412.
 */
import { PreconditionFailed } from '../../core/errors.js';
import { INVALID_UTF8 } from './constraints.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const HEX = /^[0-9a-fA-F]{2}$/;
const PLAIN = /^[\x20-\x24\x26-\x7e]*$/;

export function percentDecode(input: Buffer): Buffer {
  const out = Buffer.alloc(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i] as number;
    const hex = byte === 0x25 ? input.toString('latin1', i + 1, i + 3) : '';
    if (HEX.test(hex)) {
      out[length++] = Number.parseInt(hex, 16);
      i += 2;
    } else out[length++] = byte;
  }
  return out.subarray(0, length);
}

/** The bytes as text; null when they are not UTF-8 or hold a NUL. */
export function utf8Name(bytes: Buffer): string | null {
  try {
    const text = strictUtf8.decode(bytes);
    return text.includes('\0') ? null : text;
  } catch {
    return null;
  }
}

/** A URL part (its characters standing for bytes, as Node hands the request line) unquoted; 412 when not UTF-8. */
export function unquoteUrlPart(part: string): string {
  // The common case, printable ASCII without escapes, is already its own name.
  if (PLAIN.test(part)) return part;
  const name = utf8Name(percentDecode(Buffer.from(part, 'latin1')));
  if (name === null) throw new PreconditionFailed(INVALID_UTF8);
  return name;
}

/**
 * Fernet (version 0x80), byte for byte as the spec at github.com/fernet/spec
 * defines it, so tokens and keys interoperate with pyca/cryptography and
 * therefore with Keystone:
 *
 *     token = base64url(0x80 ‖ timestamp ‖ IV ‖ AES-128-CBC(PKCS7) ciphertext ‖ HMAC)
 *     key   = base64url(signing-key ‖ encryption-key), 16 bytes each
 *
 * The HMAC is SHA-256 under the signing key over every byte before it. This
 * layer knows nothing of what the message means; a failure of any kind is one
 * `InvalidToken`, so callers cannot be turned into an oracle that tells a bad
 * MAC from bad padding.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 0x80;
const HEADER_BYTES = 1 + 8 + 16; // version, timestamp, IV
const HMAC_BYTES = 32;
const BLOCK_BYTES = 16;
/** pyca/cryptography's tolerance for a token stamped in the future, applied with a TTL. */
const MAX_CLOCK_SKEW_SECONDS = 60;

/** The token is malformed, was altered, was made under another key, or is too old. */
export class InvalidToken extends Error {
  constructor(message = 'Invalid Fernet token') {
    super(message);
    this.name = 'InvalidToken';
  }
}

/** What a valid token carries: the message and the creation time stamped into it. */
export interface FernetMessage {
  plaintext: Buffer;
  /** Whole seconds, as the format records them; Keystone reports it as `issued_at`. */
  issuedAt: Date;
}

export interface EncryptOptions {
  /** Creation time to stamp; the clock by default. Fixed only to reproduce spec vectors. */
  now?: Date;
  /** 16-byte IV; random by default. Fixed only to reproduce spec vectors: reuse breaks CBC. */
  iv?: Uint8Array;
}

export interface DecryptOptions {
  /** Reject tokens older than this. Keystone passes none: its payload carries the expiry. */
  ttlSeconds?: number;
  /** The time the TTL is measured against; the clock by default. */
  now?: Date;
}

/** A new random key in the spec's form (44 characters, padded), as `keystone-manage` writes them. */
export function generateFernetKey(): string {
  return encodeBase64Url(randomBytes(32));
}

/**
 * Decodes base64url strictly: the spec calls invalid base64 invalid, while
 * Node's decoder skips unknown characters. Only the canonical spelling of a
 * byte string is accepted, so one token has exactly one text form.
 */
export function decodeBase64Url(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return undefined;
  const body = text.replace(/=+$/, '');
  const bytes = Buffer.from(body, 'base64url');
  return bytes.toString('base64url') === body ? bytes : undefined;
}

/** base64url with the `=` padding the spec (and Python's encoder) keeps; Node's 'base64url' drops it. */
export function encodeBase64Url(bytes: Uint8Array): string {
  const body = Buffer.from(bytes).toString('base64url');
  return body + '='.repeat((4 - (body.length % 4)) % 4);
}

/** One key: encrypts and decrypts tokens under it. */
export class Fernet {
  readonly #signingKey: Buffer;
  readonly #encryptionKey: Buffer;

  /** @throws RangeError if `key` is not the base64url form of 32 bytes. */
  constructor(key: string) {
    const bytes = decodeBase64Url(key);
    if (bytes === undefined || bytes.length !== 32) {
      throw new RangeError('A Fernet key must be 32 bytes in padded base64url (44 characters)');
    }
    this.#signingKey = bytes.subarray(0, 16);
    this.#encryptionKey = bytes.subarray(16);
  }

  encrypt(plaintext: Uint8Array, options: EncryptOptions = {}): string {
    const iv = options.iv ?? randomBytes(16);
    if (iv.length !== 16) throw new RangeError('A Fernet IV must be 16 bytes');
    const seconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const header = Buffer.alloc(HEADER_BYTES);
    header[0] = VERSION;
    header.writeBigUInt64BE(BigInt(seconds), 1);
    header.set(iv, 9);
    const cipher = createCipheriv('aes-128-cbc', this.#encryptionKey, iv);
    const signed = Buffer.concat([header, cipher.update(plaintext), cipher.final()]);
    return encodeBase64Url(Buffer.concat([signed, this.#mac(signed)]));
  }

  /** Verifies, in the spec's order (version, age, HMAC, padding), then decrypts. */
  decrypt(token: string, options: DecryptOptions = {}): FernetMessage {
    const bytes = decodeBase64Url(token);
    const cipherBytes = bytes === undefined ? -1 : bytes.length - HEADER_BYTES - HMAC_BYTES;
    if (bytes === undefined || bytes[0] !== VERSION || cipherBytes < BLOCK_BYTES || cipherBytes % BLOCK_BYTES !== 0) {
      throw new InvalidToken();
    }
    const seconds = Number(bytes.readBigUInt64BE(1));
    if (options.ttlSeconds !== undefined) {
      const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
      if (seconds + options.ttlSeconds < now || now + MAX_CLOCK_SKEW_SECONDS < seconds) throw new InvalidToken();
    }
    const signed = bytes.subarray(0, bytes.length - HMAC_BYTES);
    if (!timingSafeEqual(this.#mac(signed), bytes.subarray(signed.length))) throw new InvalidToken();
    const decipher = createDecipheriv('aes-128-cbc', this.#encryptionKey, bytes.subarray(9, HEADER_BYTES));
    try {
      const plaintext = Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES, signed.length)), decipher.final()]);
      return { plaintext, issuedAt: new Date(seconds * 1000) };
    } catch {
      throw new InvalidToken();
    }
  }

  #mac(data: Uint8Array): Buffer {
    return createHmac('sha256', this.#signingKey).update(data).digest();
  }
}

/** A decrypted token and which key (index into the key list) opened it. */
export interface MultiFernetMessage extends FernetMessage {
  keyIndex: number;
}

/**
 * Several keys, as pyca's `MultiFernet`: encrypts under the first (primary),
 * decrypts under any, so keys can rotate without invalidating live tokens.
 */
export class MultiFernet {
  readonly #keys: Fernet[];

  /** @throws RangeError if `keys` is empty or holds a malformed key. */
  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new RangeError('MultiFernet needs at least one key');
    this.#keys = keys.map((key) => new Fernet(key));
  }

  encrypt(plaintext: Uint8Array, options: EncryptOptions = {}): string {
    return this.#keys[0]!.encrypt(plaintext, options);
  }

  decrypt(token: string, options: DecryptOptions = {}): MultiFernetMessage {
    for (const [keyIndex, key] of this.#keys.entries()) {
      try {
        return { ...key.decrypt(token, options), keyIndex };
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
      }
    }
    throw new InvalidToken();
  }
}

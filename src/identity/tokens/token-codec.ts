/**
 * Issues and opens Keystone-format Fernet tokens: a packed payload, encrypted
 * under the key repository's primary key, with the `=` padding stripped as
 * Keystone strips it (padding is not URL-safe). Tokens are not stored
 * anywhere; whoever holds the keys can open them, which is what lets several
 * API processes and hosts share one key repository.
 *
 * Keys are cached, not read per request as Keystone does. The cache is
 * checked against the repository's change stamp whenever its answer could be
 * stale, so a rotation from another process (`nimbus manage fernet-rotate`)
 * takes effect without a restart:
 * - before issuing, so we never keep encrypting with a demoted primary that a
 *   later rotation would purge;
 * - when a token fails under every known key (it may use a key we have not
 *   loaded);
 * - when a token opened under a key other than our primary (that key may
 *   since have been purged);
 * - otherwise at most every `recheckIntervalMs`, so that a process that only
 *   validates stops accepting its cached primary soon after a purge.
 * Keystone caches validated tokens for minutes; a second of staleness costs
 * less than a `stat` and `readdir` per request.
 */
import { InvalidToken, MultiFernet, type MultiFernetMessage } from './fernet.js';
import type { KeyRepository } from './key-repository.js';
import { newAuditId, packPayload, unpackPayload, type TokenPayload } from './token-payload.js';
import { currentClock } from '../../core/clock.js';
import { nowMs } from '../../core/time.js';
import { identityErrors } from '../errors.js';

/** An opened token: its payload and the creation time Fernet stamped into it. */
export interface OpenedToken extends TokenPayload {
  /** Whole seconds; Keystone reports it as `issued_at` and revocation events compare against it. */
  issuedAt: Date;
}

export interface TokenCodecOptions {
  /** Longest time a token opened under the primary is trusted without re-checking the repository. Default 1000. */
  recheckIntervalMs?: number;
}

export class TokenCodec {
  readonly #repository: KeyRepository;
  readonly #recheckIntervalMs: number;
  #fernet: MultiFernet;
  #stamp: string;
  #checkedAt: number;
  #generation = 0;

  /** @throws KeysNotFound if the repository holds no key. */
  constructor(repository: KeyRepository, options: TokenCodecOptions = {}) {
    this.#repository = repository;
    this.#recheckIntervalMs = options.recheckIntervalMs ?? 1000;
    [this.#fernet, this.#stamp] = this.#read();
    this.#checkedAt = Date.now();
  }

  /** A new token for `payload`, without padding (Keystone's tokens are 180–250 characters). */
  issue(payload: TokenPayload): string {
    this.#reloadIfChanged();
    // Fernet's timestamp is the token's issued_at: on the cloud's clock, like its expiry.
    return this.#fernet.encrypt(packPayload(payload), { now: currentClock().now() }).replace(/=+$/, '');
  }

  /**
   * The payload of a token this deployment issued and that has not expired.
   * Accepts the token with or without its `=` padding.
   *
   * @throws Unauthorized if the token is malformed, altered, made under a key
   *   the repository no longer holds, of a kind Nimbus does not issue, or expired.
   */
  open(token: string): OpenedToken {
    const message = this.#decrypt(restorePadding(token));
    let payload: TokenPayload;
    try {
      payload = unpackPayload(message.plaintext);
    } catch (error) {
      throw identityErrors.invalidToken(error);
    }
    if (payload.expiresAt.getTime() <= nowMs()) throw identityErrors.invalidToken();
    return { ...payload, issuedAt: message.issuedAt };
  }

  /** A new audit id for a token payload (22 characters of base64url). */
  newAuditId(): string {
    return newAuditId();
  }

  /**
   * Re-reads the key repository now: after an in-place edit of a key file,
   * which the change stamp does not see.
   *
   * @throws KeysNotFound if the repository no longer holds a key; the keys in use stay.
   */
  reload(): void {
    [this.#fernet, this.#stamp] = this.#read();
    this.#checkedAt = Date.now();
    this.#generation += 1;
  }

  /**
   * Bumped at each reload of the keys, so that caches of opened tokens skip
   * Fernet yet drop their entries once a key may have been purged. Re-checks
   * the repository at most every `recheckIntervalMs`, as opening does.
   */
  keysGeneration(): number {
    if (Date.now() - this.#checkedAt >= this.#recheckIntervalMs) this.#reloadIfChanged();
    return this.#generation;
  }

  #decrypt(token: string): MultiFernetMessage {
    let message = this.#tryDecrypt(token);
    const suspect = message === undefined || message.keyIndex !== 0 || Date.now() - this.#checkedAt >= this.#recheckIntervalMs;
    if (suspect && this.#reloadIfChanged()) message = this.#tryDecrypt(token);
    if (message === undefined) throw identityErrors.invalidToken();
    return message;
  }

  #tryDecrypt(token: string): MultiFernetMessage | undefined {
    try {
      return this.#fernet.decrypt(token);
    } catch (error) {
      if (error instanceof InvalidToken) return undefined;
      throw error;
    }
  }

  /** Reloads if the repository changed since the last load; says whether it did. */
  #reloadIfChanged(): boolean {
    this.#checkedAt = Date.now();
    if (this.#repository.changeStamp() === this.#stamp) return false;
    this.reload();
    return true;
  }

  /** Stamp first, then keys: a change made during the read shows as a new stamp next time. */
  #read(): [MultiFernet, string] {
    const stamp = this.#repository.changeStamp();
    return [new MultiFernet(this.#repository.load()), stamp];
  }
}

/** Re-inflates the padding Keystone strips: a base64 text's length is a multiple of 4. */
function restorePadding(token: string): string {
  return token + '='.repeat((4 - (token.length % 4)) % 4);
}

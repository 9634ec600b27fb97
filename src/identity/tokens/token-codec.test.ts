import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Unauthorized } from '../../core/errors.js';
import { Fernet, generateFernetKey } from './fernet.js';
import { KeyRepository } from './key-repository.js';
import { TokenCodec } from './token-codec.js';
import type { TokenPayload } from './token-payload.js';

const HEX = (seed: string): string => seed.repeat(32 / seed.length);
const inAnHour = (): Date => new Date(Date.now() + 3600_000);

describe('TokenCodec', () => {
  let root: string;
  let repository: KeyRepository;
  let codec: TokenCodec;
  let payload: TokenPayload;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nimbus-tokens-'));
    repository = new KeyRepository(join(root, 'keys'));
    repository.setup();
    codec = new TokenCodec(repository);
    payload = {
      userId: HEX('a1'),
      methods: ['password'],
      scope: { kind: 'project', projectId: HEX('b2') },
      expiresAt: inAnHour(),
      auditIds: [codec.newAuditId()],
    };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A second process on the same host: its own repository object and codec. */
  const otherProcess = (): [KeyRepository, TokenCodec] => {
    const other = new KeyRepository(repository.directory);
    return [other, new TokenCodec(other)];
  };

  it('opens what it issues, with the creation time Fernet stamped', () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const opened = codec.open(codec.issue(payload));
    const { issuedAt, ...rest } = opened;
    assert.deepEqual(rest, payload);
    assert.ok(issuedAt.getTime() >= before && issuedAt.getTime() <= Date.now());
  });

  it('issues URL-safe tokens without padding, and opens them padded too', () => {
    const tokens = Array.from({ length: 8 }, () => codec.issue(payload));
    for (const token of tokens) {
      assert.match(token, /^[A-Za-z0-9_-]+$/);
      assert.ok(token.startsWith('gAAAAA'), 'version 0x80 and a 64-bit timestamp');
      const padded = token + '='.repeat((4 - (token.length % 4)) % 4);
      assert.deepEqual(codec.open(padded).userId, payload.userId);
    }
    assert.ok(
      tokens.some((token) => token.length % 4 !== 0),
      'some token must have needed padding',
    );
  });

  it('keeps the largest payload it issues under 255 characters', () => {
    const largest: TokenPayload = {
      ...payload,
      methods: ['password', 'token', 'application_credential'],
      applicationCredentialId: HEX('c3'),
      auditIds: [codec.newAuditId(), codec.newAuditId()],
    };
    const token = codec.issue(largest);
    assert.ok(token.length < 255, `${token.length} characters`);
    assert.ok(codec.issue({ ...payload, scope: { kind: 'domain', domainId: 'default' } }).length < 255);
  });

  it('rejects a token with any character altered', () => {
    const token = codec.issue(payload);
    for (let i = 0; i < token.length; i += 1) {
      const altered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      assert.throws(() => codec.open(altered), Unauthorized, `character ${i}`);
    }
  });

  it('rejects garbage with Unauthorized, never another error', () => {
    for (const junk of ['', 'x', '%%%%', 'gAAAAA', 'a'.repeat(300), `${codec.issue(payload)}===`]) {
      assert.throws(() => codec.open(junk), Unauthorized, JSON.stringify(junk));
    }
  });

  it('rejects a token made under a key this repository never held', () => {
    const strangerRoot = join(root, 'stranger');
    const stranger = new KeyRepository(strangerRoot);
    stranger.setup();
    assert.throws(() => codec.open(new TokenCodec(stranger).issue(payload)), Unauthorized);
  });

  it('rejects a valid Fernet token that holds no payload', () => {
    const primary = repository.load()[0]!;
    const token = new Fernet(primary).encrypt(new TextEncoder().encode('hello')).replace(/=+$/, '');
    assert.throws(
      () => codec.open(token),
      (error: Error) => error instanceof Unauthorized && error.message === 'Invalid or expired token',
    );
  });

  it('rejects an expired token', () => {
    const token = codec.issue({ ...payload, expiresAt: new Date(Date.now() - 1000) });
    assert.throws(() => codec.open(token), Unauthorized);
  });

  it('keeps live tokens valid across a rotation, until their key is purged', () => {
    const first = codec.issue(payload); // under key 1
    repository.rotate(); // keys 2 (was staged), 1, 0
    assert.equal(codec.open(first).userId, payload.userId);
    const second = codec.issue(payload); // under key 2
    repository.rotate(); // keys 3, 2, 0: key 1 purged (maxActiveKeys 3)
    assert.equal(codec.open(second).userId, payload.userId);
    assert.throws(() => codec.open(first), Unauthorized);
  });

  it('keeps a token through two rotations when maxActiveKeys allows', () => {
    const wide = new TokenCodec(new KeyRepository(repository.directory, { maxActiveKeys: 4 }));
    const token = wide.issue(payload);
    const rotator = new KeyRepository(repository.directory, { maxActiveKeys: 4 });
    rotator.rotate();
    rotator.rotate();
    assert.equal(wide.open(token).userId, payload.userId);
  });

  it('sees a rotation made by another process without a restart', () => {
    const [otherRepository, otherCodec] = otherProcess();
    otherRepository.rotate();
    const fromOther = otherCodec.issue(payload); // under the key that was staged: we know it already
    assert.equal(codec.open(fromOther).userId, payload.userId);

    const ours = codec.issue(payload); // we must now encrypt under the new primary too
    const newPrimary = otherRepository.load()[0]!;
    assert.doesNotThrow(() => new Fernet(newPrimary).decrypt(`${ours}${'='.repeat((4 - (ours.length % 4)) % 4)}`));
  });

  it('picks up keys it never loaded when a token fails under the known ones', () => {
    const [otherRepository, otherCodec] = otherProcess();
    otherRepository.rotate();
    otherRepository.rotate(); // primary is now a key our codec has never seen
    assert.equal(codec.open(otherCodec.issue(payload)).userId, payload.userId);
  });

  it('stops accepting a key another process purged, though it was cached as the primary', () => {
    const validator = new TokenCodec(new KeyRepository(repository.directory), { recheckIntervalMs: 0 });
    const token = codec.issue(payload); // under key 1, the primary the validator keeps in memory
    assert.equal(validator.open(token).userId, payload.userId);
    const [otherRepository] = otherProcess();
    otherRepository.rotate();
    otherRepository.rotate();
    assert.throws(() => validator.open(token), Unauthorized);
  });

  it('stops accepting a purged secondary key at once', () => {
    const token = codec.issue(payload); // under key 1
    const [otherRepository, otherCodec] = otherProcess();
    otherRepository.rotate();
    assert.equal(codec.open(otherCodec.issue(payload)).userId, payload.userId); // we now hold 2, 1, 0
    assert.equal(codec.open(token).userId, payload.userId); // 1 is a secondary
    otherRepository.rotate();
    assert.throws(() => codec.open(token), Unauthorized);
  });

  it('bumps its keys generation when another process rotates, so caches of opened tokens drop them', () => {
    const validator = new TokenCodec(new KeyRepository(repository.directory), { recheckIntervalMs: 0 });
    const before = validator.keysGeneration();
    assert.equal(validator.keysGeneration(), before, 'an unchanged repository keeps the generation');
    const [otherRepository] = otherProcess();
    otherRepository.rotate();
    assert.equal(validator.keysGeneration(), before + 1);
  });

  it('reloads on demand after a key file is replaced in place', () => {
    const replacement = generateFernetKey();
    const token = new TokenCodec(withOnlyKey(root, replacement)).issue(payload);
    writeFileSync(join(repository.directory, '1'), replacement); // in place: the stamp cannot see it
    assert.throws(() => codec.open(token), Unauthorized);
    codec.reload();
    assert.equal(codec.open(token).userId, payload.userId);
  });
});

/** A repository elsewhere whose primary is `key`, to make tokens under it. */
function withOnlyKey(root: string, key: string): KeyRepository {
  const repository = new KeyRepository(join(root, 'single'));
  repository.setup();
  writeFileSync(join(repository.directory, '1'), key);
  return repository;
}

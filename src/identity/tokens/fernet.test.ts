import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fernet, InvalidToken, MultiFernet, decodeBase64Url, encodeBase64Url, generateFernetKey } from './fernet.js';

/** The vectors of github.com/fernet/spec (generate.json, verify.json, invalid.json): they prove interop. */
const SECRET = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const SPEC_TOKEN = 'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
const INVALID: ReadonlyArray<{ desc: string; token: string; now: string }> = [
  {
    desc: 'incorrect mac',
    now: '1985-10-26T01:20:01-07:00',
    token: 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==',
  },
  { desc: 'too short', now: '1985-10-26T01:20:01-07:00', token: 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==' },
  {
    desc: 'invalid base64',
    now: '1985-10-26T01:20:01-07:00',
    token: '%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==',
  },
  {
    desc: 'payload size not multiple of block size',
    now: '1985-10-26T01:20:01-07:00',
    token: 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm',
  },
  {
    desc: 'payload padding error',
    now: '1985-10-26T01:20:01-07:00',
    token: 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==',
  },
  {
    desc: 'far-future TS (unacceptable clock skew)',
    now: '1985-10-26T01:20:01-07:00',
    token: 'gAAAAAAdwStRAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAnja1xKYyhd-Y6mSkTOyTGJmw2Xc2a6kBd-iX9b_qXQcw==',
  },
  {
    desc: 'expired TTL',
    now: '1985-10-26T01:21:31-07:00',
    token: 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==',
  },
  {
    desc: 'incorrect IV (causes padding error)',
    now: '1985-10-26T01:20:01-07:00',
    token: 'gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==',
  },
];
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('Fernet spec vectors', () => {
  it('generates the spec token from its key, time and IV', () => {
    const iv = Uint8Array.from({ length: 16 }, (_, i) => i);
    const token = new Fernet(SECRET).encrypt(text('hello'), { now: new Date('1985-10-26T01:20:00-07:00'), iv });
    assert.equal(token, SPEC_TOKEN);
  });

  it('verifies the spec token within its TTL', () => {
    const message = new Fernet(SECRET).decrypt(SPEC_TOKEN, { ttlSeconds: 60, now: new Date('1985-10-26T01:20:01-07:00') });
    assert.equal(message.plaintext.toString('utf8'), 'hello');
    assert.equal(message.issuedAt.toISOString(), '1985-10-26T08:20:00.000Z');
  });

  for (const vector of INVALID) {
    it(`rejects the spec's invalid token: ${vector.desc}`, () => {
      assert.throws(() => new Fernet(SECRET).decrypt(vector.token, { ttlSeconds: 60, now: new Date(vector.now) }), InvalidToken);
    });
  }
});

describe('Fernet', () => {
  const key = generateFernetKey();
  const token = new Fernet(key).encrypt(text('payload'));

  it('makes keys in the spec form: 32 bytes, padded base64url', () => {
    assert.match(key, /^[A-Za-z0-9_-]{43}=$/);
    assert.equal(decodeBase64Url(key)?.length, 32);
  });

  it('rejects a token with any single byte altered', () => {
    const bytes = decodeBase64Url(token)!;
    for (let i = 0; i < bytes.length; i += 1) {
      const altered = Buffer.from(bytes);
      altered[i] = altered[i]! ^ 0x01;
      assert.throws(() => new Fernet(key).decrypt(encodeBase64Url(altered)), InvalidToken, `byte ${i}`);
    }
  });

  it('rejects a token made under another key', () => {
    assert.throws(() => new Fernet(generateFernetKey()).decrypt(token), InvalidToken);
  });

  it('accepts an old token when no TTL is given, as Keystone asks it', () => {
    const old = new Fernet(key).encrypt(text('x'), { now: new Date('2001-01-01T00:00:00Z') });
    assert.equal(new Fernet(key).decrypt(old).plaintext.toString(), 'x');
  });

  it('rejects base64 that is not canonical, unpadded, or has foreign characters', () => {
    const body = token.replace(/=+$/, '');
    assert.notEqual(body, token, 'the sample token needs padding for this test');
    assert.throws(() => new Fernet(key).decrypt(body), InvalidToken);
    assert.throws(() => new Fernet(key).decrypt(` ${token}`), InvalidToken);
    assert.throws(() => new Fernet(key).decrypt(`+${token.slice(1)}`), InvalidToken, 'standard, not URL-safe, alphabet');
    // The last character before '==' carries 4 unused bits: setting one spells the same bytes differently.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const alias = body.slice(0, -1) + alphabet[alphabet.indexOf(body.at(-1)!) ^ 1] + '==';
    assert.deepEqual(Buffer.from(alias, 'base64url'), Buffer.from(token, 'base64url'));
    assert.throws(() => new Fernet(key).decrypt(alias), InvalidToken);
    assert.throws(() => new Fernet(key).decrypt(''), InvalidToken);
  });

  it('refuses malformed keys and IVs', () => {
    assert.throws(() => new Fernet('too-short='), RangeError);
    assert.throws(() => new Fernet(SECRET.slice(0, -1)), RangeError, 'padding is part of the key form');
    assert.throws(() => new Fernet(key).encrypt(text('x'), { iv: new Uint8Array(8) }), RangeError);
  });
});

describe('MultiFernet', () => {
  const [primary, secondary] = [generateFernetKey(), generateFernetKey()];
  const keys = new MultiFernet([primary, secondary]);

  it('encrypts under the primary key', () => {
    assert.equal(new Fernet(primary).decrypt(keys.encrypt(text('a'))).plaintext.toString(), 'a');
  });

  it('decrypts under any key and says which', () => {
    const message = keys.decrypt(new Fernet(secondary).encrypt(text('b')));
    assert.equal(message.plaintext.toString(), 'b');
    assert.equal(message.keyIndex, 1);
  });

  it('rejects a token none of its keys made', () => {
    assert.throws(() => keys.decrypt(new Fernet(generateFernetKey()).encrypt(text('c'))), InvalidToken);
  });

  it('needs at least one key', () => {
    assert.throws(() => new MultiFernet([]), RangeError);
  });
});

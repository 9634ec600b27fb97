import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from '@msgpack/msgpack';
import { MalformedPayload, newAuditId, packPayload, unpackPayload, type TokenPayload } from './token-payload.js';

const USER = '0123456789abcdef0123456789abcdef';
const PROJECT = 'fedcba9876543210fedcba9876543210';
const APP_CRED = 'aaaabbbbccccddddeeeeffff00001111';
const AUDIT = 'AAECAwQFBgcICQoLDA0ODw'; // the bytes 0..15
const EXPIRES = new Date('2030-01-02T03:04:05.678Z');

const base: TokenPayload = {
  userId: USER,
  methods: ['password'],
  scope: { kind: 'unscoped' },
  expiresAt: EXPIRES,
  auditIds: [AUDIT],
};
const roundTrip = (payload: TokenPayload): TokenPayload => unpackPayload(packPayload(payload));
const hex = (...parts: string[]): string => parts.join('');
const float64 = (value: number): string => {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(value);
  return bytes.toString('hex');
};

describe('token payload', () => {
  const cases: Array<[string, TokenPayload]> = [
    ['unscoped', base],
    ['project, hex ids', { ...base, scope: { kind: 'project', projectId: PROJECT } }],
    ['project, string ids', { ...base, userId: 'ldap-user@example', scope: { kind: 'project', projectId: 'Admin-Project' } }],
    ['domain, hex id', { ...base, scope: { kind: 'domain', domainId: PROJECT } }],
    ['domain, the default domain', { ...base, scope: { kind: 'domain', domainId: 'default' } }],
    ['system', { ...base, scope: { kind: 'system' } }],
    ['trust, with its project', { ...base, scope: { kind: 'trust', trustId: APP_CRED, projectId: PROJECT } }],
    ['trust, without a project', { ...base, methods: ['token'], scope: { kind: 'trust', trustId: APP_CRED, projectId: null } }],
    [
      'application credential',
      {
        ...base,
        methods: ['application_credential'],
        scope: { kind: 'project', projectId: PROJECT },
        applicationCredentialId: APP_CRED,
      },
    ],
    [
      'application credential, string ids',
      {
        ...base,
        methods: ['application_credential'],
        scope: { kind: 'project', projectId: 'p1' },
        applicationCredentialId: 'ac-1',
      },
    ],
    ['OAuth1 access token', { ...base, methods: ['oauth1'], scope: { kind: 'project', projectId: PROJECT }, accessTokenId: APP_CRED }],
    ['rescoped (two audit ids)', { ...base, methods: ['token'], auditIds: [newAuditId(), AUDIT] }],
    ['uppercase hex stays as written', { ...base, userId: USER.toUpperCase() }],
  ];
  for (const [name, payload] of cases) {
    it(`round-trips: ${name}`, () => assert.deepEqual(roundTrip(payload), payload));
  }

  it('packs a project token byte for byte as Keystone does', () => {
    const payload: TokenPayload = { ...base, scope: { kind: 'project', projectId: PROJECT } };
    const expected = hex(
      '96',
      '02', // array of 6; version 2 (project scoped)
      '92c3c410',
      USER, // [true, bin 16]
      '02', // methods: password
      '92c3c410',
      PROJECT,
      'cb',
      float64(EXPIRES.getTime() / 1000),
      '91c410',
      '000102030405060708090a0b0c0d0e0f', // [audit id as bin 16]
    );
    assert.equal(Buffer.from(packPayload(payload)).toString('hex'), expected);
  });

  it("packs a trust token as Keystone's TrustScopedPayload: the project, then the trust id as bare bytes", () => {
    const payload: TokenPayload = { ...base, scope: { kind: 'trust', trustId: APP_CRED, projectId: PROJECT } };
    const expected = hex(
      '97',
      '03', // array of 7; version 3 (trust scoped)
      '92c3c410',
      USER,
      '02',
      '92c3c410',
      PROJECT,
      'cb',
      float64(EXPIRES.getTime() / 1000),
      '91c410',
      '000102030405060708090a0b0c0d0e0f',
      'c410',
      APP_CRED, // the trust id: bin 16, not [bool, id]
    );
    assert.equal(Buffer.from(packPayload(payload)).toString('hex'), expected);
  });

  it("packs an OAuth1 token as Keystone's OauthScopedPayload: the project, then the access token, then the expiry", () => {
    const payload: TokenPayload = { ...base, methods: ['oauth1'], scope: { kind: 'project', projectId: PROJECT }, accessTokenId: APP_CRED };
    const expected = hex(
      '97',
      '07', // array of 7; version 7 (OAuth scoped)
      '92c3c410',
      USER,
      '08', // methods: oauth1
      '92c3c410',
      PROJECT,
      '92c3c410',
      APP_CRED, // the access token id: [true, bin 16]
      'cb',
      float64(EXPIRES.getTime() / 1000),
      '91c410',
      '000102030405060708090a0b0c0d0e0f',
    );
    assert.equal(Buffer.from(packPayload(payload)).toString('hex'), expected);
  });

  it('packs string ids as [false, str], the default domain as a bare str, system as "all"', () => {
    const project = packPayload({ ...base, userId: 'u1', scope: { kind: 'project', projectId: PROJECT } });
    assert.equal(Buffer.from(project).toString('hex').slice(0, 14), hex('96', '02', '92c2a2', Buffer.from('u1').toString('hex')));
    const domain = Buffer.from(packPayload({ ...base, scope: { kind: 'domain', domainId: 'default' } })).toString('hex');
    assert.ok(domain.includes(hex('02', 'a7', Buffer.from('default').toString('hex'), 'cb')));
    const system = Buffer.from(packPayload({ ...base, scope: { kind: 'system' } })).toString('hex');
    assert.ok(system.startsWith('9608') && system.includes(hex('02', 'a3', Buffer.from('all').toString('hex'), 'cb')));
  });

  it('packs expires_at as a float64 even on a whole second', () => {
    const whole = new Date('2030-01-01T00:00:00Z');
    const packed = Buffer.from(packPayload({ ...base, expiresAt: whole })).toString('hex');
    assert.ok(packed.includes(`cb${float64(whole.getTime() / 1000)}`));
  });

  it('reads Keystone microsecond expiries to the millisecond, and integer ones', () => {
    const keystone = (expires: number): Uint8Array => encode([0, [true, Buffer.from(USER, 'hex')], 2, expires, [Buffer.from(AUDIT, 'base64url')]]);
    assert.equal(unpackPayload(keystone(1893553445.678901)).expiresAt.toISOString(), '2030-01-02T03:04:05.679Z');
    assert.equal(unpackPayload(keystone(1893553445)).expiresAt.toISOString(), '2030-01-02T03:04:05.000Z');
  });

  it('returns methods in Keystone order, highest bit first', () => {
    assert.deepEqual(roundTrip({ ...base, methods: ['password', 'token'] }).methods, ['token', 'password']);
  });

  it('makes 22-character audit ids of 16 random bytes', () => {
    const id = newAuditId();
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(newAuditId(), id);
  });

  it('refuses payloads no token can carry', () => {
    const bad: TokenPayload[] = [
      { ...base, methods: [] },
      { ...base, userId: '' },
      { ...base, auditIds: [] },
      { ...base, auditIds: [AUDIT, AUDIT, AUDIT] },
      { ...base, auditIds: ['short'] },
      { ...base, auditIds: ['AAECAwQFBgcICQoLDA0ODx'] }, // unused trailing bits set: not canonical
      { ...base, applicationCredentialId: APP_CRED },
      { ...base, expiresAt: new Date(Number.NaN) },
    ];
    for (const payload of bad) assert.throws(() => packPayload(payload), TypeError, JSON.stringify(payload));
  });

  it('rejects payloads it cannot read', () => {
    const user = [true, Buffer.from(USER, 'hex')];
    const audit = [Buffer.from(AUDIT, 'base64url')];
    const bad: Array<[string, Uint8Array]> = [
      ['not msgpack', Uint8Array.of(0xc1)],
      ['trailing bytes', Uint8Array.of(0x90, 0x00)],
      ['not an array', encode({ version: 0 })],
      ['trust id of 15 bytes', encode([3, user, 2, user, 1.5e9, audit, Buffer.alloc(15)])],
      ['trust id as text', encode([3, user, 2, user, 1.5e9, audit, 'some-trust'])],
      ['federated (version 4)', encode([4, user, 16, 1.5e9, audit, [], 'idp', 'saml2'])],
      ['too few fields', encode([2, user, 2, 1.5e9, audit])],
      ['OAuth1 without its access token', encode([7, user, 8, user, 1.5e9, audit])],
      ['external method', encode([0, user, 1, 1.5e9, audit])],
      ['no method', encode([0, user, 0, 1.5e9, audit])],
      ['huge methods', encode([0, user, 2 ** 33 + 2, 1.5e9, audit])],
      ['system scope other than all', encode([8, user, 2, 'some', 1.5e9, audit])],
      ['user id of 15 bytes', encode([0, [true, Buffer.alloc(15)], 2, 1.5e9, audit])],
      ['expiry as text', encode([0, user, 2, '2030-01-01', audit])],
      ['audit id of 8 bytes', encode([0, user, 2, 1.5e9, [Buffer.alloc(8)]])],
    ];
    for (const [name, bytes] of bad) assert.throws(() => unpackPayload(bytes), MalformedPayload, name);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizationParams, OAuthRequestError, readOAuthRequest, signatureBaseString, signatureValid, type OAuthRequest } from './oauth1-signature.js';

/** RFC 5849 section 1.2's signed request for a photo, with its secrets and signature. */
const RFC = {
  request: {
    method: 'GET',
    url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
    authorization:
      'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"',
  },
  clientSecret: 'kd94hf93k423kf44',
  tokenSecret: 'pfkkdhi9sl3r4s00',
};

/** The RFC's request as readOAuthRequest would give it (its key, nonce and timestamp fail Keystone's format checks). */
function rfcRequest(): OAuthRequest {
  const header = authorizationParams(RFC.request.authorization) ?? [];
  const all = [...new URL(RFC.request.url).searchParams.entries(), ...header];
  return {
    oauth: Object.fromEntries(all.filter(([k]) => k.startsWith('oauth_'))),
    signed: all.filter(([k]) => k !== 'oauth_signature' && k !== 'realm'),
    realm: 'Photos',
    request: RFC.request,
  };
}

describe('OAuth1 signatures (RFC 5849)', () => {
  it("builds the RFC's signature base string and accepts its HMAC-SHA1 signature", () => {
    assert.equal(
      signatureBaseString(rfcRequest()),
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal',
    );
    assert.equal(signatureValid(rfcRequest(), RFC.clientSecret, RFC.tokenSecret), true);
    assert.equal(signatureValid(rfcRequest(), RFC.clientSecret, 'other'), false);
    assert.equal(signatureValid({ ...rfcRequest(), request: { ...RFC.request, method: 'POST' } }, RFC.clientSecret, RFC.tokenSecret), false);
  });

  it('reads quoted header values with commas and percent-escapes; refuses what is not OAuth', () => {
    assert.deepEqual(authorizationParams('OAuth a="x%2Cy, z", b="%7E"'), [
      ['a', 'x,y, z'],
      ['b', '~'],
    ]);
    assert.equal(authorizationParams('Bearer abc'), null);
    assert.throws(() => authorizationParams('OAuth novalue'), OAuthRequestError);
  });

  it("makes oauthlib's format checks, with its words", () => {
    const now = 1_800_000_000_000;
    const header = (fields: Record<string, string>) => ({
      method: 'POST',
      url: 'http://h/v3/x',
      authorization: `OAuth ${Object.entries({
        oauth_consumer_key: 'a'.repeat(32),
        oauth_nonce: '123',
        oauth_timestamp: '1800000000',
        oauth_signature_method: 'HMAC-SHA1',
        oauth_signature: 's',
        ...fields,
      })
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}`,
    });
    const refusal = (fields: Record<string, string>) => {
      try {
        readOAuthRequest(header(fields), now);
        return 'accepted';
      } catch (error) {
        return (error as OAuthRequestError).description;
      }
    };
    assert.equal(refusal({}), 'accepted');
    assert.equal(refusal({ oauth_nonce: '' }), 'Missing mandatory OAuth parameters.');
    assert.match(refusal({ oauth_signature_method: 'MD5' }), /^Invalid signature, MD5 not in \['HMAC-SHA1'/);
    assert.equal(refusal({ oauth_version: '2.0' }), 'Invalid OAuth version.');
    assert.equal(refusal({ oauth_timestamp: '180000000' }), 'Invalid timestamp size');
    assert.equal(refusal({ oauth_timestamp: '1800000601' }), 'Timestamp given is invalid, differ from allowed by over 600 seconds.');
    assert.equal(refusal({ oauth_consumer_key: 'key' }), 'Invalid client key format.');
    assert.equal(refusal({ oauth_nonce: 'chapoH' }), 'Invalid nonce format.');
    const duplicate = { ...header({}), url: 'http://h/v3/x?oauth_nonce=1' };
    assert.throws(() => readOAuthRequest(duplicate, now), /Duplicate OAuth1 entries/);
  });
});

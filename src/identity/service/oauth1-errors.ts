/** Keystone's OS-OAUTH1 refusals, worded as keystone/api/os_oauth1.py and the oauth1 auth plugin word them. */
import { BadRequest, Forbidden, NotFound, Unauthorized } from '../../core/errors.js';

export const oauth1Errors = {
  // 400
  /** Keystone answers 500 (OAuthHeadersMissingError); a missing header is the client's error, so 400 with its words. */
  headersMissing: () =>
    new BadRequest(
      'No Authorization headers found, cannot proceed with OAuth related calls. If running under HTTPd or Apache, ensure WSGIPassAuthorization is set to On.',
    ),
  /** oauthlib's error for a malformed signed request, as keystone.oauth1.core.validate_oauth_params reports it. */
  validationFailed: (error: string, description: string) => new BadRequest(`Validation failed with errors: ${error}, detail message is: ${description}.`),

  // 401
  invalidSignature: () => new Unauthorized('Invalid signature'),
  requestTokenExpired: () => new Unauthorized('Request token is expired'),
  accessTokenExpired: () => new Unauthorized('Access token is expired'),
  consumerMissing: () => new Unauthorized('Provided consumer does not exist.'),
  consumerMismatch: () => new Unauthorized('Provided consumer key does not match stored consumer key.'),
  verifierMismatch: () => new Unauthorized('Provided verifier does not match stored verifier'),
  notAuthorized: () => new Unauthorized('Request Token does not have an authorizing user id.'),
  roleNotHeld: () => new Unauthorized('authorizing user does not have role required'),
  accessTokenInvalid: () => new Unauthorized('Could not validate the access token'),
  userIdsDiffer: () => new Unauthorized('User IDs do not match'),

  // 403
  delegatedAuthorize: () => new Forbidden('Cannot authorize a request token with a token issued via delegation.'),
  delegatedManage: () => new Forbidden('Cannot manage OAuth access tokens with a token issued via delegation.'),
  oauthRescope: () =>
    new Forbidden(
      'You are not authorized to perform the requested action: Using OAuth-scoped token to create another token. Create a new OAuth-scoped token instead.',
    ),

  // 404
  requestTokenNotFound: () => new NotFound('Request token not found'),
  accessTokenNotFound: () => new NotFound('Access token not found'),
  /** keystone.exception.NotFound without a message. */
  notFound: () => new NotFound('Could not find the requested resource.'),
  roleNotFound: (id: string) => new NotFound(`Could not find role: ${id}.`),
};

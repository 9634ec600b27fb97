/** Keystone's error body: {"error": {"code", "title", "message"}}. */
import { STATUS_CODES } from 'node:http';
import { BadRequest, Conflict, Forbidden, NotFound, Unauthorized, type NimbusError } from '../core/errors.js';

export function renderKeystoneError(error: NimbusError, status: number): unknown {
  return { error: { code: status, title: STATUS_CODES[status] ?? 'Error', message: error.message } };
}

/** How Keystone's validation errors end (ValidationError and its kin). */
const CLIENT_IS_IN_ERROR =
  'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

/** keystone.exception.Unauthorized's default message. */
const AUTH_REQUIRED = 'The request you have made requires authentication.';

/**
 * The errors the identity service raises, with Keystone's messages (clients
 * and Tempest match some of them): one place to read what a caller may be
 * told. Grouped by status; each name says what went wrong.
 */
export const identityErrors = {
  // 400
  /** Keystone's ValidationError: a missing part of a request, or a referenced thing that does not exist. */
  expectingToFind: (attribute: string, target: string) => new BadRequest(`Expecting to find ${attribute} in ${target}. ${CLIENT_IS_IN_ERROR}`),
  /** A thing a request refers to (a domain, a parent project) does not exist: Keystone answers 400, not 404. */
  referenceNotFound: (kind: string, id: string) => new BadRequest(`Could not find ${kind}: ${id}.`),
  notAString: (field: string) => new BadRequest(`Invalid input for field '${field}': it is not of type 'string'.`),
  idOrNameRequired: (field: string) => new BadRequest(`Invalid input for field ${field}: id or name must be present.`),
  hierarchyListAndIds: (side: 'parents' | 'subtree') => new BadRequest(`Cannot use ${side}_as_list and ${side}_as_ids query params at the same time.`),
  booleanQuery: (name: string, value: unknown) => new BadRequest(`Invalid value for ${name}: expected a boolean, got ${JSON.stringify(value)}.`),
  regionIdMismatch: (pathId: string, bodyId: string) => new BadRequest(`Conflicting region IDs specified: "${pathId}" != "${bodyId}"`),
  idImmutable: () => new BadRequest('Cannot change ID'),
  userIdImmutable: () => new BadRequest('Cannot change user ID.'),
  domainIdImmutable: () => new BadRequest('Cannot change Domain ID.'),
  userDomainImmutable: () => new BadRequest('Cannot change Domain ID of a user.'),
  groupDomainImmutable: () => new BadRequest('Cannot change the domain of a group.'),
  roleDomainImmutable: () => new BadRequest('Cannot change the domain of a role.'),
  projectDomainImmutable: () => new BadRequest('Cannot update domain_id of a project that has children.'),
  isDomainImmutable: () => new BadRequest('Update of `is_domain` is not allowed.'),
  parentDomainMismatch: (parentId: string, domainId: string) =>
    new BadRequest(
      `Cannot create project, the parent (${parentId}) is acting as a domain, but this project's domain id (${domainId}) does not match the parent's id.`,
    ),
  domainProjectNotRoot: () => new BadRequest('only root projects are allowed to act as domains.'),
  parentInOtherDomain: () => new BadRequest('Cannot create project, the parent and the project must be in the same domain.'),
  tagsNotList: () => new BadRequest("Invalid input for field 'tags': must be a list of strings."),
  tooManyTags: (max: number) => new BadRequest(`Invalid input for field 'tags': at most ${max} tags are allowed.`),
  invalidTag: (tag: unknown) => new BadRequest(`Invalid input for field 'tags': ${JSON.stringify(tag)} is not a valid tag (1-255 characters, no ',' or '/').`),
  optionsNotObject: () => new BadRequest("Invalid input for field 'options': must be an object."),
  unknownOption: (key: string) => new BadRequest(`Invalid input for field 'options': unknown option ${key}.`),
  immutableOptionNotBoolean: () => new BadRequest("Invalid input for field 'options.immutable': must be a boolean."),
  passwordNotString: () => new BadRequest('Password validation error: password must be a string.'),
  passwordRequirements: (detail: string) => new BadRequest(`The password does not meet the requirements: ${detail}.`),
  passwordReused: (count: number) =>
    new BadRequest(`The new password cannot be identical to a previous password. The total number which includes the new password must be unique is ${count}.`),
  passwordTooYoung: (days: number, daysLeft: number) =>
    new BadRequest(
      `You cannot change your password at this time due to the minimum password age. Once you change your password, it must be used for ${days} day(s) before it can be changed. Please try again in ${daysLeft} day(s) or contact your administrator to reset your password.`,
    ),
  passwordLocked: (userId: string) => new BadRequest(`You are not allowed to change the password of user ${userId}: the password is locked.`),
  ec2NeedsProject: () => new BadRequest("Invalid input for field 'credential': 'project_id' is a required property for type ec2."),
  credentialFieldImmutable: (field: string) => new BadRequest(`${field} can not be updated for credential`),
  invalidBlob: () => new BadRequest('Invalid blob in credential'),
  limitTarget: () => new BadRequest("Invalid input for field 'limits': a limit names exactly one of project_id and domain_id."),
  circularRegion: (parentId: string) => new BadRequest(`The specified parent region ${parentId} would create a circular region hierarchy.`),
  invalidInterface: (value: unknown) =>
    new BadRequest(`Invalid input for field 'interface': ${JSON.stringify(value)} is not one of ['admin', 'internal', 'public'].`),
  invalidEndpointUrl: (url: string) => new BadRequest(`Cannot create an endpoint with an invalid URL: ${url}.`),
  appCredentialNeedsProjectScope: () =>
    new BadRequest('Invalid application credential: an application credential can only be created with a project-scoped token.'),
  accessRulesUnsupported: () =>
    new BadRequest('Invalid application credential: access rules are not supported; create the application credential without access_rules.'),
  unassignedRole: () => new BadRequest('Invalid application credential: Cannot create an application credential with unassigned role'),
  roleNotHeld: (roleId: string, userId: string, projectId: string) =>
    new BadRequest(
      `Invalid application credential: Could not find role assignment with role: ${roleId}, user or group: ${userId}, project, domain, or system: ${projectId}.`,
    ),
  timestampFormat: () => new BadRequest(`Timestamp not in expected format. ${CLIENT_IS_IN_ERROR}`),
  remainingUses: (reason: string) => new BadRequest(reason),
  invalidMappingId: (id: string) => new BadRequest(`Invalid mapping id: ${id}`),
  expiresInPast: () => new BadRequest(`The 'expires_at' must not be before now. ${CLIENT_IS_IN_ERROR}`),

  // 401
  /** A trust scope naming a trust that does not exist (any more): Keystone turns its TrustNotFound into a 401 at auth. */
  trustNotFound: (id: string) => new Unauthorized(`Could not find trust: ${id}.`),
  authRequired: (cause?: unknown) => new Unauthorized(AUTH_REQUIRED, cause === undefined ? {} : { cause }),
  unsupportedMethod: () => new Unauthorized('Attempted to authenticate with an unsupported method.'),
  expectingInIdentity: (method: string) => new Unauthorized(`Expecting to find ${method} in identity.`),
  passwordExpired: (userId: string) => new Unauthorized(`The password is expired and needs to be changed for user: ${userId}.`),
  accountLocked: (userId: string) => new Unauthorized(`The account is locked for user: ${userId}.`),
  accountDisabled: (userId: string) => new Unauthorized(`The account is disabled for user: ${userId}.`),
  /** A scope that names a project or domain that does not exist: 401 at authentication. */
  scopeNotFound: (kind: 'project' | 'domain', id: string) => new Unauthorized(`Could not find ${kind}: ${id}.`),
  projectDisabled: (id: string) => new Unauthorized(`Project ${id} is disabled or its domain is.`),
  domainDisabled: (id: string) => new Unauthorized(`Domain ${id} is disabled.`),
  systemScopeAllOnly: () => new Unauthorized('Only the system scope "all" exists.'),
  appCredentialScope: () => new Unauthorized('Application credentials cannot request a scope.'),
  ec2KeyNotFound: () => new Unauthorized('EC2 access key not found.'),
  invalidToken: (cause?: unknown) => new Unauthorized('Invalid or expired token', cause === undefined ? {} : { cause }),
  noAccess: (userId: string, target: string) => new Unauthorized(`User ${userId} has no access to ${target}.`),
  /** A token that does not validate: 404 when it is the subject of a token request, 401 when it authenticates one. */
  tokenRefused: (asSubject: boolean, message: string) => (asSubject ? new NotFound(message) : new Unauthorized(message)),

  // 403
  /** oslo.policy's PolicyNotAuthorized as Keystone words it (also for Keystone's own refusals in that form). */
  notAuthorized: (rule: string) => new Forbidden(`You are not authorized to perform the requested action: ${rule}.`),
  catalogNeedsProject: () => new Forbidden('A project-scoped token is required to produce a service catalog.'),
  rescopeRefused: () => new Forbidden('Rescoping a scoped token is not allowed.'),
  appCredentialsThroughDelegation: () => new Forbidden('Cannot manage application credentials with a token issued via delegation.'),
  appCredentialTokenMethod: () => new Forbidden('Application credentials cannot request a new token with the token method.'),
  trustScopedRescope: () =>
    new Forbidden(
      'You are not authorized to perform the requested action: Using trust-scoped token to create another token. Create a new trust-scoped token instead.',
    ),
  notTrustee: () => new Forbidden('User is not a trustee.'),
  trustorDisabled: () => new Forbidden('Trustor is disabled.'),
  noDelegatedRoles: () => new Forbidden('Trustee has no delegated roles.'),
  /** keystone/trust/core.py's refusals of a redelegation, worded as it words them. */
  redelegation: (reason: string) => new Forbidden(reason),
  domainEnabled: () => new Forbidden('Cannot delete a domain that is enabled, please disable it first.'),
  maxDepth: (parentId: string) => new Forbidden(`Max hierarchy depth reached for ${parentId} branch.`),
  parentIdImmutable: () => new Forbidden('Update of `parent_id` is not allowed.'),
  projectNotLeaf: (id: string) =>
    new Forbidden(`Cannot delete the project ${id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`),
  roleImmutable: (id: string) => new Forbidden(`Role ${id} is immutable; remove the immutable option before changing it.`),
  roleImmutableDelete: (id: string) => new Forbidden(`Role ${id} is immutable and cannot be deleted.`),
  domainRoleImplied: (id: string) => new Forbidden(`Domain specific roles are not supported as the implied role: ${id}.`),
  impliedRoleCycle: (priorId: string, impliedId: string) => new Forbidden(`Creating the implied role ${priorId} -> ${impliedId} would make a cycle.`),
  regionHasEndpoints: (id: string) => new Forbidden(`Unable to delete region ${id} because it or its child regions have associated endpoints.`),
  limitWithoutRegistered: () => new Forbidden('Unable to create a limit that has no corresponding registered limit.'),
  registeredLimitInUse: (id: string) => new Forbidden(`Unable to update or delete registered limit ${id} because there are project limits associated with it.`),

  // 404
  /** keystone.exception.NotFound's wording, `Could not find <kind>: <id or name>.` */
  notFound: (kind: string, id: string) => new NotFound(`Could not find ${kind}: ${id}.`),
  /** keystone.exception.NotFound raised with its own message. */
  notFoundMessage: (message: string) => new NotFound(message),
  protocolNotFound: (idpId: string, id: string) => new NotFound(`Could not find federated protocol ${id} for Identity Provider: ${idpId}.`),
  limitNotFound: (id: string) => new NotFound(`Could not find limit for ${id}.`),
  registeredLimitNotFound: (id: string) => new NotFound(`Could not find registered limit for ${id}.`),
  tagNotFound: (tag: string, projectId: string) => new NotFound(`Tag ${tag} not found for project ${projectId}.`),
  userNotInGroup: (userId: string, groupId: string) => new NotFound(`User '${userId}' not found in group '${groupId}'.`),
  noImplication: (priorId: string, impliedId: string) => new NotFound(`${priorId} does not imply ${impliedId}.`),
  assignmentNotFound: (roleId: string, actor: string, actorId: string, target: string) =>
    new NotFound(`Could not find role assignment with role: ${roleId}, ${actor}: ${actorId}, ${target}.`),

  // 409
  /** keystone.exception.Conflict: `Conflict occurred attempting to <store|update> <type> - <details>.` */
  conflict: (action: 'store' | 'update', type: string, details: string) => new Conflict(`Conflict occurred attempting to ${action} ${type} - ${details}.`),
  /** A name lookup that matched several (openstackclient's wording). */
  ambiguousName: (kind: string, name: string) => new Conflict(`More than one ${kind} exists with the name '${name}'.`),
} as const;

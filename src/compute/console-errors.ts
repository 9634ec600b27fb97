/** Nova's refusals of remote consoles (nova/exception.py), with its statuses and messages. */
import { BadRequest, Conflict, NotFound, Unauthorized } from '../core/errors.js';

export const consoleErrors = {
  /** ConsoleTypeUnavailable: the protocol is disabled on the compute host ([vnc] enabled = False, ...). */
  typeUnavailable: (type: string) => new BadRequest(`Unavailable console type ${type}.`),
  /** ConsoleTypeInvalid: a type the protocol does not have (`serial` over vnc, the retired `xvpvnc`). */
  typeInvalid: (type: string) => new BadRequest(`Invalid console type ${type}`),
  /** InstanceNotReady: no host yet, or not ACTIVE. */
  notReady: (serverId: string) => new Conflict(`Instance ${serverId} is not ready`),
  /** os-console-auth-tokens: no such token, or expired. */
  tokenNotFound: () => new NotFound('Token not found'),
  /** os-console-auth-tokens before 2.31, for a token of another type than rdp-html5. */
  tokenNotAccessible: () => new Unauthorized('The requested console type details are not accessible'),
  /** The proxies' InvalidToken. */
  invalidToken: (token: string) => new Unauthorized(`The token '${token}' is invalid or has expired`),
};

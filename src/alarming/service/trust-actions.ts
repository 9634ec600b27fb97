/**
 * `trust+http(s)://` alarm actions, as Aodh runs them: the user never writes a
 * trust id; when an alarm gets such an action, Aodh (here through identity's
 * door) makes one Keystone trust from the user to its own `aodh` user and
 * keeps its id in the stored URL (`trust+http://<trust id>:delete@host/...`:
 * `:delete` marks the trust the alarm made and deletes with it). Responses
 * show the URL without it. The notifier gets a trust-scoped token through the
 * trust and calls the plain URL with it, as the user, long after their token
 * expired.
 */
import type { CallerContext } from '../../core/context.js';
import type { TrustOperations } from '../../identity/operations.js';
import { BadRequest } from '../../core/errors.js';
import type { Alarm } from '../store/index.js';

/** The service user trusts are made out to (Aodh's service credentials). */
export const TRUSTEE_SERVICE = 'aodh';

type ActionLists = Pick<Alarm, 'okActions' | 'alarmActions' | 'insufficientDataActions'>;

export function isTrustAction(action: string): boolean {
  return action.startsWith('trust+');
}

/** A trust action as the user gave it must not name a trust: one given by hand could be anyone's (CVE-2017-12440). */
export function checkTrustAction(action: string): void {
  if (isTrustAction(action) && authority(action).includes('@')) throw new BadRequest('trust URL cannot contain a trust ID.');
}

/** The URL's authority as written, credentials included. */
function authority(action: string): string {
  const afterScheme = action.slice(action.indexOf('://') + 3);
  return afterScheme.split(/[/?#]/, 1)[0] ?? '';
}

/** The trust ids an alarm's actions hold that the alarm made (`:delete`). */
export function ownedTrustIds(alarm: ActionLists): string[] {
  const ids = new Set<string>();
  for (const action of allActions(alarm)) {
    if (!isTrustAction(action)) continue;
    const url = new URL(action);
    if (url.username !== '' && url.password === 'delete') ids.add(decodeURIComponent(url.username));
  }
  return [...ids];
}

/** The action without its trust id, as Aodh shows it. */
export function scrubTrustAction(action: string): string {
  if (!isTrustAction(action)) return action;
  const url = new URL(action);
  url.username = '';
  url.password = '';
  return url.toString();
}

/**
 * Gives the new action lists' trust actions a trust: the previous alarm's if
 * it had one, else a new one from the caller; the first use is marked
 * `:delete`. A previous trust no action uses any more is deleted.
 */
export async function bindTrustActions(
  identity: TrustOperations | undefined,
  caller: CallerContext,
  lists: ActionLists,
  previous: ActionLists | null,
): Promise<void> {
  const previousIds = previous ? ownedTrustIds(previous) : [];
  let trustId = previousIds.shift() ?? null;
  let used = false;
  for (const key of ['okActions', 'alarmActions', 'insufficientDataActions'] as const) {
    for (const [index, action] of lists[key].entries()) {
      if (!isTrustAction(action)) continue;
      if (!identity) throw new BadRequest(`Cannot create a Keystone trust for action ${action}: the identity service is not available.`);
      trustId ??= await identity.delegateToService(caller, TRUSTEE_SERVICE);
      const url = new URL(action);
      url.username = trustId;
      if (!used) url.password = 'delete';
      used = true;
      lists[key][index] = url.toString();
    }
  }
  if (trustId !== null && !used) previousIds.push(trustId);
  await releaseTrusts(identity, previousIds);
}

export async function releaseTrusts(identity: TrustOperations | undefined, trustIds: string[]): Promise<void> {
  for (const trustId of trustIds) await identity?.deleteServiceTrust(TRUSTEE_SERVICE, trustId);
}

/** The plain URL a trust action posts to, and the token to post with (401/403 from identity when the trust is gone). */
export async function trustedTarget(identity: TrustOperations | undefined, action: string): Promise<{ url: string; token: string }> {
  const url = new URL(action);
  const trustId = decodeURIComponent(url.username);
  if (!identity || trustId === '') throw new Error(`no trust to run ${scrubTrustAction(action)} with`);
  const { token } = await identity.trustToken(TRUSTEE_SERVICE, trustId);
  return { url: scrubTrustAction(action).slice('trust+'.length), token };
}

function allActions(alarm: ActionLists): string[] {
  return [...alarm.okActions, ...alarm.alarmActions, ...alarm.insufficientDataActions];
}

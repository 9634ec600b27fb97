/**
 * Runs an alarm's actions for its new state, as Aodh's notifiers do:
 * `http(s)://` gets a JSON POST (alarm_name, alarm_id, severity, previous,
 * current, reason, reason_data) with its own request id; `log://` writes it to
 * the service log; `trust+http(s)://` posts the same body to the plain URL
 * with a token obtained through the alarm's Keystone trust (trust-actions.ts),
 * as the alarm's owner.
 */
import { requestId } from '../../core/ids.js';
import type { JsonObject } from '../../core/json.js';
import type { Logger } from '../../core/logger.js';
import type { TrustOperations } from '../../identity/operations.js';
import type { Alarm, AlarmState } from '../store/index.js';
import { isTrustAction, scrubTrustAction, trustedTarget } from './trust-actions.js';

export interface Notification {
  alarm: Alarm;
  previous: AlarmState;
  current: AlarmState;
  reason: string;
  reasonData: JsonObject;
}

export interface Notifier {
  notify(notification: Notification): Promise<void>;
}

function actionsFor(alarm: Alarm, state: AlarmState): string[] {
  if (state === 'alarm') return alarm.alarmActions;
  if (state === 'ok') return alarm.okActions;
  return alarm.insufficientDataActions;
}

export function createNotifier(log: Logger, timeoutSeconds: number, identity: () => TrustOperations | undefined): Notifier {
  async function post(action: string, body: JsonObject, token?: string): Promise<void> {
    const id = requestId();
    const response = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openstack-request-id': id, ...(token !== undefined && { 'x-auth-token': token }) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    // The answer is not used; read it so the connection is released.
    await response.arrayBuffer();
    log.info({ action: scrubTrustAction(action), status: response.status, requestId: id, alarmId: body.alarm_id }, 'alarm notification sent');
  }

  async function run(action: string, notification: Notification): Promise<void> {
    const { alarm, previous, current, reason, reasonData } = notification;
    const body: JsonObject = { alarm_name: alarm.name, alarm_id: alarm.id, severity: alarm.severity, previous, current, reason, reason_data: reasonData };
    const scheme = new URL(action).protocol.replace(/:$/, '');
    if (scheme === 'http' || scheme === 'https') return post(action, body);
    if (scheme === 'log') {
      log.info(
        body,
        `Notifying alarm ${alarm.name} ${alarm.id} of ${alarm.severity} priority from ${previous} to ${current} with action log because ${reason}.`,
      );
      return;
    }
    if (isTrustAction(action)) {
      const { url, token } = await trustedTarget(identity(), action);
      return post(url, body, token);
    }
  }

  return {
    async notify(notification) {
      const actions = actionsFor(notification.alarm, notification.current);
      const results = await Promise.allSettled(actions.map((action) => run(action, notification)));
      results.forEach((result, i) => {
        if (result.status === 'rejected') log.warn({ err: result.reason, action: actions[i], alarmId: notification.alarm.id }, 'alarm notification failed');
      });
    },
  };
}

/**
 * An alarm's body (POST and PUT /v2/alarms) read as Aodh's Alarm type:
 * mandatory name and type, exactly the type's rule, actions Aodh can run,
 * time constraints; defaults filled in.
 */
import { checkTrustAction } from './trust-actions.js';
import { BadRequest } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { aodhErrors, invalidInput } from '../errors.js';
import { ALARM_STATES, SEVERITIES, type AlarmState, type TimeConstraint } from '../store/index.js';
import { MANDATORY, mandatory, oneOf, optionalBool, optionalText, text, textList } from './fields.js';
import { ALARM_TYPES, normalizeRule, type AlarmType } from './rules.js';
import { normalizeTimeConstraints } from './time-constraints.js';

export interface AlarmInput {
  name: string;
  description: string | null;
  type: AlarmType;
  enabled: boolean;
  state: AlarmState;
  severity: string;
  repeatActions: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  timeConstraints: TimeConstraint[];
  rule: JsonObject;
  /** The owner the body names, if any (an admin may create for another project or user). */
  projectId: string | undefined;
  userId: string | undefined;
}

export interface BodyContext {
  /** The caller's project when policy limits it to one; null for an admin. */
  limitedToProject: string | null;
  /** Aodh's alarm_max_actions: non-positive means no limit. */
  maxActions: number;
}

/** Schemes of the notifiers Nimbus runs (Aodh's `aodh.notifier` entry points it has). */
const ACTION_SCHEMES = ['http', 'https', 'log', 'trust+http', 'trust+https'];

function checkActions(name: string, actions: string[], context: BodyContext): string[] {
  // Aodh drops repeated actions silently.
  const unique = [...new Set(actions)];
  if (context.maxActions > 0 && unique.length > context.maxActions) throw new BadRequest(`${name} count exceeds maximum value ${context.maxActions}`);
  for (const action of unique) {
    let scheme: string;
    try {
      scheme = new URL(action).protocol.replace(/:$/, '');
    } catch {
      throw new BadRequest(`Unable to parse action ${action}`);
    }
    if (!ACTION_SCHEMES.includes(scheme)) throw new BadRequest(`Unsupported action ${action}`);
    if (context.limitedToProject !== null && scheme === 'log') throw aodhErrors.notAuthorizedAction(action);
    checkTrustAction(action);
  }
  return unique;
}

export function parseAlarmBody(body: JsonObject, context: BodyContext): AlarmInput {
  const name = text(mandatory(body, 'name'), 'name');
  if (body.type === undefined || body.type === null) throw invalidInput('type', null, MANDATORY);
  const type = oneOf(body, 'type', 'type', ALARM_TYPES);
  const ruleKey = `${type}_rule`;
  if (body[ruleKey] === undefined || body[ruleKey] === null) throw new BadRequest(`${ruleKey} must be set for ${type} type alarm`);
  for (const other of ALARM_TYPES) {
    const otherKey = `${other}_rule`;
    if (other !== type && body[otherKey] !== undefined && body[otherKey] !== null) {
      const [first, second] = ALARM_TYPES.indexOf(other) < ALARM_TYPES.indexOf(type) ? [otherKey, ruleKey] : [ruleKey, otherKey];
      throw new BadRequest(`${first} and ${second} cannot be set at the same time`);
    }
  }
  const rule = normalizeRule(type, body[ruleKey], { limitedToProject: context.limitedToProject });
  const actions = (key: string) => checkActions(key, textList(body, key) ?? [], context);
  return {
    name,
    description: optionalText(body, 'description') || null,
    type,
    enabled: optionalBool(body, 'enabled', true),
    state: oneOf(body, 'state', 'state', ALARM_STATES, 'insufficient data'),
    severity: oneOf(body, 'severity', 'severity', SEVERITIES, 'low'),
    repeatActions: optionalBool(body, 'repeat_actions', false),
    okActions: actions('ok_actions'),
    alarmActions: actions('alarm_actions'),
    insufficientDataActions: actions('insufficient_data_actions'),
    timeConstraints: normalizeTimeConstraints(body.time_constraints),
    rule,
    projectId: optionalText(body, 'project_id'),
    userId: optionalText(body, 'user_id'),
  };
}

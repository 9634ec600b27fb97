/**
 * The alarming service's door (`deps.services.alarming`), for Heat's
 * OS::Aodh::* resources: alarms in Aodh's own JSON (the body of POST
 * /v2/alarms in, the alarm Aodh shows out), so a template's properties pass
 * through as python-aodhclient passes them. Every call takes the caller and
 * goes through the same service layer as the REST API: Aodh's policy, quota
 * (403), unique names (409), validation (400 with Aodh's messages), and 404
 * `Alarm <id> not found` for an alarm the caller cannot see.
 */
import type { CallerContext } from '../core/context.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import * as service from './service/index.js';
import type { AlarmState } from './store/index.js';

export type { AlarmState } from './store/index.js';

export interface AlarmingOperations {
  /** Creates the alarm; answers it as Aodh shows it (`alarm_id`, `state`, `<type>_rule`, ...). Not idempotent. */
  createAlarm(caller: CallerContext, alarm: JsonObject): Promise<JsonObject>;
  /** The alarm as Aodh shows it. Read only. */
  getAlarm(caller: CallerContext, alarmId: string): Promise<JsonObject>;
  /** The caller's alarm of this name (names are unique per project), or null. Read only. */
  findAlarm(caller: CallerContext, name: string): Promise<JsonObject | null>;
  /**
   * Changes some fields, as python-aodhclient's update: the current alarm with
   * `changes` laid over it; a rule given for the same type is merged into the
   * current rule, one for another type (with `type`) replaces it.
   */
  updateAlarm(caller: CallerContext, alarmId: string, changes: JsonObject): Promise<JsonObject>;
  /** Deletes the alarm (its history stays). */
  deleteAlarm(caller: CallerContext, alarmId: string): Promise<void>;
  getState(caller: CallerContext, alarmId: string): Promise<AlarmState>;
}

/** The current alarm with the changes over it, rules merged as aodhclient merges them. */
function merged(current: JsonObject, changes: JsonObject): JsonObject {
  const type = typeof changes.type === 'string' ? changes.type : String(current.type);
  const ruleKey = `${type}_rule`;
  const result: JsonObject = { ...current, ...changes };
  for (const key of Object.keys(result)) if (key.endsWith('_rule') && key !== ruleKey) delete result[key];
  const currentRule = current[ruleKey];
  const changedRule = changes[ruleKey];
  // A composite rule is a tree: a new one replaces the old whole.
  if (type !== 'composite' && isJsonObject(currentRule ?? null) && isJsonObject(changedRule ?? null)) {
    result[ruleKey] = { ...(currentRule as JsonObject), ...(changedRule as JsonObject) };
  }
  return result;
}

export function alarmingOperations(deps: service.AlarmingDeps): AlarmingOperations {
  const find = (caller: CallerContext, alarmId: string) => service.findAlarm(deps, caller, alarmId, 'telemetry:get_alarm');
  return {
    async createAlarm(caller, alarm) {
      return service.alarmView(await service.createAlarm(deps, caller, alarm));
    },
    async getAlarm(caller, alarmId) {
      return service.alarmView(await find(caller, alarmId));
    },
    async findAlarm(caller, name) {
      const filter = { field: 'name', op: 'eq', value: name, type: 'string' };
      const found = await service.listAlarms(deps, caller, [filter], { sort: [], limit: null, marker: null });
      // An admin sees every project's: the caller's own project owns the name.
      return found.find((alarm) => alarm.project_id === caller.project?.id) ?? null;
    },
    async updateAlarm(caller, alarmId, changes) {
      const current = service.alarmView(await find(caller, alarmId));
      return service.alarmView(await service.replaceAlarm(deps, caller, alarmId, merged(current, changes)));
    },
    async deleteAlarm(caller, alarmId) {
      await service.deleteAlarm(deps, caller, alarmId);
    },
    async getState(caller, alarmId) {
      return (await service.findAlarm(deps, caller, alarmId, 'telemetry:get_alarm_state')).state;
    },
  };
}

declare module '../core/service-module.js' {
  interface ServiceRegistry {
    alarming?: AlarmingOperations;
  }
}

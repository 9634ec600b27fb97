/**
 * The alarm evaluator: every `evaluation_interval` seconds each enabled alarm
 * is evaluated once, by whichever process claims it first (a lease on the
 * alarm's row, so processes over one database never evaluate it twice in a
 * round), inside its time constraints. Threshold rules read Gnocchi through
 * the metric service's door as the alarm's owner; composite rules combine
 * them; event alarms are judged when an event arrives (event-evaluator.ts). A new
 * state is stored with its history entry in one transaction, then the
 * state's actions run.
 */
import { hostname } from 'node:os';
import { serviceCaller, type CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { currentClock } from '../../core/clock.js';
import { nowIso } from '../../core/time.js';
import { isJsonObject, type JsonObject } from '../../core/json.js';
import type { MetricReader } from './metric-reader.js';
import * as store from '../store/index.js';
import type { Alarm, AlarmState } from '../store/index.js';
import type { AlarmingDeps } from './deps.js';
import { record } from './history.js';
import { compositeVerdict, judge, thresholdVerdict, unknownOutcome, type CompositeNode, type RuleOutcome, type Verdict } from './judgement.js';
import type { Notifier } from './notifier.js';
import { isThresholdType, type ThresholdType } from './rules.js';
import { ruleStatistics, type EvaluationTime } from './statistics.js';
import { withinTimeConstraints } from './time-constraints.js';

/**
 * The alarm's owner as Gnocchi should see it: its user in its project with
 * member rights only. Until identity's door lets a service use Keystone trusts the evaluator
 * builds this context itself rather than holding a trust-scoped token.
 */
export function ownerCaller(alarm: Alarm): CallerContext {
  return {
    ...serviceCaller('aodh', { id: alarm.projectId }),
    userId: alarm.userId,
    userName: alarm.userId,
    roles: ['member', 'reader'],
    isAdminProject: false,
  };
}

async function evaluateRule(metric: MetricReader, owner: CallerContext, type: ThresholdType, rule: JsonObject, at: EvaluationTime): Promise<RuleOutcome> {
  try {
    return judge(rule, await ruleStatistics(metric, owner, type, rule, at));
  } catch (err) {
    return unknownOutcome(err);
  }
}

function outcomeState(outcome: RuleOutcome): AlarmState {
  if (outcome.kind === 'decided') return outcome.state;
  if (outcome.kind === 'trending') return outcome.trend;
  return 'insufficient data';
}

async function compositeTree(metric: MetricReader, owner: CallerContext, rule: JsonObject, at: EvaluationTime, counter: { n: number }): Promise<CompositeNode> {
  for (const op of ['and', 'or'] as const) {
    const children = rule[op];
    if (Array.isArray(children)) {
      const nodes: CompositeNode[] = [];
      for (const child of children) if (isJsonObject(child)) nodes.push(await compositeTree(metric, owner, child, at, counter));
      return { op, children: nodes };
    }
  }
  const type = String(rule.type);
  counter.n += 1;
  const leaf = `rule${counter.n}`;
  if (!isThresholdType(type)) return { leaf, rule, state: 'insufficient data' };
  return { leaf, rule, state: outcomeState(await evaluateRule(metric, owner, type, rule, at)) };
}

/** The verdict for one alarm now; null when nothing changes (or the alarm is not evaluated here: events, outside its windows). */
export async function evaluateAlarm(deps: AlarmingDeps, alarm: Alarm, now: Date): Promise<Verdict | null> {
  if (alarm.type === 'event' || !withinTimeConstraints(alarm.timeConstraints, now)) return null;
  const metric = deps.metric();
  const owner = ownerCaller(alarm);
  if (metric === undefined) {
    return thresholdVerdict(alarm, { kind: 'unknown', reason: 'alarm statistics retrieval failed: the metric service is not available', statistics: [] });
  }
  const at: EvaluationTime = { now, ingestionLag: deps.config.additional_ingestion_lag };
  if (alarm.type === 'composite') return compositeVerdict(alarm, await compositeTree(metric, owner, alarm.rule, at, { n: 0 }));
  if (!isThresholdType(alarm.type)) return null;
  return thresholdVerdict(alarm, await evaluateRule(metric, owner, alarm.type, alarm.rule, at));
}

/**
 * Stores the verdict (unless the alarm moved meanwhile) and runs the actions. `alwaysRecord`: a verdict
 * that keeps the state is stored and recorded too (an event alarm firing again with repeat_actions).
 */
export async function applyVerdict(deps: AlarmingDeps, notifier: Notifier, alarm: Alarm, verdict: Verdict, alwaysRecord = false): Promise<void> {
  const changed = verdict.state !== alarm.state;
  if (changed || alwaysRecord) {
    const timestamp = nowIso();
    const stored = await deps.db.transaction().execute(async (trx) => {
      if (!(await store.setEvaluatedState(trx, alarm, { state: verdict.state, reason: verdict.reason, timestamp }))) return false;
      await record(deps, trx, {
        alarmId: alarm.id,
        type: 'state transition',
        detail: { state: verdict.state, transition_reason: verdict.reason },
        actor: null,
        onBehalfOf: alarm.projectId,
        severity: alarm.severity,
        timestamp,
      });
      return true;
    });
    if (!stored) return;
    deps.log.info({ alarmId: alarm.id, state: verdict.state, reason: verdict.reason }, 'alarm state transition');
  }
  await notifier.notify({ alarm, previous: alarm.state, current: verdict.state, reason: verdict.reason, reasonData: verdict.reasonData });
}

export interface Evaluator {
  /** One round now (tests call it; the timer calls it every interval). */
  round(): Promise<void>;
  start(): void;
  /** The cloud's clock jumped: a round runs now (after the one in flight), not at the next interval. */
  wake(): void;
  stop(): Promise<void>;
}

export function createEvaluator(deps: AlarmingDeps, notifier: Notifier): Evaluator {
  const owner = `${hostname()}:${process.pid}:${uuid()}`;
  const intervalMs = deps.config.evaluation_interval * 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  /** Set when a wake comes during a round: the next round follows at once. */
  let wokenDuringRound = false;

  async function round(): Promise<void> {
    const now = currentClock().now();
    const nowText = now.toISOString();
    // The lease ends a little before the next round, so this process's next round finds the alarm free again.
    const until = new Date(now.getTime() + Math.max(1, intervalMs - Math.min(500, intervalMs / 10))).toISOString();
    for (const alarmId of await store.dueAlarmIds(deps.db, nowText)) {
      if (stopped) return;
      try {
        if (!(await store.claimEvaluation(deps.db, alarmId, owner, nowText, until))) continue;
        const alarm = await store.getAlarm(deps.db, alarmId);
        if (!alarm) continue;
        const verdict = await evaluateAlarm(deps, alarm, now);
        if (verdict) await applyVerdict(deps, notifier, alarm, verdict);
      } catch (err) {
        // The next round tries again.
        deps.log.error({ err, alarmId }, 'alarm evaluation failed');
      }
    }
  }

  function schedule(delayMs = intervalMs): void {
    timer = setTimeout(() => {
      timer = undefined;
      running = round()
        .catch((err: unknown) => deps.log.error({ err }, 'alarm evaluation round failed'))
        .finally(() => {
          if (stopped) return;
          schedule(wokenDuringRound ? 0 : intervalMs);
          wokenDuringRound = false;
        });
    }, delayMs);
  }

  return {
    round,
    start() {
      stopped = false;
      schedule();
    },
    wake() {
      if (stopped) return;
      if (timer === undefined) {
        wokenDuringRound = true;
        return;
      }
      clearTimeout(timer);
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

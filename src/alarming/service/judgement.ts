/**
 * What an evaluation decides for an alarm, as Aodh's threshold and composite
 * evaluators do: a state (or only a trend when the points disagree), the
 * reason text and `reason_data` recorded in the history and sent to notifiers.
 */
import type { Json, JsonObject } from '../../core/json.js';
import type { Alarm, AlarmState } from '../store/index.js';
import { InsufficientData } from './statistics.js';

/** One rule's outcome: a state when the points agree, a trend when they do not, or insufficient data. */
export type RuleOutcome =
  | { kind: 'decided'; state: 'ok' | 'alarm'; statistics: number[]; outside: number }
  | { kind: 'trending'; trend: 'ok' | 'alarm'; statistics: number[]; outside: number }
  | { kind: 'unknown'; reason: string; statistics: number[] };

/** The alarm's new state, reason and data; null when nothing is to be recorded or sent. */
export interface Verdict {
  state: AlarmState;
  reason: string;
  reasonData: JsonObject;
}

const COMPARATORS: Record<string, (value: number, limit: number) => boolean> = {
  lt: (v, l) => v < l,
  le: (v, l) => v <= l,
  eq: (v, l) => v === l,
  ne: (v, l) => v !== l,
  ge: (v, l) => v >= l,
  gt: (v, l) => v > l,
};

export function judge(rule: JsonObject, statistics: number[]): RuleOutcome {
  const compare = COMPARATORS[String(rule.comparison_operator)] ?? COMPARATORS.eq;
  const threshold = Number(rule.threshold);
  const compared = statistics.map((value) => (compare as (v: number, l: number) => boolean)(value, threshold));
  const outside = compared.filter(Boolean).length;
  if (outside === compared.length) return { kind: 'decided', state: 'alarm', statistics, outside };
  if (outside === 0) return { kind: 'decided', state: 'ok', statistics, outside };
  return { kind: 'trending', trend: compared[compared.length - 1] ? 'alarm' : 'ok', statistics, outside };
}

export function unknownOutcome(error: unknown): RuleOutcome {
  if (error instanceof InsufficientData) return { kind: 'unknown', reason: error.reason, statistics: error.statistics };
  throw error;
}

/** Python's repr of a float, as Aodh's reasons print the most recent value. */
function pythonFloat(value: number | undefined): string {
  if (value === undefined) return 'None';
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

function thresholdReason(alarm: Alarm, state: AlarmState, statistics: number[], outside: number): Verdict {
  const disposition = state === 'ok' ? 'inside' : 'outside';
  const count = state === 'ok' ? statistics.length - outside : outside;
  const last = statistics[statistics.length - 1];
  const reasonData: JsonObject = { type: 'threshold', disposition, count, most_recent: last ?? null };
  const lead = alarm.state !== state ? `Transition to ${state}` : `Remaining as ${state}`;
  return { state, reason: `${lead} due to ${count} samples ${disposition} threshold, most recent: ${pythonFloat(last)}`, reasonData };
}

/** Aodh's threshold transition rules: a trend moves an unknown alarm (or one that repeats its actions); a state change always. */
export function thresholdVerdict(alarm: Alarm, outcome: RuleOutcome): Verdict | null {
  const unknown = alarm.state === 'insufficient data';
  if (outcome.kind === 'trending') {
    if (!unknown && !alarm.repeatActions) return null;
    return thresholdReason(alarm, unknown ? outcome.trend : alarm.state, outcome.statistics, outcome.outside);
  }
  if (outcome.kind === 'unknown') {
    // Aodh repeats an alarm's actions in insufficient data too, with its threshold wording.
    if (unknown) return alarm.repeatActions ? thresholdReason(alarm, alarm.state, outcome.statistics, 0) : null;
    const last = outcome.statistics[outcome.statistics.length - 1];
    return {
      state: 'insufficient data',
      reason: outcome.reason,
      reasonData: { type: 'threshold', disposition: 'unknown', count: Number(alarm.rule.evaluation_periods ?? 1), most_recent: last ?? null },
    };
  }
  if (alarm.state === outcome.state && !alarm.repeatActions) return null;
  return thresholdReason(alarm, outcome.state, outcome.statistics, outcome.outside);
}

/** A composite rule's tree with each leaf's outcome, numbered rule1, rule2, ... in reading order. */
export type CompositeNode = { op: 'and' | 'or'; children: CompositeNode[] } | { leaf: string; rule: JsonObject; state: AlarmState };

function holds(node: CompositeNode, wanted: 'ok' | 'alarm'): boolean {
  if ('leaf' in node) return node.state === wanted;
  // "ok" of an `and` needs one ok leaf, as Aodh swaps the operator for it.
  const every = (node.op === 'and') === (wanted === 'alarm');
  return every ? node.children.every((c) => holds(c, wanted)) : node.children.some((c) => holds(c, wanted));
}

function expression(node: CompositeNode): string {
  return 'leaf' in node ? node.leaf : `(${node.children.map(expression).join(` ${node.op} `)})`;
}

function leaves(node: CompositeNode): Array<Extract<CompositeNode, { leaf: string }>> {
  return 'leaf' in node ? [node] : node.children.flatMap(leaves);
}

const DESCRIPTION: Record<AlarmState, string> = {
  alarm: 'outside their threshold.',
  ok: 'inside their threshold.',
  'insufficient data': 'state evaluated to unknown.',
};

export function compositeVerdict(alarm: Alarm, tree: CompositeNode): Verdict | null {
  const state: AlarmState = holds(tree, 'alarm') ? 'alarm' : holds(tree, 'ok') ? 'ok' : 'insufficient data';
  if (state === 'insufficient data' && alarm.state === state) return null;
  if (state === alarm.state && !alarm.repeatActions) return null;
  const causes = leaves(tree).filter((leaf) => leaf.state === state);
  const causative: { [name: string]: Json } = Object.fromEntries(causes.map((leaf) => [leaf.leaf, leaf.rule]));
  const form = expression(tree);
  const move = alarm.state !== state ? 'transition to' : 'remaining as';
  return {
    state,
    reason: `Composite rule alarm with composition form: ${form} ${move} ${state}, due to rules: ${causes
      .map((c) => c.leaf)
      .sort()
      .join(', ')} ${DESCRIPTION[state]}`,
    reasonData: { type: 'composite', composition_form: form, causative_rules: causative },
  };
}

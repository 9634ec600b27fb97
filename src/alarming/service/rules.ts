/**
 * Each alarm type's rule (aodh/api/controllers/v2/alarm_rules/): its fields,
 * defaults and Aodh's 400s, giving the rule as Aodh stores and shows it.
 */
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { invalidInput } from '../errors.js';
import { float, integerIn, mandatory, object, oneOf, optionalText, text } from './fields.js';

export const THRESHOLD_TYPES = [
  'gnocchi_resources_threshold',
  'gnocchi_aggregation_by_metrics_threshold',
  'gnocchi_aggregation_by_resources_threshold',
] as const;
export const ALARM_TYPES = [...THRESHOLD_TYPES, 'composite', 'event'] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];
export type ThresholdType = (typeof THRESHOLD_TYPES)[number];

export const COMPARISON_OPERATORS = ['lt', 'le', 'eq', 'ne', 'ge', 'gt'] as const;

/** Gnocchi's aggregation methods as its capabilities list them: the basic ones, percentiles, and each as a rate. */
export const AGGREGATION_METHODS: readonly string[] = (() => {
  const basic = ['mean', 'sum', 'last', 'max', 'min', 'std', 'median', 'first', 'count'];
  for (let pct = 1; pct < 100; pct++) basic.push(`${pct}pct`);
  return [...basic, ...basic.map((method) => `rate:${method}`)];
})();

export function isThresholdType(type: string): type is ThresholdType {
  return (THRESHOLD_TYPES as readonly string[]).includes(type);
}

/** Who the rule is for: a caller limited to one project gets Gnocchi searches scoped to it, as Aodh does. */
export interface RuleContext {
  limitedToProject: string | null;
}

/** The rule of `type` from the body's `<type>_rule`, validated and completed with its defaults. */
export function normalizeRule(type: AlarmType, raw: Json, context: RuleContext): JsonObject {
  if (type === 'composite') return normalizeComposite(raw);
  const body = object(raw, `${type}_rule`);
  if (type === 'event') return normalizeEvent(body);
  return normalizeThreshold(type, body, context);
}

function normalizeThreshold(type: ThresholdType, body: JsonObject, context: RuleContext): JsonObject {
  const common = {
    granularity: integerIn(body, 'granularity', 'granularity', { min: 1, max: 3600 * 24 * 365, fallback: 60 }),
    comparison_operator: oneOf(body, 'comparison_operator', 'comparison_operator', COMPARISON_OPERATORS, 'eq'),
    threshold: float(mandatory(body, 'threshold'), 'threshold'),
    aggregation_method: text(mandatory(body, 'aggregation_method'), 'aggregation_method'),
    evaluation_periods: integerIn(body, 'evaluation_periods', 'evaluation_periods', { min: 1, max: 100, fallback: 1 }),
  };
  if (!AGGREGATION_METHODS.includes(common.aggregation_method)) {
    throw new BadRequest(`aggregation_method should be in ${pythonList(AGGREGATION_METHODS)} not ${common.aggregation_method}`);
  }
  switch (type) {
    case 'gnocchi_resources_threshold':
      return {
        ...common,
        metric: text(mandatory(body, 'metric'), 'metric'),
        resource_id: text(mandatory(body, 'resource_id'), 'resource_id'),
        resource_type: text(mandatory(body, 'resource_type'), 'resource_type'),
      };
    case 'gnocchi_aggregation_by_metrics_threshold': {
      const metrics = mandatory(body, 'metrics');
      if (!Array.isArray(metrics) || metrics.some((m) => typeof m !== 'string'))
        throw invalidInput('metrics', metrics, 'Wrong type. Expected a list of strings.');
      return { ...common, metrics };
    }
    case 'gnocchi_aggregation_by_resources_threshold':
      return {
        ...common,
        metric: text(mandatory(body, 'metric'), 'metric'),
        query: scopedQuery(text(mandatory(body, 'query'), 'query'), context),
        resource_type: text(mandatory(body, 'resource_type'), 'resource_type'),
      };
  }
}

/**
 * The Gnocchi search of a by-resources rule, checked to be JSON and, for a
 * caller limited to a project, restricted to that project's resources (those
 * it created, and those Ceilometer created for it) as Aodh rewrites it.
 */
function scopedQuery(query: string, context: RuleContext): string {
  let parsed: Json;
  try {
    parsed = JSON.parse(query) as Json;
  } catch {
    throw invalidInput('rule/query', query, '');
  }
  const project = context.limitedToProject;
  if (project === null) return query;
  const own = { or: [{ '=': { created_by_project_id: project } }, { '=': { project_id: project } }] };
  return JSON.stringify({ and: [own, parsed] });
}

function normalizeEvent(body: JsonObject): JsonObject {
  const queries = body.query ?? [];
  if (!Array.isArray(queries)) throw invalidInput('query', queries, 'Wrong type. Expected a list.');
  return {
    event_type: optionalText(body, 'event_type', 'event_type') || '*',
    query: queries.map((raw) => {
      const q = object(raw, 'query');
      const value = text(mandatory(q, 'value'), 'value');
      const type = optionalText(q, 'type', 'type') ?? '';
      if (type !== '' && !['integer', 'float', 'string', 'boolean', 'datetime'].includes(type)) {
        throw new BadRequest(`The data type ${type} is not supported. The supported data type list is: ['integer', 'float', 'string', 'boolean', 'datetime']`);
      }
      return { field: text(mandatory(q, 'field'), 'field'), op: oneOf(q, 'op', 'op', COMPARISON_OPERATORS, 'eq'), type, value };
    }),
  };
}

function invalidComposite(rule: Json): BadRequest {
  return new BadRequest(
    `Invalid input composite rule: ${JSON.stringify(rule)}, it should be a dict with an "and" or "or" as key, and the value of dict should be a list of basic threshold rules or sub composite rules, can be nested.`,
  );
}

/** A composite rule: `{"and"|"or": [...]}` nodes over threshold rules that each name their `type`. */
function normalizeComposite(rule: Json): JsonObject {
  if (!isJsonObject(rule)) throw invalidComposite(rule);
  const keys = Object.keys(rule);
  if (keys.length === 1 && !('type' in rule)) {
    const key = keys[0] as string;
    if (key !== 'and' && key !== 'or') throw new BadRequest('Threshold rules should be combined with "and" or "or"');
    const children = rule[key];
    if (!Array.isArray(children)) throw invalidComposite(rule);
    return { [key]: children.map(normalizeComposite) };
  }
  const type = rule.type;
  if (typeof type !== 'string' || type === '') throw new BadRequest('type must be set in every rule');
  if (!isThresholdType(type)) {
    throw new BadRequest(`Unsupported sub-rule type :${type} in composite rule, should be one of: ${pythonList([...THRESHOLD_TYPES].sort())}`);
  }
  const { type: _type, ...fields } = rule;
  // Sub-rules are checked as written: Aodh does not rewrite their searches for the caller's project.
  return { ...normalizeThreshold(type, fields, { limitedToProject: null }), type };
}

/** How Python prints a list of strings, for messages that quote one. */
function pythonList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}

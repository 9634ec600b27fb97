import type { FormEvent } from 'react';
import { COMPARISON_OPERATORS } from '../../api/alarming';
import { TextField } from '../../components/TextField';

/** What Aodh's POST /v2/alarms takes for a threshold over one resource's Gnocchi metric. */
export interface NewAlarm {
  name: string;
  type: 'gnocchi_resources_threshold';
  severity: string;
  gnocchi_resources_threshold_rule: {
    metric: string;
    resource_id: string;
    resource_type: string;
    aggregation_method: string;
    granularity: number;
    comparison_operator: string;
    threshold: number;
    evaluation_periods: number;
  };
}

const AGGREGATIONS = ['mean', 'max', 'min', 'sum', 'last', 'count', 'rate:mean'];

/** A small form: the rule's checks are Aodh's, and its refusals show as it words them. */
export function CreateAlarmForm({ onCreate, busy, prefill }: { onCreate(alarm: NewAlarm): void; busy: boolean; prefill: URLSearchParams }) {
  const given = (name: string, fallback = '') => prefill.get(name) ?? fallback;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '');
    onCreate({
      name: field('name'),
      type: 'gnocchi_resources_threshold',
      severity: field('severity'),
      gnocchi_resources_threshold_rule: {
        metric: field('metric'),
        resource_id: field('resource_id'),
        resource_type: field('resource_type'),
        aggregation_method: field('aggregation_method'),
        granularity: Number(field('granularity')),
        comparison_operator: field('comparison_operator'),
        threshold: Number(field('threshold')),
        evaluation_periods: Number(field('evaluation_periods')),
      },
    });
  }

  return (
    <form className="form inline" onSubmit={submit} aria-label="Create alarm">
      <TextField label="Alarm name" name="name" required />
      <TextField label="Resource type" name="resource_type" defaultValue={given('resource_type', 'generic')} required />
      <TextField label="Resource ID" name="resource_id" defaultValue={given('resource_id')} required />
      <TextField label="Metric name" name="metric" defaultValue={given('metric')} required />
      <label>
        Aggregation method
        <select name="aggregation_method" defaultValue={given('aggregation_method', 'mean')}>
          {/* The chart's method may be one this short list leaves out (std, a percentile). */}
          {[...new Set([given('aggregation_method', 'mean'), ...AGGREGATIONS])].map((method) => (
            <option key={method}>{method}</option>
          ))}
        </select>
      </label>
      <TextField label="Granularity (s)" name="granularity" type="number" min={1} defaultValue={given('granularity', '60')} required />
      <label>
        Comparison
        <select name="comparison_operator" defaultValue="gt">
          {COMPARISON_OPERATORS.map(([value, sign]) => (
            <option key={value} value={value}>
              {sign} ({value})
            </option>
          ))}
        </select>
      </label>
      <TextField label="Threshold" name="threshold" type="number" step="any" required />
      <TextField label="Evaluation periods" name="evaluation_periods" type="number" min={1} defaultValue={1} required />
      <label>
        Severity
        <select name="severity" defaultValue="low">
          <option>low</option>
          <option>moderate</option>
          <option>critical</option>
        </select>
      </label>
      <button type="submit" disabled={busy}>
        Create alarm
      </button>
    </form>
  );
}

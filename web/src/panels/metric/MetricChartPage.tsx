import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../../api/hooks';
import { humanSpan, timespanSeconds, type Measure, type Metric } from '../../api/metric';
import { ErrorNotice } from '../../components/ErrorNotice';
import { MeasuresFigure } from './MeasuresFigure';
import './metric.css';

/** Time range presets: how far back the chart starts (null: everything the archive keeps). */
const RANGES = [
  ['1 hour', 3600],
  ['6 hours', 6 * 3600],
  ['1 day', 86400],
  ['7 days', 7 * 86400],
  ['30 days', 30 * 86400],
  ['All kept', null],
] as const;

/** The alarm form, filled in for a threshold on this metric at the granularity and aggregation on screen. */
function alarmFormLink(resource: NonNullable<Metric['resource']>, metric: string, granularity: number, aggregation: string): string {
  const fields = { resource_type: resource.type, resource_id: resource.id, metric, granularity: String(granularity), aggregation_method: aggregation };
  return `/alarms?${new URLSearchParams(fields).toString()}`;
}

/** A metric's measures drawn over time, at a granularity of its archive policy and one of its aggregation methods. */
export default function MetricChartPage() {
  const { id = '' } = useParams();
  const metric = useApi<Metric>('metric', `/metric/${encodeURIComponent(id)}`);
  return (
    <section>
      <h1>Metric {metric.data ? (metric.data.name ?? metric.data.id) : id}</h1>
      <p>
        <Link to="/metrics">All resources</Link>
      </p>
      <ErrorNotice error={metric.error} />
      {metric.data && <MeasuresView metric={metric.data} />}
    </section>
  );
}

function MeasuresView({ metric }: { metric: Metric }) {
  const policy = metric.archive_policy;
  const granularities = useMemo(() => policy.definition.map((item) => timespanSeconds(item.granularity)).sort((a, b) => a - b), [policy]);
  const [granularity, setGranularity] = useState(granularities[0] ?? 0);
  const [aggregation, setAggregation] = useState(policy.aggregation_methods.includes('mean') ? 'mean' : (policy.aggregation_methods[0] ?? 'mean'));
  const [range, setRange] = useState<number | null>(86400);
  // The start is fixed when the range is chosen, so polling asks for the same window and sees new points arrive.
  const start = useMemo(() => (range === null ? null : new Date(Date.now() - range * 1000).toISOString()), [range]);
  const query = new URLSearchParams({ granularity: String(granularity), aggregation, refresh: 'true' });
  if (start) query.set('start', start);
  const measures = useApi<Measure[]>('metric', `/metric/${metric.id}/measures?${query.toString()}`, () => true, 10_000);

  return (
    <>
      <p>
        Archive policy {policy.name}; unit {metric.unit ?? 'none'}
        {metric.resource && <>; resource {metric.resource.original_resource_id || metric.resource.id}</>}.
      </p>
      {metric.resource && metric.name && (
        <p>
          <Link to={alarmFormLink(metric.resource, metric.name, granularity, aggregation)}>Create an alarm on {metric.name}</Link>
        </p>
      )}
      <form className="form inline" aria-label="Chart settings" onSubmit={(event) => event.preventDefault()}>
        <label>
          Granularity
          <select value={granularity} onChange={(event) => setGranularity(Number(event.target.value))}>
            {granularities.map((seconds) => (
              <option key={seconds} value={seconds}>
                {humanSpan(seconds)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Aggregation
          <select value={aggregation} onChange={(event) => setAggregation(event.target.value)}>
            {policy.aggregation_methods.map((method) => (
              <option key={method} value={method}>
                {method}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time range
          <select value={String(range)} onChange={(event) => setRange(event.target.value === 'null' ? null : Number(event.target.value))}>
            {RANGES.map(([name, seconds]) => (
              <option key={name} value={String(seconds)}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNotice error={measures.error} />
      {measures.data && <MetricMeasures measures={measures.data} metric={metric} aggregation={aggregation} granularity={granularity} />}
    </>
  );
}

function MetricMeasures({ measures, metric, aggregation, granularity }: { measures: Measure[]; metric: Metric; aggregation: string; granularity: number }) {
  const caption = `${aggregation} of ${metric.name ?? metric.id} every ${humanSpan(granularity)}`;
  if (measures.length === 0) {
    return <p className="empty">No measures in this time range at {humanSpan(granularity)} granularity: push some, or pick a longer range.</p>;
  }
  return <MeasuresFigure caption={caption} measures={measures} label={aggregation} unit={metric.unit} withRange />;
}

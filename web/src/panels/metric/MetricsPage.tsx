import { Link, useSearchParams } from 'react-router';
import './metric.css';
import { useApi } from '../../api/hooks';
import type { MetricResource, ResourceType } from '../../api/metric';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';

/** Gnocchi's resource browser: a type's resources (the type kept in the URL) and each one's metrics. */
export default function MetricsPage() {
  const [params, setParams] = useSearchParams();
  const type = params.get('type') ?? 'generic';
  const types = useApi<ResourceType[]>('metric', '/resource_type');
  const resources = useApi<MetricResource[]>('metric', `/resource/${encodeURIComponent(type)}?sort=started_at:desc`);

  return (
    <section>
      <h1>Metrics</h1>
      <form className="form inline" aria-label="Resource type" onSubmit={(event) => event.preventDefault()}>
        <label>
          Resource type
          <select value={type} onChange={(event) => setParams({ type: event.target.value })}>
            {(types.data ?? [{ name: type, state: 'active' }]).map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNotice error={types.error ?? resources.error} />
      {resources.data && (
        <DataTable
          label="Resources"
          rows={resources.data}
          empty={`No ${type} resources in this project: Gnocchi has none to show.`}
          columns={[
            { header: 'Resource', cell: (r) => r.original_resource_id || r.id },
            { header: 'Type', cell: (r) => r.type },
            { header: 'Started', cell: (r) => new Date(r.started_at).toLocaleString() },
            { header: 'Ended', cell: (r) => (r.ended_at ? new Date(r.ended_at).toLocaleString() : '') },
            { header: 'Metrics', cell: (r) => <MetricLinks resource={r} /> },
          ]}
        />
      )}
    </section>
  );
}

function MetricLinks({ resource }: { resource: MetricResource }) {
  const metrics = Object.entries(resource.metrics).sort(([a], [b]) => a.localeCompare(b));
  if (metrics.length === 0) return <span className="empty">none</span>;
  const owner = resource.original_resource_id || resource.id;
  return (
    <ul className="plain">
      {metrics.map(([name, id]) => (
        <li key={id}>
          <Link to={`/metrics/${id}`} aria-label={`Chart of ${name} of ${owner}`}>
            {name}
          </Link>
        </li>
      ))}
    </ul>
  );
}

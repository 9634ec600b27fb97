import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError } from '../../api/errors';
import { humanSpan, type Measure } from '../../api/metric';
import { useSession } from '../../auth/session-context';
import { ErrorNotice } from '../../components/ErrorNotice';
import { MeasuresFigure } from '../metric/MeasuresFigure';
import '../metric/metric.css';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Meter {
  title: string;
  /** Gnocchi's dynamic aggregation over every instance resource of the project. */
  operations: string;
  unit: string;
  /** The value a measure shows, from Gnocchi's value and its granularity in seconds. */
  scale(value: number, granularity: number): number;
}

const METERS: Meter[] = [
  {
    title: 'CPU of all instances',
    // Ceilometer's `cpu` is cumulative nanoseconds; its archive policy keeps `rate:mean`, the nanoseconds used per period.
    operations: '(aggregate sum (metric cpu rate:mean))',
    unit: '% of one vCPU',
    scale: (value, granularity) => Math.round((value / (granularity * 1e9)) * 1000) / 10,
  },
  {
    title: 'Memory used by all instances',
    operations: '(aggregate sum (metric memory.usage mean))',
    unit: 'MB',
    scale: (value) => value,
  },
];

/** The last day's measures of one meter at its finest granularity; null when no instance of the project has the metric yet (Gnocchi's 404). */
function useProjectAggregate(meter: Meter) {
  const session = useSession();
  return useQuery({
    queryKey: [session.project.id, 'metric', 'aggregates', meter.operations],
    queryFn: async (): Promise<Measure[] | null> => {
      const start = new Date(Date.now() - DAY_MS).toISOString();
      try {
        // needed_overlap=0: an instance started an hour ago still counts for the hour it ran.
        const answer = await api<{ measures: { aggregated?: Measure[] } }>(
          session,
          'metric',
          `/aggregates?needed_overlap=0&start=${encodeURIComponent(start)}`,
          {
            method: 'POST',
            body: { operations: meter.operations, resource_type: 'instance', search: { '=': { project_id: session.project.id } } },
          },
        );
        const measures = answer.measures.aggregated ?? [];
        const finest = Math.min(...measures.map(([, granularity]) => granularity));
        return measures
          .filter(([, granularity]) => granularity === finest)
          .map(([time, granularity, value]) => [time, granularity, meter.scale(value, granularity)]);
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 404) return null;
        throw failure;
      }
    },
  });
}

function MeterFigure({ meter }: { meter: Meter }) {
  const measures = useProjectAggregate(meter);
  if (measures.error) return <ErrorNotice error={measures.error} />;
  if (measures.data === undefined) return <p aria-busy="true">Loading {meter.title.toLowerCase()}…</p>;
  const points = measures.data ?? [];
  if (points.length === 0) {
    return <p className="empty">{meter.title}: no measures in the last day. The metering agent records them once instances run.</p>;
  }
  const caption = `${meter.title} (${meter.unit}) every ${humanSpan((points[points.length - 1] as Measure)[1])}`;
  return <MeasuresFigure caption={caption} measures={points} label={meter.title} unit={meter.unit} />;
}

/** The project's instances' meters from the metric API (Gnocchi); the Overview renders this only when the catalog has one. */
export default function ProjectMeters() {
  return (
    <section aria-labelledby="meters-heading">
      <h2 id="meters-heading">Instance meters</h2>
      {METERS.map((meter) => (
        <MeterFigure key={meter.operations} meter={meter} />
      ))}
    </section>
  );
}

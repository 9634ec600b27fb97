import type { ServerUsage } from '../../api/quotas';
import { DataTable } from '../../components/DataTable';
import { MeasuresChart } from '../metric/MeasuresChart';
import { dailyVcpuHours } from './daily-usage';

/** vCPU hours per day over the period, with the same numbers as a table for those who do not see the chart. */
export function DailyUsageChart({ servers, start, end, stop }: { servers: ServerUsage[]; start: string; end: string; stop?: string }) {
  const days = dailyVcpuHours(servers, start, end, stop);
  return (
    <figure className="chart" aria-label="vCPU hours per day">
      <figcaption>vCPU hours per day</figcaption>
      <MeasuresChart measures={days} label="vCPU hours" unit="per day" />
      <details>
        <summary>Daily values</summary>
        <DataTable
          label="vCPU hours per day"
          rows={days.map(([day, , hours]) => ({ id: day.slice(0, 10), hours }))}
          empty="The period has not started yet."
          columns={[
            { header: 'Day (UTC)', cell: (d) => d.id },
            { header: 'vCPU hours', cell: (d) => d.hours.toFixed(2) },
          ]}
        />
      </details>
    </figure>
  );
}

import { useSearchParams } from 'react-router';
import type { TenantUsage } from '../../api/quotas';
import { useApi } from '../../api/hooks';
import { useSession } from '../../auth/session-context';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DailyUsageChart } from './DailyUsageChart';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const hours = (value: number | undefined) => (value ?? 0).toFixed(2);

/** The period is kept in the URL (`?start=&end=`, whole UTC days, end included) so it can be bookmarked. */
function usePeriod(): [start: string, end: string, set: (start: string, end: string) => void] {
  const [params, setParams] = useSearchParams();
  const today = Date.now();
  const start = params.get('start') ?? isoDay(today - 30 * DAY_MS);
  const end = params.get('end') ?? isoDay(today);
  return [start, end, (s, e) => setParams({ start: s, end: e })];
}

/** Nova's simple tenant usage of the current project over a chosen period: totals and one row per instance. */
export function UsagePeriod() {
  const session = useSession();
  const [start, end, setPeriod] = usePeriod();
  const endExclusive = isoDay(Date.parse(end) + DAY_MS);
  const usage = useApi<{ tenant_usage: TenantUsage }>(
    'compute',
    `/os-simple-tenant-usage/${session.project.id}?start=${start}T00:00:00&end=${endExclusive}T00:00:00`,
  );
  const total = usage.data?.tenant_usage;
  return (
    <section aria-labelledby="usage-heading">
      <h2 id="usage-heading">Usage</h2>
      <form
        className="form inline"
        aria-label="Usage period"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setPeriod(String(form.get('start')), String(form.get('end')));
        }}
      >
        <label>
          From
          <input type="date" name="start" defaultValue={start} required />
        </label>
        <label>
          To
          <input type="date" name="end" defaultValue={end} required />
        </label>
        <button type="submit">Show usage</button>
      </form>
      <ErrorNotice error={usage.error} />
      {total && (
        <>
          <dl className="overview" aria-label="Usage totals">
            <dt>Instance hours</dt>
            <dd>{hours(total.total_hours)}</dd>
            <dt>vCPU hours</dt>
            <dd>{hours(total.total_vcpus_usage)}</dd>
            <dt>RAM MiB hours</dt>
            <dd>{hours(total.total_memory_mb_usage)}</dd>
            <dt>Disk GiB hours</dt>
            <dd>{hours(total.total_local_gb_usage)}</dd>
          </dl>
          {total.server_usages?.length ? <DailyUsageChart servers={total.server_usages} start={start} end={end} stop={total.stop} /> : null}
          <DataTable
            label="Usage by instance"
            rows={(total.server_usages ?? []).map((s) => ({ ...s, id: s.instance_id }))}
            empty="No instance ran in this project during the period."
            columns={[
              { header: 'Instance', cell: (s) => s.name },
              { header: 'Flavor', cell: (s) => s.flavor },
              { header: 'State', cell: (s) => s.state },
              { header: 'vCPUs', cell: (s) => s.vcpus },
              { header: 'RAM (MiB)', cell: (s) => s.memory_mb },
              { header: 'Disk (GiB)', cell: (s) => s.local_gb },
              { header: 'Hours', cell: (s) => hours(s.hours) },
            ]}
          />
        </>
      )}
    </section>
  );
}

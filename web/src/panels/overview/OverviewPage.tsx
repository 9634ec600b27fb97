import { lazy, Suspense } from 'react';
import { inUseQuotas, usedQuotas, type InUseQuotaSet, type UsedQuotaSet } from '../../api/quotas';
import { useApi } from '../../api/hooks';
import { useSession } from '../../auth/session-context';
import { QuotaSection } from './QuotaSection';
import { UsagePeriod } from './UsagePeriod';

// The chart library comes with the meters' own chunk, fetched only when the catalog has a metric service.
const ProjectMeters = lazy(() => import('./ProjectMeters'));

/** The project at a glance: what each service's quota allows and what is used, usage over a period, and the instances' meters. */
export default function OverviewPage() {
  const session = useSession();
  const project = session.project.id;
  // The three services are asked in parallel; none waits on another.
  const compute = useApi<{ quota_set: InUseQuotaSet }>('compute', `/os-quota-sets/${project}/detail`);
  const volume = useApi<{ quota_set: InUseQuotaSet }>('volumev3', `/os-quota-sets/${project}?usage=true`);
  const network = useApi<{ quota: UsedQuotaSet }>('network', `/quotas/${project}/details.json`);
  return (
    <section>
      <h1>Overview</h1>
      <div className="quota-grid">
        <QuotaSection
          title="Compute"
          query={compute}
          pick={(d) =>
            inUseQuotas(d.quota_set, [
              ['instances', 'Instances'],
              ['cores', 'vCPUs'],
              ['ram', 'RAM', 'MiB'],
            ])
          }
        />
        <QuotaSection
          title="Volume"
          query={volume}
          pick={(d) =>
            inUseQuotas(d.quota_set, [
              ['volumes', 'Volumes'],
              ['gigabytes', 'Volume storage', 'GiB'],
              ['snapshots', 'Snapshots'],
            ])
          }
        />
        <QuotaSection
          title="Network"
          query={network}
          pick={(d) =>
            usedQuotas(d.quota, [
              ['network', 'Networks'],
              ['port', 'Ports'],
              ['router', 'Routers'],
              ['floatingip', 'Floating IPs'],
              ['security_group', 'Security groups'],
            ])
          }
        />
      </div>
      <UsagePeriod />
      {session.endpoints.metric !== undefined && (
        <Suspense fallback={<p aria-busy="true">Loading meters…</p>}>
          <ProjectMeters />
        </Suspense>
      )}
    </section>
  );
}

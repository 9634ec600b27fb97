import { inUseQuotas, usedQuotas, type InUseQuotaSet, type UsedQuotaSet } from '../../api/quotas';
import { useApi } from '../../api/hooks';
import { useSession } from '../../auth/session-context';
import { QuotaSection } from './QuotaSection';
import { UsagePeriod } from './UsagePeriod';

/** The project at a glance: what each service's quota allows and what is used, then usage over a period. */
export default function OverviewPage() {
  const project = useSession().project.id;
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
    </section>
  );
}

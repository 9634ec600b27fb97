import type { Hypervisor } from '../../api/compute';
import { useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';

function Usage({ used, total, unit }: { used: number; total: number; unit: string }) {
  return (
    <span className="usage">
      <meter min={0} max={Math.max(total, 1)} value={used} aria-label={`${used} of ${total} ${unit}`} />
      {used} / {total} {unit}
    </span>
  );
}

/** Policy decides who may see this (Nova's os_compute_api:os-hypervisors): a refusal shows as the API said it. */
export default function HypervisorsPage() {
  const hypervisors = useApi<{ hypervisors: Hypervisor[] }>('compute', '/os-hypervisors/detail');
  return (
    <section>
      <h1>Hypervisors</h1>
      <ErrorNotice error={hypervisors.error} />
      {hypervisors.data && (
        <DataTable
          label="Hypervisors"
          rows={hypervisors.data.hypervisors.map((h) => ({ ...h, id: String(h.id) }))}
          empty="No hypervisors have reported yet."
          columns={[
            { header: 'Host', cell: (h) => h.hypervisor_hostname },
            { header: 'State', cell: (h) => `${h.state}, ${h.status}` },
            { header: 'vCPUs', cell: (h) => <Usage used={h.vcpus_used} total={h.vcpus} unit="vCPU" /> },
            { header: 'Memory', cell: (h) => <Usage used={h.memory_mb_used} total={h.memory_mb} unit="MiB" /> },
            { header: 'Disk', cell: (h) => <Usage used={h.local_gb_used} total={h.local_gb} unit="GiB" /> },
            { header: 'Instances', cell: (h) => h.running_vms },
          ]}
        />
      )}
    </section>
  );
}

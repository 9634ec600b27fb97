import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Status } from '../../components/Status';
import { useProjectName } from './project-names';

interface AdminVolume {
  id: string;
  name: string | null;
  size: number;
  status: string;
  volume_type: string | null;
  'os-vol-tenant-attr:tenant_id': string;
  'os-vol-host-attr:host'?: string | null;
  attachments: { server_id: string }[];
}

const BUSY = /ing$/;

/** Every project's volumes (`all_tenants=1`, which Cinder's policy grants the admin). */
export default function AdminVolumesPage() {
  const volumes = useApi<{ volumes: AdminVolume[] }>('volumev3', '/volumes/detail?all_tenants=1', (data) => data.volumes.some((v) => BUSY.test(v.status)));
  const remove = useAction<AdminVolume>(['volumev3'], (session, volume) => api(session, 'volumev3', `/volumes/${volume.id}`, { method: 'DELETE' }));
  const projectName = useProjectName();
  return (
    <section>
      <h1>All volumes</h1>
      <ErrorNotice error={volumes.error ?? remove.error} />
      {volumes.data && (
        <DataTable
          label="All volumes"
          rows={volumes.data.volumes}
          empty="No volumes in any project."
          columns={[
            { header: 'Project', cell: (v) => projectName(v['os-vol-tenant-attr:tenant_id']) },
            { header: 'Name', cell: (v) => v.name || v.id },
            { header: 'Host', cell: (v) => v['os-vol-host-attr:host'] ?? '' },
            { header: 'Type', cell: (v) => v.volume_type ?? '' },
            { header: 'Size', cell: (v) => `${v.size} GiB` },
            { header: 'Status', cell: (v) => <Status value={v.status} busy={BUSY.test(v.status)} /> },
            { header: 'Attached', cell: (v) => (v.attachments.length > 0 ? 'Yes' : 'No') },
            {
              header: 'Delete',
              cell: (v) => (
                <ConfirmButton
                  label="Delete"
                  subject={v.name || v.id}
                  disabled={v.status !== 'available' && v.status !== 'error'}
                  onConfirm={() => remove.mutate(v)}
                />
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

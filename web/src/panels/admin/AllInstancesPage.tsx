import { addressesOf, inTransition, type Server } from '../../api/compute';
import { useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Status } from '../../components/Status';
import { useProjectName } from './project-names';

export default function AllInstancesPage() {
  const servers = useApi<{ servers: Server[] }>('compute', '/servers/detail?all_tenants=1', (data) => data.servers.some(inTransition));
  const projectName = useProjectName();
  return (
    <section>
      <h1>All instances</h1>
      <ErrorNotice error={servers.error} />
      {servers.data && (
        <DataTable
          label="All instances"
          rows={servers.data.servers}
          empty="No instances in any project."
          columns={[
            { header: 'Project', cell: (s) => projectName(s.tenant_id) },
            { header: 'Name', cell: (s) => s.name },
            { header: 'Status', cell: (s) => <Status value={s.status} busy={inTransition(s)} /> },
            { header: 'Addresses', cell: addressesOf },
          ]}
        />
      )}
    </section>
  );
}

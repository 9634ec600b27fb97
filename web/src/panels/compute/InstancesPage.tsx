import { Link } from 'react-router';
import { addressesOf, inTransition, type Server } from '../../api/compute';
import { useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Status } from '../../components/Status';
import { ServerActions } from './ServerActions';

export default function InstancesPage() {
  const servers = useApi<{ servers: Server[] }>('compute', '/servers/detail', (data) => data.servers.some(inTransition));
  return (
    <section>
      <div className="page-head">
        <h1>Instances</h1>
        <Link className="button" to="/instances/launch">
          Launch instance
        </Link>
      </div>
      <ErrorNotice error={servers.error} />
      {servers.data && (
        <DataTable
          label="Instances"
          rows={servers.data.servers}
          empty="No instances in this project yet: launch one."
          columns={[
            { header: 'Name', cell: (s) => s.name },
            { header: 'Status', cell: (s) => <Status value={s.status} busy={inTransition(s)} /> },
            { header: 'Task', cell: (s) => s['OS-EXT-STS:task_state'] ?? '' },
            { header: 'Addresses', cell: addressesOf },
            { header: 'Actions', cell: (s) => <ServerActions server={s} /> },
          ]}
        />
      )}
    </section>
  );
}

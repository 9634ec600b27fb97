import { Link, useSearchParams } from 'react-router';
import { addressesOf, inTransition, type Server } from '../../api/compute';
import { useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Status } from '../../components/Status';
import { ServerActions } from './ServerActions';

export default function InstancesPage() {
  // The filter lives in the URL: a filtered list is bookmarkable and the back button undoes it.
  const [params, setParams] = useSearchParams();
  const nameFilter = params.get('name') ?? '';
  // Nova matches `name` as a regular expression on the server: the page fetches only what it shows.
  const query = nameFilter ? `?name=${encodeURIComponent(nameFilter)}` : '';
  const servers = useApi<{ servers: Server[] }>('compute', `/servers/detail${query}`, (data) => data.servers.some(inTransition));
  return (
    <section>
      <div className="page-head">
        <h1>Instances</h1>
        <Link className="button" to="/instances/launch">
          Launch instance
        </Link>
      </div>
      <form
        className="form inline"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          const name = String(new FormData(event.currentTarget).get('name'));
          setParams(name ? { name } : {});
        }}
      >
        <label>
          Filter by name
          <input name="name" type="search" defaultValue={nameFilter} key={nameFilter} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNotice error={servers.error} />
      {servers.data && (
        <DataTable
          label="Instances"
          rows={servers.data.servers}
          empty={nameFilter ? `No instance matches "${nameFilter}".` : 'No instances in this project yet: launch one.'}
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

import { useState } from 'react';
import { Link } from 'react-router';
import { addressesOf, inTransition, type Server } from '../../api/compute';
import { useApi } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Status } from '../../components/Status';
import { BulkServerActions } from './BulkServerActions';
import { PAGE_SIZES, SORT_KEYS, useServerListQuery } from './server-list-query';
import { ServerActions } from './ServerActions';

/** Nova's next-page link carries the marker the next page starts after; it gives one only while a page came back full. */
function nextMarker(links: { rel: string; href: string }[] | undefined): string | null {
  const next = links?.find((link) => link.rel === 'next');
  return next ? new URL(next.href, window.location.origin).searchParams.get('marker') : null;
}

export default function InstancesPage() {
  const { query, path, reorder, next, previous } = useServerListQuery();
  const servers = useApi<{ servers: Server[]; servers_links?: { rel: string; href: string }[] }>('compute', path, (data) => data.servers.some(inTransition));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const rows = servers.data?.servers ?? [];
  const following = nextMarker(servers.data?.servers_links);
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const updated = new Set(current);
      if (on) updated.add(id);
      else updated.delete(id);
      return updated;
    });
  const move = (go: () => void) => {
    setSelected(new Set());
    go();
  };

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
        key={`${query.name}|${query.sortKey}|${query.sortDir}|${query.limit}`}
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const sortDir = form.get('sort_dir') === 'asc' ? 'asc' : 'desc';
          move(() => reorder({ name: String(form.get('name')), sortKey: String(form.get('sort_key')), sortDir, limit: Number(form.get('limit')) }));
        }}
      >
        <label>
          Filter by name
          <input name="name" type="search" defaultValue={query.name} />
        </label>
        <label>
          Sort by
          <select name="sort_key" defaultValue={query.sortKey}>
            {SORT_KEYS.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order
          <select name="sort_dir" defaultValue={query.sortDir}>
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </label>
        <label>
          Rows per page
          <select name="limit" defaultValue={query.limit}>
            {[...new Set([...PAGE_SIZES, query.limit])].map((size) => (
              <option key={size}>{size}</option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNotice error={servers.error} />
      {rows.length > 0 && <BulkServerActions selected={rows.filter((s) => selected.has(s.id))} onDone={() => setSelected(new Set())} />}
      {servers.data && (
        <DataTable
          label="Instances"
          rows={rows}
          empty={query.name ? `No instance matches "${query.name}".` : query.marker ? 'No more instances.' : 'No instances in this project yet: launch one.'}
          columns={[
            {
              header: 'Select',
              cell: (s) => (
                <label>
                  <input type="checkbox" checked={selected.has(s.id)} onChange={(event) => toggle(s.id, event.target.checked)} />
                  <span className="visually-hidden">Select {s.name}</span>
                </label>
              ),
            },
            { header: 'Name', cell: (s) => s.name },
            { header: 'Status', cell: (s) => <Status value={s.status} busy={inTransition(s)} /> },
            { header: 'Task', cell: (s) => s['OS-EXT-STS:task_state'] ?? '' },
            { header: 'Addresses', cell: addressesOf },
            { header: 'Actions', cell: (s) => <ServerActions server={s} /> },
          ]}
        />
      )}
      {(query.marker || following) && (
        <nav aria-label="Instance list pages" className="actions">
          {query.marker && (
            <button type="button" onClick={() => move(previous)}>
              Previous page
            </button>
          )}
          {following && (
            <button type="button" onClick={() => move(() => next(following))}>
              Next page
            </button>
          )}
        </nav>
      )}
    </section>
  );
}

import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { listing, PUBLIC_READ_ACL, swiftPath, type ContainerEntry } from '../../api/object-store';
import type { Session } from '../../api/session';
import { formatBytes } from '../../api/transfer';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';

type Change = { create: string; publicRead: boolean } | { remove: string };

function changeContainers(session: Session, change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'object-store', swiftPath(change.remove), { method: 'DELETE' });
  return api(session, 'object-store', swiftPath(change.create), { method: 'PUT', headers: change.publicRead ? { 'x-container-read': PUBLIC_READ_ACL } : {} });
}

export default function ContainersPage() {
  const containers = useApi<unknown>('object-store', '?format=json');
  const change = useAction<Change>(['object-store'], changeContainers);
  const rows = listing<ContainerEntry>(containers.data).map((c) => ({ ...c, id: c.name }));

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ create: String(form.get('name')), publicRead: form.get('public') === 'on' });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Containers</h1>
      <form className="form inline" onSubmit={create} aria-label="Create container">
        <TextField label="Container name" name="name" required pattern="[^/]+" title="A container name has no slash." />
        <label className="check">
          <input name="public" type="checkbox" />
          Public read
        </label>
        <button type="submit">Create container</button>
      </form>
      <ErrorNotice error={containers.error ?? change.error} />
      {containers.data !== undefined && (
        <DataTable
          label="Containers"
          rows={rows}
          empty="No containers yet: create one above to store objects."
          columns={[
            { header: 'Name', cell: (c) => <Link to={`/containers/${encodeURIComponent(c.name)}`}>{c.name}</Link> },
            { header: 'Objects', cell: (c) => c.count },
            { header: 'Size', cell: (c) => formatBytes(c.bytes) },
            // Swift refuses to delete a container that still holds objects, and says so (409).
            { header: 'Delete', cell: (c) => <ConfirmButton label="Delete" subject={c.name} onConfirm={() => change.mutate({ remove: c.name })} /> },
          ]}
        />
      )}
    </section>
  );
}

import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { filledFields, nameIn, type Domain, type Group } from '../../api/identity';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { DomainSelect } from './fields';
import { useChange, useList } from './hooks';
import { RowActions } from './RowActions';

export default function GroupsPage() {
  const groups = useList<Group>('groups');
  const domains = useList<Domain>('domains');
  const change = useChange('groups');

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate({ create: filledFields(new FormData(event.currentTarget), ['name', 'description', 'domain_id']) });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Groups</h1>
      <form className="form inline" onSubmit={create} aria-label="Create group">
        <TextField label="Group name" name="name" required />
        <TextField label="Description" name="description" />
        <DomainSelect domains={domains.rows} />
        <button type="submit" disabled={change.isPending}>
          Create group
        </button>
      </form>
      <ErrorNotice error={groups.error ?? change.error} />
      {groups.rows && (
        <DataTable
          label="Groups"
          rows={groups.rows}
          empty="No groups yet: create one above, then add users to it."
          columns={[
            { header: 'Name', cell: (g) => <Link to={`/identity/groups/${g.id}`}>{g.name}</Link> },
            { header: 'Description', cell: (g) => g.description ?? '' },
            { header: 'Domain', cell: (g) => nameIn(domains.rows, g.domain_id) },
            { header: 'Actions', cell: (g) => <RowActions change={change} kind="group" row={g} /> },
          ]}
        />
      )}
    </section>
  );
}

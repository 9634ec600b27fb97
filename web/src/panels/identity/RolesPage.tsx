import type { FormEvent } from 'react';
import { filledFields, type Role } from '../../api/identity';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { useChange, useList } from './hooks';
import { RowActions } from './RowActions';

export default function RolesPage() {
  const roles = useList<Role>('roles');
  const change = useChange('roles');

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate({ create: filledFields(new FormData(event.currentTarget), ['name', 'description']) });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Roles</h1>
      <form className="form inline" onSubmit={create} aria-label="Create role">
        <TextField label="Role name" name="name" required />
        <TextField label="Description" name="description" />
        <button type="submit" disabled={change.isPending}>
          Create role
        </button>
      </form>
      <ErrorNotice error={roles.error ?? change.error} />
      {roles.rows && (
        <DataTable
          label="Roles"
          rows={roles.rows}
          empty="No roles yet: create one above."
          columns={[
            { header: 'Name', cell: (r) => r.name },
            { header: 'Description', cell: (r) => r.description ?? '' },
            { header: 'Actions', cell: (r) => <RowActions change={change} kind="role" row={r} /> },
          ]}
        />
      )}
    </section>
  );
}

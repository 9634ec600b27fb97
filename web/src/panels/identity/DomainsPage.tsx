import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { filledFields, type Domain } from '../../api/identity';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { EnabledField, yesNo } from './fields';
import { useChange, useList } from './hooks';
import { RowActions } from './RowActions';

/** Keystone refuses to delete an enabled domain: its message shows here, and Disable is beside Delete. */
export default function DomainsPage() {
  const domains = useList<Domain>('domains');
  const change = useChange('domains');

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ create: { ...filledFields(form, ['name', 'description']), enabled: form.get('enabled') === 'on' } });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Domains</h1>
      <form className="form inline" onSubmit={create} aria-label="Create domain">
        <TextField label="Domain name" name="name" required />
        <TextField label="Description" name="description" />
        <EnabledField />
        <button type="submit" disabled={change.isPending}>
          Create domain
        </button>
      </form>
      <ErrorNotice error={domains.error ?? change.error} />
      {domains.rows && (
        <DataTable
          label="Domains"
          rows={domains.rows}
          empty="No domains: create one above."
          columns={[
            { header: 'Name', cell: (d) => <Link to={`/identity/domains/${d.id}`}>{d.name}</Link> },
            { header: 'Description', cell: (d) => d.description ?? '' },
            { header: 'Enabled', cell: (d) => yesNo(d.enabled) },
            { header: 'Actions', cell: (d) => <RowActions change={change} kind="domain" row={d} toggle /> },
          ]}
        />
      )}
    </section>
  );
}

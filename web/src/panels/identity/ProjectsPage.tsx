import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { filledFields, nameIn, type Domain, type Project } from '../../api/identity';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { DomainSelect, EnabledField, yesNo } from './fields';
import { useChange, useList } from './hooks';
import { RowActions } from './RowActions';

/** Keystone's projects (policy identity:list_projects decides who sees them; a refusal shows as Keystone said it). */
export default function ProjectsPage() {
  const projects = useList<Project>('projects');
  const domains = useList<Domain>('domains');
  const change = useChange('projects');

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ create: { ...filledFields(form, ['name', 'description', 'domain_id']), enabled: form.get('enabled') === 'on' } });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Projects</h1>
      <form className="form inline" onSubmit={create} aria-label="Create project">
        <TextField label="Project name" name="name" required />
        <TextField label="Description" name="description" />
        <DomainSelect domains={domains.rows} />
        <EnabledField />
        <button type="submit" disabled={change.isPending}>
          Create project
        </button>
      </form>
      <ErrorNotice error={projects.error ?? change.error} />
      {projects.rows && (
        <DataTable
          label="Projects"
          rows={projects.rows}
          empty="No projects yet: create one above."
          columns={[
            { header: 'Name', cell: (p) => <Link to={`/identity/projects/${p.id}`}>{p.name}</Link> },
            { header: 'Description', cell: (p) => p.description ?? '' },
            { header: 'Domain', cell: (p) => nameIn(domains.rows, p.domain_id) },
            { header: 'Enabled', cell: (p) => yesNo(p.enabled) },
            { header: 'Actions', cell: (p) => <RowActions change={change} kind="project" row={p} /> },
          ]}
        />
      )}
    </section>
  );
}

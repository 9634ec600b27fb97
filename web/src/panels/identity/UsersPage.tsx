import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { useAction } from '../../api/hooks';
import { changeResource, filledFields, nameIn, setProjectRole, type Domain, type Fields, type Project, type Role, type User } from '../../api/identity';
import type { Session } from '../../api/session';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { DomainSelect, EnabledField, ProjectSelect, RoleSelect, yesNo } from './fields';
import { useChange, useList } from './hooks';
import { RowActions } from './RowActions';

interface NewUser {
  fields: Fields;
  projectId: string;
  roleId: string;
}

/** As Horizon does: the user is created with its primary project, then given the role on that project. */
async function createUser(session: Session, { fields, projectId, roleId }: NewUser): Promise<void> {
  const { user } = await changeResource<User>(session, 'users', { create: projectId ? { ...fields, default_project_id: projectId } : fields });
  if (user && projectId && roleId) await setProjectRole(session, { projectId, userId: user.id, roleId, granted: true });
}

export default function UsersPage() {
  const users = useList<User>('users');
  const domains = useList<Domain>('domains');
  const projects = useList<Project>('projects');
  const roles = useList<Role>('roles');
  const change = useChange('users');
  const create = useAction(['identity'], createUser);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // A password is taken as typed: spaces in it are part of it.
    const password = String(form.get('password'));
    const fields = { ...filledFields(form, ['name', 'email', 'domain_id']), ...(password ? { password } : {}), enabled: form.get('enabled') === 'on' };
    create.mutate({ fields, projectId: String(form.get('project_id')), roleId: String(form.get('role_id')) });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Users</h1>
      <form className="form inline" onSubmit={submit} aria-label="Create user">
        <TextField label="User name" name="name" required autoComplete="off" />
        <TextField label="Email" name="email" type="email" />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" />
        <DomainSelect domains={domains.rows} />
        <ProjectSelect projects={projects.rows} none="(no primary project)" />
        <RoleSelect roles={roles.rows} />
        <EnabledField />
        <button type="submit" disabled={create.isPending}>
          Create user
        </button>
      </form>
      <ErrorNotice error={users.error ?? create.error ?? change.error} />
      {users.rows && (
        <DataTable
          label="Users"
          rows={users.rows}
          empty="No users yet: create one above."
          columns={[
            { header: 'Name', cell: (u) => <Link to={`/identity/users/${u.id}`}>{u.name}</Link> },
            { header: 'Email', cell: (u) => u.email ?? '' },
            { header: 'Domain', cell: (u) => nameIn(domains.rows, u.domain_id) },
            { header: 'Primary project', cell: (u) => nameIn(projects.rows, u.default_project_id) },
            { header: 'Enabled', cell: (u) => yesNo(u.enabled) },
            { header: 'Actions', cell: (u) => <RowActions change={change} kind="user" row={u} toggle /> },
          ]}
        />
      )}
    </section>
  );
}

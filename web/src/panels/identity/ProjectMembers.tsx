import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/hooks';
import { setProjectRole, type Project, type Role, type RoleAssignment, type User } from '../../api/identity';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RoleSelect, UserSelect } from './fields';
import { useList } from './hooks';
import './identity.css';

interface Member {
  id: string;
  name: string;
  roles: { id: string; name: string }[];
}

/** The users with a role on the project given to them directly (a group's roles are the group's to manage), one row each. */
function membersOf(assignments: RoleAssignment[]): Member[] {
  const members = new Map<string, Member>();
  for (const a of assignments) {
    if (!a.user) continue;
    const member = members.get(a.user.id) ?? { id: a.user.id, name: a.user.name ?? a.user.id, roles: [] };
    member.roles.push({ id: a.role.id, name: a.role.name ?? a.role.id });
    members.set(a.user.id, member);
  }
  return [...members.values()];
}

/** A project's members and their roles: add a user with a role, remove one role of a member. */
export function ProjectMembers({ project }: { project: Project }) {
  const assignments = useApi<{ role_assignments: RoleAssignment[] }>('identity', `/role_assignments?scope.project.id=${project.id}&include_names=true`);
  const users = useList<User>('users');
  const roles = useList<Role>('roles');
  const grant = useAction(['identity'], setProjectRole);

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    grant.mutate({ projectId: project.id, userId: String(form.get('user_id')), roleId: String(form.get('role_id')), granted: true });
  }

  return (
    <section aria-labelledby="members">
      <h2 id="members">Members</h2>
      <form className="form inline" onSubmit={add} aria-label="Add member">
        <UserSelect users={users.rows} />
        <RoleSelect roles={roles.rows} />
        <button type="submit" disabled={grant.isPending}>
          Add member
        </button>
      </form>
      <ErrorNotice error={assignments.error ?? users.error ?? roles.error ?? grant.error} />
      {assignments.data && (
        <DataTable
          label="Members"
          rows={membersOf(assignments.data.role_assignments)}
          empty="No user has a role on this project yet: add one above."
          columns={[
            { header: 'User', cell: (m) => m.name },
            {
              header: 'Roles',
              cell: (m) => (
                <ul className="actions role-list" aria-label={`Roles of ${m.name}`}>
                  {m.roles.map((r) => (
                    <li key={r.id}>
                      {r.name}
                      <ConfirmButton
                        label="Remove"
                        subject={`role ${r.name} of ${m.name}`}
                        disabled={grant.isPending}
                        onConfirm={() => grant.mutate({ projectId: project.id, userId: m.id, roleId: r.id, granted: false })}
                      />
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

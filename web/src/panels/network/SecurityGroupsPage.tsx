import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import type { SecurityGroup } from '../../api/network';
import type { Session } from '../../api/session';
import { useSession } from '../../auth/session-context';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';

type Change = { create: { name: string; description: string } } | { remove: SecurityGroup };

function changeGroups(session: Session, change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'network', `/security-groups/${change.remove.id}`, { method: 'DELETE' });
  return api(session, 'network', '/security-groups', { method: 'POST', body: { security_group: change.create } });
}

/** The project's own groups: an admin's list would otherwise hold every project's. */
export function useProjectSecurityGroups() {
  return useApi<{ security_groups: SecurityGroup[] }>('network', `/security-groups?project_id=${useSession().project.id}`);
}

export default function SecurityGroupsPage() {
  const groups = useProjectSecurityGroups();
  const change = useAction<Change>(['network'], changeGroups);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ create: { name: String(form.get('name')), description: String(form.get('description')) } });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Security groups</h1>
      <form className="form inline" onSubmit={create} aria-label="Create security group">
        <TextField label="Group name" name="name" required />
        <TextField label="Description" name="description" />
        <button type="submit">Create security group</button>
      </form>
      <ErrorNotice error={groups.error ?? change.error} />
      {groups.data && (
        <DataTable
          label="Security groups"
          rows={groups.data.security_groups}
          empty="No security groups: create one above."
          columns={[
            { header: 'Name', cell: (g) => <Link to={`/security-groups/${g.id}`}>{g.name}</Link> },
            { header: 'Description', cell: (g) => g.description ?? '' },
            { header: 'Rules', cell: (g) => g.security_group_rules?.length ?? 0 },
            {
              header: 'Delete',
              cell: (g) => <ConfirmButton label="Delete" subject={g.name} disabled={g.name === 'default'} onConfirm={() => change.mutate({ remove: g })} />,
            },
          ]}
        />
      )}
    </section>
  );
}

import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/hooks';
import { setGroupMember, type Group, type User } from '../../api/identity';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { UserSelect } from './fields';
import { useList } from './hooks';
import { ResourcePage } from './ResourcePage';

/** The group's users (`GET /v3/groups/{id}/users`), with adding and removing one. */
function GroupMembers({ group }: { group: Group }) {
  const members = useApi<{ users: User[] }>('identity', `/groups/${group.id}/users`);
  const users = useList<User>('users');
  const membership = useAction(['identity'], setGroupMember);

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    membership.mutate({ groupId: group.id, userId: String(new FormData(event.currentTarget).get('user_id')), member: true });
  }

  return (
    <section aria-labelledby="members">
      <h2 id="members">Members</h2>
      <form className="form inline" onSubmit={add} aria-label="Add user to group">
        <UserSelect users={users.rows} />
        <button type="submit" disabled={membership.isPending}>
          Add to group
        </button>
      </form>
      <ErrorNotice error={members.error ?? users.error ?? membership.error} />
      {members.data && (
        <DataTable
          label="Group members"
          rows={members.data.users}
          empty="No users in this group yet: add one above."
          columns={[
            { header: 'User', cell: (u) => u.name },
            { header: 'Email', cell: (u) => u.email ?? '' },
            {
              header: 'Remove',
              cell: (u) => (
                <ConfirmButton
                  label="Remove"
                  subject={`${u.name} from group ${group.name}`}
                  disabled={membership.isPending}
                  onConfirm={() => membership.mutate({ groupId: group.id, userId: u.id, member: false })}
                />
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

export default function GroupPage() {
  return <ResourcePage<Group> collection="groups" kind="group" more={(group) => <GroupMembers group={group} />} />;
}

import { useState, type FormEvent } from 'react';
import type { User } from '../../api/identity';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { useChange } from './hooks';
import { ResourcePage } from './ResourcePage';

/** An administrator sets a password with `PATCH /v3/users/{id}`: the user's own change (with the old one) is a different call. */
function SetPassword({ user }: { user: User }) {
  const change = useChange('users');
  const [done, setDone] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setDone(false);
    change.mutate(
      { update: user.id, fields: { password: String(data.get('password')) } },
      {
        onSuccess: () => {
          setDone(true);
          form.reset();
        },
      },
    );
  }

  return (
    <form className="form" onSubmit={submit} aria-label={`Set password of ${user.name}`}>
      <h2>Set password</h2>
      <TextField label="New password" name="password" type="password" required autoComplete="new-password" />
      <button type="submit" disabled={change.isPending}>
        Set password
      </button>
      {done && <p role="status">Password set.</p>}
      <ErrorNotice error={change.error} />
    </form>
  );
}

export default function UserPage() {
  return (
    <ResourcePage<User>
      collection="users"
      kind="user"
      fields={[
        { name: 'name', label: 'Name' },
        { name: 'email', label: 'Email', type: 'email' },
        { name: 'description', label: 'Description' },
      ]}
      more={(user) => <SetPassword user={user} />}
    />
  );
}

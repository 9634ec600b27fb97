import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { useSessionState } from './session-context';

export function LoginPage() {
  const { login } = useSessionState();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await login(String(form.get('domain')), String(form.get('user')), String(form.get('password')));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>Nimbus</h1>
      <form onSubmit={submit} aria-label="Log in">
        <label>
          Domain
          <input name="domain" defaultValue="Default" required autoComplete="organization" />
        </label>
        <label>
          User name
          <input name="user" required autoComplete="username" autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" required autoComplete="current-password" />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <ErrorNotice error={error} />
      </form>
    </main>
  );
}

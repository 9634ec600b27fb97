/**
 * Keystone does not extend a token, and a rescoped token keeps its parent's expiry: before the
 * session ends the user is asked for the password once more, and gets fresh tokens for the same
 * project without losing the page.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { useSession, useSessionState } from './session-context';

const WARN_BEFORE_MS = 5 * 60 * 1000;

export function SessionExpiry() {
  const session = useSession();
  const { login } = useSessionState();
  const [due, setDue] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setDue(false);
    const wait = Date.parse(session.expiresAt) - WARN_BEFORE_MS - Date.now();
    const timer = window.setTimeout(() => setDue(true), Math.max(0, wait));
    return () => window.clearTimeout(timer);
  }, [session.expiresAt]);

  if (!due) return null;
  async function renew(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await login(session.domainName, session.userName, String(new FormData(event.currentTarget).get('password')));
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <form className="banner" onSubmit={renew} aria-label="Renew session">
      <span>Your session ends at {new Date(session.expiresAt).toLocaleTimeString()}.</span>
      <label>
        Password
        <input name="password" type="password" required autoComplete="current-password" />
      </label>
      <button type="submit">Stay signed in</button>
      <ErrorNotice error={error} />
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction, useApiHeaders } from '../../api/hooks';
import { newTempUrlKey, TEMP_URL_KEY_HEADER, tempUrl } from '../../api/temp-url';
import { useSession } from '../../auth/session-context';
import { ErrorNotice } from '../../components/ErrorNotice';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `<input type="datetime-local">`'s value for a moment, in the user's time zone. */
function localInputValue(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

/** Signs a GET-only temporary URL for one object under the account's Temp-URL-Key, making a key first if the account has none. */
export function TempUrlForm({ container, object, onClose }: { container: string; object: string; onClose(): void }) {
  const session = useSession();
  const account = useApiHeaders('object-store', '');
  const key = account.data?.[TEMP_URL_KEY_HEADER];
  const [url, setUrl] = useState<string | null>(null);
  const [signError, setSignError] = useState<unknown>(null);
  const createKey = useAction<void>(['object-store'], (s) =>
    api(s, 'object-store', '', { method: 'POST', headers: { [TEMP_URL_KEY_HEADER]: newTempUrlKey() } }),
  );

  async function sign(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!key) return;
    setSignError(null);
    const expires = Math.floor(new Date(String(new FormData(event.currentTarget).get('expires'))).getTime() / 1000);
    try {
      setUrl(await tempUrl(session, key, container, object, expires));
    } catch (failure) {
      setSignError(failure);
    }
  }

  return (
    <section aria-label={`Temporary URL for ${object}`} className="form">
      <h2>Temporary URL for {object}</h2>
      {account.data && !key && (
        <p>
          The account has no Temp-URL-Key yet.{' '}
          <button type="button" onClick={() => createKey.mutate()}>
            Create a Temp-URL-Key
          </button>
        </p>
      )}
      {key && (
        <form className="form inline" onSubmit={(event) => void sign(event)} aria-label={`Sign a temporary URL for ${object}`}>
          <label>
            Expires at
            <input name="expires" type="datetime-local" required min={localInputValue(Date.now())} defaultValue={localInputValue(Date.now() + DAY_MS)} />
          </label>
          <button type="submit">Generate URL</button>
        </form>
      )}
      {url && (
        <label>
          Temporary URL (GET, no token needed)
          <input readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
        </label>
      )}
      <ErrorNotice error={account.error ?? createKey.error ?? signError} />
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}

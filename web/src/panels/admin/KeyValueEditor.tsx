import type { FormEvent } from 'react';
import { DataTable } from '../../components/DataTable';

/** Key/value properties (flavor and volume type extra specs, aggregate metadata): each can be removed, a new one set. */
export function KeyValueEditor({
  label,
  entries,
  onSet,
  onUnset,
  busy,
}: {
  label: string;
  entries: Record<string, string>;
  onSet(key: string, value: string): void;
  onUnset(key: string): void;
  busy: boolean;
}) {
  function set(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onSet(String(form.get('key')).trim(), String(form.get('value')));
    event.currentTarget.reset();
  }
  return (
    <div>
      <DataTable
        label={label}
        rows={Object.entries(entries).map(([key, value]) => ({ id: key, value }))}
        empty={`No ${label.toLowerCase()} yet: set one below.`}
        columns={[
          { header: 'Key', cell: (e) => <code>{e.id}</code> },
          { header: 'Value', cell: (e) => <code>{e.value}</code> },
          {
            header: 'Remove',
            cell: (e) => (
              <button type="button" disabled={busy} onClick={() => onUnset(e.id)} aria-label={`Remove ${e.id}`}>
                Remove
              </button>
            ),
          },
        ]}
      />
      <form className="form inline" onSubmit={set} aria-label={`Set ${label.toLowerCase()}`}>
        <label>
          Key
          <input name="key" required />
        </label>
        <label>
          Value
          <input name="value" required />
        </label>
        <button type="submit" disabled={busy}>
          Set
        </button>
      </form>
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import type { Collection, Fields } from '../../api/identity';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { EnabledField } from './fields';
import { useChange } from './hooks';

export interface EditableField {
  name: 'name' | 'description' | 'email';
  label: string;
  type?: string;
}

export interface Editable {
  id: string;
  name: string;
  description?: string | null;
  email?: string | null;
  enabled?: boolean;
}

/**
 * The edit form of one Keystone resource (`PATCH /v3/{collection}/{id}`): its text fields, and `enabled`
 * when the resource has it. Every field is sent, so clearing one clears it in Keystone.
 */
export function ResourceEditor({ collection, kind, resource, fields }: { collection: Collection; kind: string; resource: Editable; fields: EditableField[] }) {
  const change = useChange(collection);
  const [saved, setSaved] = useState(false);

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const update: Fields = {};
    for (const field of fields) update[field.name] = String(form.get(field.name)).trim();
    if (resource.enabled !== undefined) update.enabled = form.get('enabled') === 'on';
    setSaved(false);
    change.mutate({ update: resource.id, fields: update }, { onSuccess: () => setSaved(true) });
  }

  return (
    <form className="form" onSubmit={save} aria-label={`Edit ${kind} ${resource.name}`}>
      {fields.map((field) => (
        <TextField
          key={field.name}
          label={field.label}
          name={field.name}
          type={field.type}
          required={field.name === 'name'}
          defaultValue={resource[field.name] ?? ''}
        />
      ))}
      {resource.enabled !== undefined && <EnabledField defaultChecked={resource.enabled} />}
      <button type="submit" disabled={change.isPending}>
        Save {kind}
      </button>
      {saved && <p role="status">Saved.</p>}
      <ErrorNotice error={change.error} />
    </form>
  );
}

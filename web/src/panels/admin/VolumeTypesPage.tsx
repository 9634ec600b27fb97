import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import type { Session } from '../../api/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { ExtraSpecs } from './ExtraSpecs';

interface VolumeType {
  id: string;
  name: string;
  description: string | null;
  is_public: boolean;
}

type Change = { create: { name: string; description: string; 'os-volume-type-access:is_public': boolean } } | { remove: VolumeType };

function changeTypes(session: Session, change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'volumev3', `/types/${change.remove.id}`, { method: 'DELETE' });
  return api(session, 'volumev3', '/types', { method: 'POST', body: { volume_type: change.create } });
}

/** Cinder's volume types with their extra specs (the backend a type lands on, its capabilities). */
export default function VolumeTypesPage() {
  const types = useApi<{ volume_types: VolumeType[] }>('volumev3', '/types');
  const change = useAction(['volumev3'], changeTypes);
  const [shown, setShown] = useState<VolumeType | null>(null);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({
      create: {
        name: String(form.get('name')).trim(),
        description: String(form.get('description')),
        'os-volume-type-access:is_public': form.get('is_public') === 'on',
      },
    });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Volume types</h1>
      <form className="form inline" onSubmit={create} aria-label="Create volume type">
        <TextField label="Type name" name="name" required />
        <TextField label="Description" name="description" />
        <label>
          <input type="checkbox" name="is_public" defaultChecked /> Public
        </label>
        <button type="submit" disabled={change.isPending}>
          Create volume type
        </button>
      </form>
      <ErrorNotice error={types.error ?? change.error} />
      {types.data && (
        <DataTable
          label="Volume types"
          rows={types.data.volume_types}
          empty="No volume types: create one to offer a backend or its capabilities."
          columns={[
            { header: 'Name', cell: (t) => t.name },
            { header: 'Description', cell: (t) => t.description ?? '' },
            { header: 'Public', cell: (t) => (t.is_public ? 'Yes' : 'No') },
            {
              header: 'Extra specs',
              cell: (t) => (
                <button
                  type="button"
                  aria-pressed={shown?.id === t.id}
                  onClick={() => setShown(shown?.id === t.id ? null : t)}
                  aria-label={`Extra specs of ${t.name}`}
                >
                  Extra specs
                </button>
              ),
            },
            { header: 'Delete', cell: (t) => <ConfirmButton label="Delete" subject={t.name} onConfirm={() => change.mutate({ remove: t })} /> },
          ]}
        />
      )}
      {shown && <ExtraSpecs key={shown.id} service="volumev3" path={`/types/${shown.id}/extra_specs`} subject={shown.name} />}
    </section>
  );
}

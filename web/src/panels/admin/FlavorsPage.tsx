import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import type { Session } from '../../api/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { ExtraSpecs } from './ExtraSpecs';

interface AdminFlavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  swap: number | '';
  'OS-FLV-EXT-DATA:ephemeral': number;
  'os-flavor-access:is_public': boolean;
}

type NewFlavor = Omit<AdminFlavor, 'id' | 'swap'> & { swap: number };
type Change = { create: NewFlavor } | { remove: AdminFlavor };

function changeFlavors(session: Session, change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'compute', `/flavors/${encodeURIComponent(change.remove.id)}`, { method: 'DELETE' });
  return api(session, 'compute', '/flavors', { method: 'POST', body: { flavor: change.create } });
}

function readFlavor(form: FormData): NewFlavor {
  const number = (name: string) => Number(form.get(name));
  return {
    name: String(form.get('name')).trim(),
    vcpus: number('vcpus'),
    ram: number('ram'),
    disk: number('disk'),
    'OS-FLV-EXT-DATA:ephemeral': number('ephemeral'),
    swap: number('swap'),
    'os-flavor-access:is_public': form.get('is_public') === 'on',
  };
}

/** Every flavor, public and private (`is_public=None` asks Nova for both, as an admin may). */
export default function FlavorsPage() {
  const flavors = useApi<{ flavors: AdminFlavor[] }>('compute', '/flavors/detail?is_public=None');
  const change = useAction(['compute'], changeFlavors);
  const [shown, setShown] = useState<AdminFlavor | null>(null);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate({ create: readFlavor(new FormData(event.currentTarget)) });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Flavors</h1>
      <form className="form inline" onSubmit={create} aria-label="Create flavor">
        <TextField label="Flavor name" name="name" required />
        <TextField label="vCPUs" name="vcpus" type="number" min={1} defaultValue={1} required />
        <TextField label="RAM (MiB)" name="ram" type="number" min={1} defaultValue={512} required />
        <TextField label="Root disk (GiB)" name="disk" type="number" min={0} defaultValue={1} required />
        <TextField label="Ephemeral disk (GiB)" name="ephemeral" type="number" min={0} defaultValue={0} required />
        <TextField label="Swap (MiB)" name="swap" type="number" min={0} defaultValue={0} required />
        <label>
          <input type="checkbox" name="is_public" defaultChecked /> Public
        </label>
        <button type="submit" disabled={change.isPending}>
          Create flavor
        </button>
      </form>
      <ErrorNotice error={flavors.error ?? change.error} />
      {flavors.data && (
        <DataTable
          label="Flavors"
          rows={flavors.data.flavors}
          empty="No flavors: create one above so that instances can be launched."
          columns={[
            { header: 'Name', cell: (f) => f.name },
            { header: 'vCPUs', cell: (f) => f.vcpus },
            { header: 'RAM', cell: (f) => `${f.ram} MiB` },
            { header: 'Root disk', cell: (f) => `${f.disk} GiB` },
            { header: 'Ephemeral', cell: (f) => `${f['OS-FLV-EXT-DATA:ephemeral']} GiB` },
            { header: 'Swap', cell: (f) => `${f.swap || 0} MiB` },
            { header: 'Public', cell: (f) => (f['os-flavor-access:is_public'] ? 'Yes' : 'No') },
            {
              header: 'Extra specs',
              cell: (f) => (
                <button
                  type="button"
                  aria-pressed={shown?.id === f.id}
                  onClick={() => setShown(shown?.id === f.id ? null : f)}
                  aria-label={`Extra specs of ${f.name}`}
                >
                  Extra specs
                </button>
              ),
            },
            { header: 'Delete', cell: (f) => <ConfirmButton label="Delete" subject={f.name} onConfirm={() => change.mutate({ remove: f })} /> },
          ]}
        />
      )}
      {shown && <ExtraSpecs key={shown.id} service="compute" path={`/flavors/${encodeURIComponent(shown.id)}/os-extra_specs`} subject={shown.name} />}
    </section>
  );
}

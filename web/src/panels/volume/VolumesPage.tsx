import type { FormEvent } from 'react';
import { api } from '../../api/client';
import type { Server } from '../../api/compute';
import { useAction, useApi } from '../../api/hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Status } from '../../components/Status';

interface Volume {
  id: string;
  name: string | null;
  size: number;
  status: string;
  attachments: { server_id: string; device?: string }[];
}

const SETTLED = new Set(['available', 'in-use', 'error', 'error_deleting', 'error_extending']);
const settled = (volume: Volume) => SETTLED.has(volume.status);

type Change = { create: { name: string; size: number } } | { attach: Volume; serverId: string } | { detach: Volume; serverId: string } | { remove: Volume };

/** Cinder holds the volumes; attaching and detaching go through Nova, which tells Cinder. */
function changeVolume(session: Parameters<typeof api>[0], change: Change): Promise<unknown> {
  if ('create' in change) return api(session, 'volumev3', '/volumes', { method: 'POST', body: { volume: change.create } });
  if ('attach' in change)
    return api(session, 'compute', `/servers/${change.serverId}/os-volume_attachments`, {
      method: 'POST',
      body: { volumeAttachment: { volumeId: change.attach.id } },
    });
  if ('detach' in change) return api(session, 'compute', `/servers/${change.serverId}/os-volume_attachments/${change.detach.id}`, { method: 'DELETE' });
  return api(session, 'volumev3', `/volumes/${change.remove.id}`, { method: 'DELETE' });
}

export default function VolumesPage() {
  const volumes = useApi<{ volumes: Volume[] }>('volumev3', '/volumes/detail', (data) => !data.volumes.every(settled));
  const servers = useApi<{ servers: Server[] }>('compute', '/servers/detail');
  const change = useAction<Change>(['volumev3', 'compute'], changeVolume);
  const serverName = (id: string) => servers.data?.servers.find((s) => s.id === id)?.name ?? id;

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ create: { name: String(form.get('name')), size: Number(form.get('size')) } });
    event.currentTarget.reset();
  }

  function attachControl(volume: Volume) {
    const label = volume.name || volume.id;
    if (volume.status === 'in-use') {
      return volume.attachments.map((a) => (
        <button
          key={a.server_id}
          type="button"
          onClick={() => change.mutate({ detach: volume, serverId: a.server_id })}
          aria-label={`Detach ${label} from ${serverName(a.server_id)}`}
        >
          Detach
        </button>
      ));
    }
    if (volume.status !== 'available') return null;
    return (
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          change.mutate({ attach: volume, serverId: String(new FormData(event.currentTarget).get('server')) });
        }}
      >
        <label>
          Instance for {label}
          <select name="server" required>
            {servers.data?.servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" aria-label={`Attach ${label}`} disabled={!servers.data?.servers.length}>
          Attach
        </button>
      </form>
    );
  }

  return (
    <section>
      <h1>Volumes</h1>
      <form className="form inline" onSubmit={create} aria-label="Create volume">
        <label>
          Volume name
          <input name="name" required />
        </label>
        <label>
          Size (GiB)
          <input name="size" type="number" min={1} defaultValue={1} required />
        </label>
        <button type="submit">Create volume</button>
      </form>
      <ErrorNotice error={volumes.error ?? change.error} />
      {volumes.data && (
        <DataTable
          label="Volumes"
          rows={volumes.data.volumes}
          empty="No volumes in this project yet: create one above."
          columns={[
            { header: 'Name', cell: (v) => v.name || v.id },
            { header: 'Size', cell: (v) => `${v.size} GiB` },
            { header: 'Status', cell: (v) => <Status value={v.status} busy={!settled(v)} /> },
            { header: 'Attached to', cell: (v) => v.attachments.map((a) => `${serverName(a.server_id)}${a.device ? ` on ${a.device}` : ''}`).join(', ') },
            { header: 'Attachment', cell: attachControl },
            {
              header: 'Delete',
              cell: (v) => (
                <ConfirmButton
                  label="Delete"
                  subject={v.name || v.id}
                  disabled={v.status !== 'available' && v.status !== 'error'}
                  onConfirm={() => change.mutate({ remove: v })}
                />
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

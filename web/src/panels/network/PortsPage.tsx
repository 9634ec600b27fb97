import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { nameOrId, type Network, type Port } from '../../api/network';
import type { Session } from '../../api/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { NetworkSelect } from './NetworkSelect';
import { Status } from '../../components/Status';
import { TextField } from '../../components/TextField';
import { useProjectSecurityGroups } from './SecurityGroupsPage';

type PortRow = Port & { admin_state_up: boolean };

interface NewPort {
  network_id: string;
  name: string;
  fixed_ips?: { ip_address: string }[];
  security_groups?: string[];
}

type Change = { create: NewPort } | { update: PortRow; name: string; admin_state_up: boolean } | { remove: PortRow };

function changePorts(session: Session, change: Change): Promise<unknown> {
  if ('create' in change) return api(session, 'network', '/ports', { method: 'POST', body: { port: change.create } });
  if ('update' in change)
    return api(session, 'network', `/ports/${change.update.id}`, {
      method: 'PUT',
      body: { port: { name: change.name, admin_state_up: change.admin_state_up } },
    });
  return api(session, 'network', `/ports/${change.remove.id}`, { method: 'DELETE' });
}

/** A port's status settles once Neutron has bound it (or found nothing to bind). */
const settled = (port: Port) => port.status !== 'BUILD';

export default function PortsPage() {
  const ports = useApi<{ ports: PortRow[] }>('network', '/ports', (data) => !data.ports.every(settled));
  const networks = useApi<{ networks: Network[] }>('network', '/networks');
  const groups = useProjectSecurityGroups();
  const change = useAction<Change>(['network'], changePorts);
  const [editing, setEditing] = useState<string | null>(null);
  const networkName = (id: string) => {
    const network = networks.data?.networks.find((n) => n.id === id);
    return network ? nameOrId(network) : id;
  };

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const port: NewPort = { network_id: String(form.get('network')), name: String(form.get('name')) };
    const ip = String(form.get('ip') ?? '').trim();
    if (ip) port.fixed_ips = [{ ip_address: ip }];
    // No choice leaves Neutron's default group on the port; a choice replaces it, as the API does.
    const chosen = form.getAll('security_groups').map(String);
    if (chosen.length > 0) port.security_groups = chosen;
    change.mutate({ create: port });
    event.currentTarget.reset();
  }

  function editor(port: PortRow) {
    const label = nameOrId(port);
    if (editing !== port.id)
      return (
        <button type="button" onClick={() => setEditing(port.id)} aria-label={`Edit ${label}`}>
          Edit
        </button>
      );
    return (
      <form
        className="inline"
        aria-label={`Edit port ${label}`}
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          change.mutate({ update: port, name: String(form.get('name')), admin_state_up: form.get('admin_state_up') === 'on' });
          setEditing(null);
        }}
      >
        <TextField label={`New name of ${label}`} name="name" defaultValue={port.name} />
        <label>
          <input type="checkbox" name="admin_state_up" defaultChecked={port.admin_state_up} /> Admin state up
        </label>
        <button type="submit">Save</button>
        <button type="button" onClick={() => setEditing(null)}>
          Cancel
        </button>
      </form>
    );
  }

  return (
    <section>
      <h1>Ports</h1>
      <form className="form inline" onSubmit={create} aria-label="Create port">
        <NetworkSelect label="Network" networks={networks.data?.networks} />
        <TextField label="Port name" name="name" />
        <TextField label="Fixed IP (optional)" name="ip" />
        <label>
          Security groups
          <select name="security_groups" multiple>
            {groups.data?.security_groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!networks.data?.networks.length}>
          Create port
        </button>
      </form>
      <ErrorNotice error={ports.error ?? networks.error ?? change.error} />
      {ports.data && (
        <DataTable
          label="Ports"
          rows={ports.data.ports}
          empty="No ports in this project yet: create one above."
          columns={[
            { header: 'Name', cell: (p) => nameOrId(p) },
            { header: 'Network', cell: (p) => networkName(p.network_id) },
            { header: 'Fixed IPs', cell: (p) => p.fixed_ips.map((ip) => ip.ip_address).join(', ') },
            { header: 'Device owner', cell: (p) => p.device_owner },
            { header: 'Status', cell: (p) => <Status value={p.status} busy={!settled(p)} /> },
            { header: 'Admin state', cell: (p) => (p.admin_state_up ? 'Up' : 'Down') },
            { header: 'Edit', cell: editor },
            { header: 'Delete', cell: (p) => <ConfirmButton label="Delete" subject={nameOrId(p)} onConfirm={() => change.mutate({ remove: p })} /> },
          ]}
        />
      )}
    </section>
  );
}

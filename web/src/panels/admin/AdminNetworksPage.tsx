import type { FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { nameOrId, type Network, type Subnet } from '../../api/network';
import type { Session } from '../../api/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useProjectName } from './project-names';

interface ProviderNetwork extends Network {
  'provider:network_type'?: string;
  'provider:physical_network'?: string | null;
  'provider:segmentation_id'?: number | null;
}

const NETWORK_TYPES = ['vxlan', 'vlan', 'flat', 'local'] as const;

type Change = { network: Record<string, unknown> } | { subnet: Record<string, unknown> } | { remove: Network } | { removeSubnet: Subnet };

function changeNetworks(session: Session, change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'network', `/networks/${change.remove.id}`, { method: 'DELETE' });
  if ('removeSubnet' in change) return api(session, 'network', `/subnets/${change.removeSubnet.id}`, { method: 'DELETE' });
  if ('subnet' in change) return api(session, 'network', '/subnets', { method: 'POST', body: { subnet: change.subnet } });
  return api(session, 'network', '/networks', { method: 'POST', body: { network: change.network } });
}

/** The form's fields as Neutron's body: provider attributes only when a type is chosen, empty fields left to Neutron's defaults. */
function networkBody(form: FormData): Record<string, unknown> {
  const body: Record<string, unknown> = { name: String(form.get('name')), shared: form.has('shared'), 'router:external': form.has('external') };
  const project = String(form.get('project')).trim();
  if (project) body.project_id = project;
  const type = String(form.get('type'));
  if (!type) return body;
  body['provider:network_type'] = type;
  const physical = String(form.get('physical')).trim();
  if (physical) body['provider:physical_network'] = physical;
  const segment = String(form.get('segment')).trim();
  if (segment) body['provider:segmentation_id'] = Number(segment);
  return body;
}

function provider(network: ProviderNetwork): string {
  return [network['provider:network_type'], network['provider:physical_network'], network['provider:segmentation_id']]
    .filter((part) => part != null)
    .join(' / ');
}

/** Every project's networks with their provider attributes, which Neutron shows and accepts from an admin only. */
export default function AdminNetworksPage() {
  const networks = useApi<{ networks: ProviderNetwork[] }>('network', '/networks');
  const subnets = useApi<{ subnets: Subnet[] }>('network', '/subnets');
  const change = useAction<Change>(['network'], changeNetworks);
  const projectName = useProjectName();

  function submit(event: FormEvent<HTMLFormElement>, body: (form: FormData) => Change) {
    event.preventDefault();
    change.mutate(body(new FormData(event.currentTarget)));
    event.currentTarget.reset();
  }

  const subnetsOf = (network: Network) =>
    (subnets.data?.subnets ?? [])
      .filter((s) => s.network_id === network.id)
      .map((s) => (
        <div key={s.id}>
          {nameOrId(s)} {s.cidr} <ConfirmButton label="Delete" subject={`subnet ${nameOrId(s)}`} onConfirm={() => change.mutate({ removeSubnet: s })} />
        </div>
      ));

  return (
    <section>
      <h1>All networks</h1>
      <form className="form inline" aria-label="Create network" onSubmit={(event) => submit(event, (form) => ({ network: networkBody(form) }))}>
        <label>
          Network name
          <input name="name" required />
        </label>
        <label>
          Project ID (optional)
          <input name="project" />
        </label>
        <label>
          Provider network type
          <select name="type" defaultValue="">
            <option value="">Default</option>
            {NETWORK_TYPES.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </label>
        <label>
          Physical network
          <input name="physical" />
        </label>
        <label>
          Segmentation ID
          <input name="segment" type="number" min={1} />
        </label>
        <label>
          <input type="checkbox" name="shared" /> Shared
        </label>
        <label>
          <input type="checkbox" name="external" /> External
        </label>
        <button type="submit">Create network</button>
      </form>
      <form
        className="form inline"
        aria-label="Create subnet"
        onSubmit={(event) =>
          submit(event, (form) => ({
            subnet: { network_id: String(form.get('network')), name: String(form.get('name')), cidr: String(form.get('cidr')), ip_version: 4 },
          }))
        }
      >
        <label>
          Subnet of network
          <select name="network" required>
            {networks.data?.networks.map((n) => (
              <option key={n.id} value={n.id}>
                {nameOrId(n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Subnet name
          <input name="name" required />
        </label>
        <label>
          Subnet CIDR
          <input name="cidr" required placeholder="192.168.10.0/24" />
        </label>
        <button type="submit">Create subnet</button>
      </form>
      <ErrorNotice error={networks.error ?? subnets.error ?? change.error} />
      {networks.data && (
        <DataTable
          label="All networks"
          rows={networks.data.networks}
          empty="No networks in any project: create one above."
          columns={[
            { header: 'Project', cell: (n) => projectName(n.project_id) },
            { header: 'Name', cell: (n) => nameOrId(n) },
            { header: 'Provider', cell: provider },
            { header: 'Subnets', cell: subnetsOf },
            { header: 'Shared', cell: (n) => (n.shared ? 'Yes' : 'No') },
            { header: 'External', cell: (n) => (n['router:external'] ? 'Yes' : 'No') },
            { header: 'Status', cell: (n) => n.status },
            { header: 'Delete', cell: (n) => <ConfirmButton label="Delete" subject={nameOrId(n)} onConfirm={() => change.mutate({ remove: n })} /> },
          ]}
        />
      )}
    </section>
  );
}

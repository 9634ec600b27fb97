import type { FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { nameOrId, type Network, type Subnet } from '../../api/network';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';

type Change = { network: string; subnet: string; cidr: string } | { remove: Network };

/** A network and its first subnet are made together, as most users want them. */
async function changeNetworks(session: Parameters<typeof api>[0], change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'network', `/networks/${change.remove.id}`, { method: 'DELETE' });
  const { network } = await api<{ network: Network }>(session, 'network', '/networks', { method: 'POST', body: { network: { name: change.network } } });
  return api(session, 'network', '/subnets', {
    method: 'POST',
    body: { subnet: { name: change.subnet, network_id: network.id, cidr: change.cidr, ip_version: 4 } },
  });
}

export default function NetworksPage() {
  const networks = useApi<{ networks: Network[] }>('network', '/networks');
  const subnets = useApi<{ subnets: Subnet[] }>('network', '/subnets');
  const change = useAction<Change>(['network'], changeNetworks);
  const subnetsOf = (network: Network) =>
    (subnets.data?.subnets ?? [])
      .filter((s) => s.network_id === network.id)
      .map((s) => `${nameOrId(s)} ${s.cidr}`)
      .join(', ');

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ network: String(form.get('network')), subnet: String(form.get('subnet')), cidr: String(form.get('cidr')) });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Networks</h1>
      <form className="form inline" onSubmit={create} aria-label="Create network">
        <label>
          Network name
          <input name="network" required />
        </label>
        <label>
          Subnet name
          <input name="subnet" required />
        </label>
        <label>
          Subnet CIDR
          <input name="cidr" required placeholder="192.168.10.0/24" />
        </label>
        <button type="submit">Create network</button>
      </form>
      <ErrorNotice error={networks.error ?? subnets.error ?? change.error} />
      {networks.data && (
        <DataTable
          label="Networks"
          rows={networks.data.networks}
          empty="No networks yet: create one above."
          columns={[
            { header: 'Name', cell: (row) => nameOrId(row) },
            { header: 'Subnets', cell: subnetsOf },
            { header: 'External', cell: (n) => (n['router:external'] ? 'Yes' : 'No') },
            { header: 'Status', cell: (n) => n.status },
            { header: 'Delete', cell: (n) => <ConfirmButton label="Delete" subject={nameOrId(n)} onConfirm={() => change.mutate({ remove: n })} /> },
          ]}
        />
      )}
    </section>
  );
}

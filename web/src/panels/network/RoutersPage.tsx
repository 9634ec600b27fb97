import type { FormEvent } from 'react';
import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { nameOrId, type Network, type Router, type Subnet } from '../../api/network';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';

type Change = { name: string; gateway: string; subnet: string } | { remove: Router };

async function changeRouters(session: Parameters<typeof api>[0], change: Change): Promise<unknown> {
  if ('remove' in change) return api(session, 'network', `/routers/${change.remove.id}`, { method: 'DELETE' });
  const body = { router: { name: change.name, ...(change.gateway ? { external_gateway_info: { network_id: change.gateway } } : {}) } };
  const { router } = await api<{ router: Router }>(session, 'network', '/routers', { method: 'POST', body });
  if (!change.subnet) return router;
  return api(session, 'network', `/routers/${router.id}/add_router_interface`, { method: 'PUT', body: { subnet_id: change.subnet } });
}

export default function RoutersPage() {
  const routers = useApi<{ routers: Router[] }>('network', '/routers');
  const networks = useApi<{ networks: Network[] }>('network', '/networks');
  const subnets = useApi<{ subnets: Subnet[] }>('network', '/subnets');
  const change = useAction<Change>(['network'], changeRouters);
  const external = (networks.data?.networks ?? []).filter((n) => n['router:external']);
  const networkName = (id: string) => nameOrId(networks.data?.networks.find((n) => n.id === id) ?? { id, name: '' });

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ name: String(form.get('name')), gateway: String(form.get('gateway')), subnet: String(form.get('subnet')) });
    event.currentTarget.reset();
  }

  return (
    <section>
      <h1>Routers</h1>
      <form className="form inline" onSubmit={create} aria-label="Create router">
        <label>
          Router name
          <input name="name" required />
        </label>
        <label>
          External gateway
          <select name="gateway">
            <option value="">None</option>
            {external.map((n) => (
              <option key={n.id} value={n.id}>
                {nameOrId(n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Interface on subnet
          <select name="subnet">
            <option value="">None</option>
            {subnets.data?.subnets.map((s) => (
              <option key={s.id} value={s.id}>
                {nameOrId(s)} ({s.cidr})
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Create router</button>
      </form>
      <ErrorNotice error={routers.error ?? networks.error ?? subnets.error ?? change.error} />
      {routers.data && (
        <DataTable
          label="Routers"
          rows={routers.data.routers}
          empty="No routers yet: create one above to reach an external network."
          columns={[
            { header: 'Name', cell: (row) => nameOrId(row) },
            { header: 'Status', cell: (r) => r.status },
            { header: 'External gateway', cell: (r) => (r.external_gateway_info ? networkName(r.external_gateway_info.network_id) : '') },
            { header: 'Delete', cell: (r) => <ConfirmButton label="Delete" subject={nameOrId(r)} onConfirm={() => change.mutate({ remove: r })} /> },
          ]}
        />
      )}
    </section>
  );
}

import { api } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { nameOrId, type Network, type Port, type Router } from '../../api/network';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useProjectName } from './project-names';

interface AdminRouter extends Router {
  project_id: string;
  external_gateway_info: { network_id: string; enable_snat?: boolean; external_fixed_ips?: { ip_address: string }[] } | null;
}

/** Every project's routers with their gateway and interfaces (the routers' ports, which an admin may list across projects). */
export default function AdminRoutersPage() {
  const routers = useApi<{ routers: AdminRouter[] }>('network', '/routers');
  const networks = useApi<{ networks: Network[] }>('network', '/networks');
  // Nimbus's routers are single-node ones (no DVR or HA), so their interfaces are these ports alone.
  const ports = useApi<{ ports: Port[] }>('network', '/ports?device_owner=network:router_interface');
  const remove = useAction<AdminRouter>(['network'], (session, router) => api(session, 'network', `/routers/${router.id}`, { method: 'DELETE' }));
  const projectName = useProjectName();
  const networkName = (id: string) => nameOrId(networks.data?.networks.find((n) => n.id === id) ?? { id, name: '' });

  const gateway = (router: AdminRouter) => {
    const info = router.external_gateway_info;
    if (!info) return '';
    const addresses = (info.external_fixed_ips ?? []).map((ip) => ip.ip_address).join(', ');
    return `${networkName(info.network_id)}${addresses ? ` (${addresses})` : ''}${info.enable_snat === false ? ', no SNAT' : ''}`;
  };
  const interfaces = (router: AdminRouter) =>
    (ports.data?.ports ?? [])
      .filter((p) => p.device_id === router.id)
      .map((p) => `${networkName(p.network_id)} ${p.fixed_ips.map((ip) => ip.ip_address).join(' ')}`)
      .join(', ');

  return (
    <section>
      <h1>All routers</h1>
      <ErrorNotice error={routers.error ?? networks.error ?? ports.error ?? remove.error} />
      {routers.data && (
        <DataTable
          label="All routers"
          rows={routers.data.routers}
          empty="No routers in any project."
          columns={[
            { header: 'Project', cell: (r) => projectName(r.project_id) },
            { header: 'Name', cell: (r) => nameOrId(r) },
            { header: 'Status', cell: (r) => r.status },
            { header: 'External gateway', cell: gateway },
            { header: 'Interfaces', cell: interfaces },
            { header: 'Delete', cell: (r) => <ConfirmButton label="Delete" subject={nameOrId(r)} onConfirm={() => remove.mutate(r)} /> },
          ]}
        />
      )}
    </section>
  );
}

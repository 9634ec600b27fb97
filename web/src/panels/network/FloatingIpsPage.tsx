import { api } from '../../api/client';
import type { Server } from '../../api/compute';
import { useAction, useApi } from '../../api/hooks';
import { type FloatingIp, type Network, type Port } from '../../api/network';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { NetworkSelect } from './NetworkSelect';

type Change = { allocate: string } | { fip: FloatingIp; portId: string | null } | { release: FloatingIp };

function changeFloatingIps(session: Parameters<typeof api>[0], change: Change): Promise<unknown> {
  if ('allocate' in change) return api(session, 'network', '/floatingips', { method: 'POST', body: { floatingip: { floating_network_id: change.allocate } } });
  if ('release' in change) return api(session, 'network', `/floatingips/${change.release.id}`, { method: 'DELETE' });
  return api(session, 'network', `/floatingips/${change.fip.id}`, { method: 'PUT', body: { floatingip: { port_id: change.portId } } });
}

export default function FloatingIpsPage() {
  const fips = useApi<{ floatingips: FloatingIp[] }>('network', '/floatingips');
  const networks = useApi<{ networks: Network[] }>('network', '/networks?router:external=true');
  const ports = useApi<{ ports: Port[] }>('network', '/ports');
  const servers = useApi<{ servers: Server[] }>('compute', '/servers/detail');
  const change = useAction<Change>(['network', 'compute'], changeFloatingIps);
  // A floating IP goes to an instance's port: each is offered as "instance: fixed address".
  const serverPorts = (ports.data?.ports ?? []).flatMap((port) => {
    const server = servers.data?.servers.find((s) => s.id === port.device_id);
    return server && port.device_owner.startsWith('compute:')
      ? [{ port, label: `${server.name}: ${port.fixed_ips.map((ip) => ip.ip_address).join(', ')}` }]
      : [];
  });

  function associateControl(fip: FloatingIp) {
    if (fip.port_id) {
      return (
        <button type="button" onClick={() => change.mutate({ fip, portId: null })} aria-label={`Disassociate ${fip.floating_ip_address}`}>
          Disassociate
        </button>
      );
    }
    return (
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          change.mutate({ fip, portId: String(new FormData(event.currentTarget).get('port')) });
        }}
      >
        <label>
          Port for {fip.floating_ip_address}
          <select name="port" required>
            {serverPorts.map(({ port, label }) => (
              <option key={port.id} value={port.id}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={serverPorts.length === 0} aria-label={`Associate ${fip.floating_ip_address}`}>
          Associate
        </button>
      </form>
    );
  }

  return (
    <section>
      <h1>Floating IPs</h1>
      <form
        className="form inline"
        aria-label="Allocate floating IP"
        onSubmit={(event) => {
          event.preventDefault();
          change.mutate({ allocate: String(new FormData(event.currentTarget).get('network')) });
        }}
      >
        <NetworkSelect label="Pool" networks={networks.data?.networks} />
        <button type="submit">Allocate IP</button>
      </form>
      <ErrorNotice error={fips.error ?? networks.error ?? ports.error ?? servers.error ?? change.error} />
      {fips.data && (
        <DataTable
          label="Floating IPs"
          rows={fips.data.floatingips}
          empty="No floating IPs allocated: allocate one from a pool above."
          columns={[
            { header: 'Address', cell: (f) => f.floating_ip_address },
            { header: 'Mapped to', cell: (f) => f.fixed_ip_address ?? '' },
            { header: 'Status', cell: (f) => f.status },
            { header: 'Association', cell: associateControl },
            {
              header: 'Release',
              cell: (f) => <ConfirmButton label="Release" subject={f.floating_ip_address} onConfirm={() => change.mutate({ release: f })} />,
            },
          ]}
        />
      )}
    </section>
  );
}

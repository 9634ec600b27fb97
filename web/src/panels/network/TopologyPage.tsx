import { useMemo } from 'react';
import type { Server } from '../../api/compute';
import { useApi } from '../../api/hooks';
import type { Network, Port, Router } from '../../api/network';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GraphView } from '../../components/GraphView';
import { buildTopology } from './topology-graph';

/** The graph follows changes made anywhere (another tab, the CLI) by polling its four lists. */
const LIVE_MS = 4000;
const always = () => true;

export default function TopologyPage() {
  const networks = useApi<{ networks: Network[] }>('network', '/networks', always, LIVE_MS);
  const routers = useApi<{ routers: Router[] }>('network', '/routers', always, LIVE_MS);
  const ports = useApi<{ ports: Port[] }>('network', '/ports', always, LIVE_MS);
  const servers = useApi<{ servers: Server[] }>('compute', '/servers/detail', always, LIVE_MS);
  const topology = useMemo(
    () =>
      networks.data && routers.data && ports.data && servers.data
        ? buildTopology(networks.data.networks, routers.data.routers, servers.data.servers, ports.data.ports)
        : null,
    [networks.data, routers.data, ports.data, servers.data],
  );

  return (
    <section>
      <h1>Network topology</h1>
      <ErrorNotice error={networks.error ?? routers.error ?? ports.error ?? servers.error} />
      {topology && topology.nodes.length === 0 && <p className="empty">No networks yet: create one under Networks.</p>}
      {topology && topology.nodes.length > 0 && <GraphView label="Network topology graph" graph={topology} />}
    </section>
  );
}

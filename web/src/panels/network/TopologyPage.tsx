import { useMemo } from 'react';
import type { Server } from '../../api/compute';
import { useApi } from '../../api/hooks';
import type { Network, Port, Router } from '../../api/network';
import { ErrorNotice } from '../../components/ErrorNotice';
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
      {topology && topology.nodes.length > 0 && (
        <svg
          className="topology"
          role="img"
          aria-label="Network topology graph"
          viewBox={`0 0 ${topology.width} ${topology.height}`}
          width={topology.width}
          height={topology.height}
        >
          {topology.edges.map((edge) => (
            <polyline key={edge.key} className="edge" points={edge.points.map((p) => `${p.x},${p.y}`).join(' ')} />
          ))}
          {topology.nodes.map((node) => (
            <g
              key={node.key}
              className={`node node-${node.kind}`}
              data-kind={node.kind}
              transform={`translate(${node.x - node.width / 2},${node.y - node.height / 2})`}
            >
              <title>{`${node.label}: ${node.detail}`}</title>
              <rect width={node.width} height={node.height} rx={node.kind === 'router' ? 22 : 6} />
              <text x={node.width / 2} y={18} textAnchor="middle">
                {node.label.length > 22 ? `${node.label.slice(0, 21)}…` : node.label}
              </text>
              <text x={node.width / 2} y={34} textAnchor="middle" className="detail">
                {node.detail}
              </text>
            </g>
          ))}
        </svg>
      )}
    </section>
  );
}

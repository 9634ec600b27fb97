/** The topology as a graph: networks, routers and servers as nodes, their ports as edges. */
import type { Server } from '../../api/compute';
import { nameOrId, type Network, type Port, type Router } from '../../api/network';
import { layoutGraph, type GraphLayout } from '../../components/graph-layout';
import type { DrawnNode } from '../../components/GraphView';

type NodeKind = 'network' | 'router' | 'server';

const SIZE: Record<NodeKind, { width: number; height: number }> = {
  network: { width: 180, height: 44 },
  router: { width: 140, height: 44 },
  server: { width: 150, height: 44 },
};

export function buildTopology(networks: Network[], routers: Router[], servers: Server[], ports: Port[]): GraphLayout<DrawnNode> {
  const nodes: DrawnNode[] = [];
  const add = (key: string, kind: NodeKind, label: string, detail: string) =>
    nodes.push({ key, ...SIZE[kind], label, detail, className: `node-${kind}`, rx: kind === 'router' ? 22 : 6 });
  for (const n of networks) add(`network:${n.id}`, 'network', nameOrId(n), n['router:external'] ? 'external network' : 'network');
  for (const r of routers) add(`router:${r.id}`, 'router', nameOrId(r), `router, ${r.status}`);
  for (const s of servers) add(`server:${s.id}`, 'server', nameOrId(s), `instance, ${s.status}`);

  const links: [string, string][] = [];
  // The gateway port belongs to no project, so a project's user sees the gateway only on the router.
  for (const r of routers) if (r.external_gateway_info) links.push([`network:${r.external_gateway_info.network_id}`, `router:${r.id}`]);
  for (const p of ports) {
    if (p.device_owner.startsWith('network:router')) links.push([`network:${p.network_id}`, `router:${p.device_id}`]);
    else if (p.device_owner.startsWith('compute:')) links.push([`network:${p.network_id}`, `server:${p.device_id}`]);
  }
  return layoutGraph(nodes, links);
}

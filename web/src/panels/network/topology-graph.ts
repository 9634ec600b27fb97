/** The topology as a graph: networks, routers and servers as nodes, their ports as edges, laid out by dagre. */
import { Graph, layout } from '@dagrejs/dagre';
import type { Server } from '../../api/compute';
import { nameOrId, type Network, type Port, type Router } from '../../api/network';

export type NodeKind = 'network' | 'router' | 'server';

export interface TopologyNode {
  key: string;
  kind: NodeKind;
  label: string;
  detail: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TopologyEdge {
  key: string;
  points: { x: number; y: number }[];
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  width: number;
  height: number;
}

const SIZE: Record<NodeKind, { width: number; height: number }> = {
  network: { width: 180, height: 44 },
  router: { width: 140, height: 44 },
  server: { width: 150, height: 44 },
};

export function buildTopology(networks: Network[], routers: Router[], servers: Server[], ports: Port[]): Topology {
  const graph = new Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 70, marginx: 10, marginy: 10 });
  graph.setDefaultEdgeLabel(() => ({}));
  const details = new Map<string, { kind: NodeKind; label: string; detail: string }>();
  const add = (key: string, kind: NodeKind, label: string, detail: string) => {
    details.set(key, { kind, label, detail });
    graph.setNode(key, { ...SIZE[kind] });
  };
  for (const n of networks) add(`network:${n.id}`, 'network', nameOrId(n), n['router:external'] ? 'external network' : 'network');
  for (const r of routers) add(`router:${r.id}`, 'router', nameOrId(r), `router, ${r.status}`);
  for (const s of servers) add(`server:${s.id}`, 'server', nameOrId(s), `instance, ${s.status}`);

  const link = (from: string, to: string) => {
    if (graph.hasNode(from) && graph.hasNode(to) && !graph.hasEdge(from, to)) graph.setEdge(from, to);
  };
  // The gateway port belongs to no project, so a project's user sees the gateway only on the router.
  for (const r of routers) if (r.external_gateway_info) link(`network:${r.external_gateway_info.network_id}`, `router:${r.id}`);
  for (const p of ports) {
    if (p.device_owner.startsWith('network:router')) link(`network:${p.network_id}`, `router:${p.device_id}`);
    else if (p.device_owner.startsWith('compute:')) link(`network:${p.network_id}`, `server:${p.device_id}`);
  }

  layout(graph);
  const nodes = graph.nodes().map((key) => {
    const placed = graph.node(key);
    const info = details.get(key) ?? { kind: 'network' as const, label: key, detail: '' };
    return { key, ...info, x: placed.x, y: placed.y, width: placed.width, height: placed.height };
  });
  const edges = graph.edges().map((e) => ({ key: `${e.v}->${e.w}`, points: graph.edge(e).points ?? [] }));
  const size = graph.graph();
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

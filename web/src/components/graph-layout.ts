/** A directed graph laid out by dagre, top to bottom: what the network and stack topologies draw. */
import { Graph, layout } from '@dagrejs/dagre';

export interface GraphNodeSpec {
  key: string;
  width: number;
  height: number;
}

export interface GraphEdge {
  key: string;
  points: { x: number; y: number }[];
}

export interface GraphLayout<Node extends GraphNodeSpec> {
  nodes: (Node & { x: number; y: number })[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

/** Places `nodes` and routes `links` ([from, to] keys); a link naming an unknown node or repeating one is dropped. */
export function layoutGraph<Node extends GraphNodeSpec>(nodes: Node[], links: [string, string][]): GraphLayout<Node> {
  const graph = new Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 70, marginx: 10, marginy: 10 });
  graph.setDefaultEdgeLabel(() => ({}));
  const byKey = new Map(nodes.map((node) => [node.key, node]));
  for (const node of nodes) graph.setNode(node.key, { width: node.width, height: node.height });
  for (const [from, to] of links) {
    if (byKey.has(from) && byKey.has(to) && !graph.hasEdge(from, to)) graph.setEdge(from, to);
  }
  layout(graph);
  const placed = nodes.map((node) => {
    const { x, y } = graph.node(node.key);
    return { ...node, x, y };
  });
  const edges = graph.edges().map((e) => ({ key: `${e.v}->${e.w}`, points: graph.edge(e).points ?? [] }));
  const size = graph.graph();
  return { nodes: placed, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

import type { GraphLayout, GraphNodeSpec } from './graph-layout';

/** A node as drawn: a box with a name and a detail line, styled by its class (kind or status). */
export interface DrawnNode extends GraphNodeSpec {
  label: string;
  detail: string;
  className: string;
  /** Corner radius: the network topology draws routers as pills. */
  rx: number;
}

const MAX_LABEL = 22;

/** The laid-out graph as an SVG image named `label`; each node's title gives its full name and detail. */
export function GraphView({ label, graph }: { label: string; graph: GraphLayout<DrawnNode> }) {
  return (
    <svg className="topology" role="img" aria-label={label} viewBox={`0 0 ${graph.width} ${graph.height}`} width={graph.width} height={graph.height}>
      {graph.edges.map((edge) => (
        <polyline key={edge.key} className="edge" points={edge.points.map((p) => `${p.x},${p.y}`).join(' ')} />
      ))}
      {graph.nodes.map((node) => (
        <g key={node.key} className={`node ${node.className}`} transform={`translate(${node.x - node.width / 2},${node.y - node.height / 2})`}>
          <title>{`${node.label}: ${node.detail}`}</title>
          <rect width={node.width} height={node.height} rx={node.rx} />
          <text x={node.width / 2} y={18} textAnchor="middle">
            {node.label.length > MAX_LABEL ? `${node.label.slice(0, MAX_LABEL - 1)}…` : node.label}
          </text>
          <text x={node.width / 2} y={34} textAnchor="middle" className="detail">
            {node.detail}
          </text>
        </g>
      ))}
    </svg>
  );
}

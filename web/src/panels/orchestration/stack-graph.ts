/** A stack's resources as a graph: one node per resource, coloured by status, an edge to each resource that requires it. */
import type { StackResource } from '../../api/orchestration';
import { layoutGraph, type GraphLayout } from '../../components/graph-layout';
import type { DrawnNode } from '../../components/GraphView';

/** The colour class of a Heat status (ACTION_STATE): its state decides, whatever the action. */
export function statusClass(status: string): 'complete' | 'failed' | 'in-progress' | 'other' {
  if (status.endsWith('_COMPLETE')) return 'complete';
  if (status.endsWith('_FAILED')) return 'failed';
  if (status.endsWith('_IN_PROGRESS')) return 'in-progress';
  return 'other';
}

export function buildStackGraph(resources: StackResource[]): GraphLayout<DrawnNode> {
  const nodes = resources.map((r) => ({
    key: r.resource_name,
    width: 190,
    height: 44,
    label: r.resource_name,
    // The status is written on the node, not only coloured: colour alone tells nothing to some readers.
    detail: r.resource_status,
    className: `node-status-${statusClass(r.resource_status)}`,
    rx: 6,
  }));
  const links = resources.flatMap((r) => r.required_by.map((dependent): [string, string] => [r.resource_name, dependent]));
  return layoutGraph(nodes, links);
}

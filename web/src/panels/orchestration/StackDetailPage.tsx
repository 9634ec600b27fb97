import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { send } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { inProgress, stackPath, type StackDetail, type StackEvent, type StackResource } from '../../api/orchestration';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GraphView } from '../../components/GraphView';
import { useSession } from '../../auth/session-context';
import { Status } from '../../components/Status';
import { buildStackGraph } from './stack-graph';
import { StackOutputs } from './StackOutputs';
import { StackStatus } from './StackStatus';

/** Heat's stack actions (`POST .../actions`), each a body with one key. */
const ACTIONS = [
  ['suspend', 'Suspend'],
  ['resume', 'Resume'],
  ['check', 'Check'],
] as const;

export default function StackDetailPage() {
  const navigate = useNavigate();
  const { name = '', id = '' } = useParams();
  const path = stackPath({ stack_name: name, id });
  const stack = useApi<{ stack: StackDetail }>('orchestration', path, (data) => inProgress(data.stack.stack_status));
  // While the stack changes, its resources and events change with it: they poll as long as it does,
  // and each change of its status fetches them once more (the last poll may predate the final step).
  const status = stack.data?.stack.stack_status;
  const busy = status !== undefined && inProgress(status);
  const resources = useApi<{ resources: StackResource[] }>('orchestration', `${path}/resources`, () => busy);
  const events = useApi<{ events: StackEvent[] }>('orchestration', `${path}/events`, () => busy);
  const queries = useQueryClient();
  const projectId = useSession().project.id;
  useEffect(() => {
    if (status === undefined) return;
    for (const part of ['resources', 'events']) void queries.invalidateQueries({ queryKey: [projectId, 'orchestration', `${path}/${part}`] });
  }, [status, queries, projectId, path]);
  const template = useApi<unknown>('orchestration', `${path}/template`);
  const act = useAction<string>(['orchestration'], (session, action) =>
    send(session, 'orchestration', `${path}/actions`, { method: 'POST', body: { [action]: null } }),
  );
  const remove = useAction<null>(['orchestration'], (session) => send(session, 'orchestration', path, { method: 'DELETE' }));
  const graph = useMemo(() => (resources.data ? buildStackGraph(resources.data.resources) : null), [resources.data]);

  const detail = stack.data?.stack;
  return (
    <section>
      <div className="page-head">
        <h1>Stack {name}</h1>
        <Link className="button" to={`${path}/update`} aria-label={`Update ${name}`}>
          Update
        </Link>
      </div>
      <div className="actions">
        {ACTIONS.map(([action, label]) => (
          <button key={action} type="button" disabled={busy || act.isPending} onClick={() => act.mutate(action)} aria-label={`${label} ${name}`}>
            {label}
          </button>
        ))}
        <ConfirmButton label="Delete" subject={name} disabled={busy} onConfirm={() => remove.mutate(null, { onSuccess: () => void navigate('/stacks') })} />
      </div>
      <ErrorNotice error={stack.error ?? act.error ?? remove.error} />
      {detail && (
        <>
          <h2>Overview</h2>
          <dl className="overview">
            <dt>Status</dt>
            <dd>
              <StackStatus stack={detail} />
            </dd>
            <dt>Reason</dt>
            <dd>{detail.stack_status_reason}</dd>
            <dt>Description</dt>
            <dd>{detail.description}</dd>
            <dt>ID</dt>
            <dd>{detail.id}</dd>
            <dt>Created</dt>
            <dd>{detail.creation_time}</dd>
            <dt>Updated</dt>
            <dd>{detail.updated_time ?? 'never'}</dd>
            <dt>Rollback on failure</dt>
            <dd>{detail.disable_rollback ? 'disabled' : 'enabled'}</dd>
            <dt>Timeout</dt>
            <dd>{detail.timeout_mins === null ? 'none' : `${detail.timeout_mins} minutes`}</dd>
          </dl>
          <h2>Outputs</h2>
          <StackOutputs outputs={detail.outputs ?? []} />
        </>
      )}
      <h2>Topology</h2>
      <ErrorNotice error={resources.error} />
      {graph && (graph.nodes.length > 0 ? <GraphView label={`Resources of ${name}`} graph={graph} /> : <p className="empty">The stack has no resources.</p>)}
      <h2>Resources</h2>
      {resources.data && (
        <DataTable
          label="Resources"
          rows={resources.data.resources.map((r) => ({ ...r, id: r.resource_name }))}
          empty="The stack has no resources."
          columns={[
            { header: 'Name', cell: (r) => r.resource_name },
            { header: 'Type', cell: (r) => r.resource_type },
            { header: 'Physical ID', cell: (r) => r.physical_resource_id },
            { header: 'Status', cell: (r) => <Status value={r.resource_status} busy={inProgress(r.resource_status)} /> },
            { header: 'Reason', cell: (r) => r.resource_status_reason },
            { header: 'Updated', cell: (r) => r.updated_time },
          ]}
        />
      )}
      <h2>Events</h2>
      <ErrorNotice error={events.error} />
      {events.data && (
        <DataTable
          label="Events"
          // Newest first: the latest event explains the current status.
          rows={[...events.data.events].reverse()}
          empty="No events yet."
          columns={[
            { header: 'Time', cell: (e) => e.event_time },
            { header: 'Resource', cell: (e) => e.resource_name },
            { header: 'Status', cell: (e) => e.resource_status },
            { header: 'Reason', cell: (e) => e.resource_status_reason },
          ]}
        />
      )}
      <h2>Template</h2>
      <ErrorNotice error={template.error} />
      {template.data !== undefined && (
        <pre className="template" tabIndex={0}>
          {JSON.stringify(template.data, null, 2)}
        </pre>
      )}
    </section>
  );
}

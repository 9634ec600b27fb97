import { Link } from 'react-router';
import { send } from '../../api/client';
import { useAction, useApi } from '../../api/hooks';
import { inProgress, stackPath, type Stack } from '../../api/orchestration';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StackStatus } from './StackStatus';

export default function StacksPage() {
  // Polls while a stack is being created, updated or deleted, so its status moves without a reload.
  const stacks = useApi<{ stacks: Stack[] }>('orchestration', '/stacks', (data) => data.stacks.some((s) => inProgress(s.stack_status)));
  const remove = useAction<Stack>(['orchestration'], (session, stack) => send(session, 'orchestration', stackPath(stack), { method: 'DELETE' }));
  return (
    <section>
      <div className="page-head">
        <h1>Stacks</h1>
        <Link className="button" to="/stacks/launch">
          Launch stack
        </Link>
      </div>
      <ErrorNotice error={stacks.error ?? remove.error} />
      {stacks.data && (
        <DataTable
          label="Stacks"
          rows={stacks.data.stacks}
          empty="No stacks in this project yet: launch one."
          columns={[
            { header: 'Name', cell: (s) => <Link to={stackPath(s)}>{s.stack_name}</Link> },
            { header: 'Status', cell: (s) => <StackStatus stack={s} /> },
            { header: 'Created', cell: (s) => s.creation_time },
            { header: 'Updated', cell: (s) => s.updated_time ?? '' },
            {
              header: 'Actions',
              cell: (s) => (
                <ConfirmButton label="Delete" subject={s.stack_name} disabled={s.stack_status === 'DELETE_IN_PROGRESS'} onConfirm={() => remove.mutate(s)} />
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

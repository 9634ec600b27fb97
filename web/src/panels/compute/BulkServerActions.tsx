import { useState } from 'react';
import { api } from '../../api/client';
import type { Server } from '../../api/compute';
import { ApiError } from '../../api/errors';
import { useAction } from '../../api/hooks';
import { ConfirmButton } from '../../components/ConfirmButton';

type Bulk = 'Stop' | 'Delete';
interface Outcome {
  name: string;
  result: string;
}

/** Runs one action on every selected server at once and reports each server's own answer: one refusal stops none of the others. */
export function BulkServerActions({ selected, onDone }: { selected: Server[]; onDone(): void }) {
  const [outcomes, setOutcomes] = useState<{ action: Bulk; rows: Outcome[] } | null>(null);
  const bulk = useAction<{ action: Bulk; servers: Server[] }, Outcome[]>(['compute'], async (session, { action, servers }) => {
    const settled = await Promise.allSettled(
      servers.map((server) =>
        action === 'Delete'
          ? api(session, 'compute', `/servers/${server.id}`, { method: 'DELETE' })
          : api(session, 'compute', `/servers/${server.id}/action`, { method: 'POST', body: { 'os-stop': null } }),
      ),
    );
    return settled.map((outcome, index) => ({
      name: (servers[index] as Server).name,
      result:
        outcome.status === 'fulfilled'
          ? action === 'Delete'
            ? 'deleting'
            : 'stopping'
          : outcome.reason instanceof ApiError
            ? `Error (${outcome.reason.status}): ${outcome.reason.message}`
            : String(outcome.reason),
    }));
  });
  const run = (action: Bulk) =>
    bulk.mutate(
      { action, servers: selected },
      {
        onSuccess: (rows) => {
          setOutcomes({ action, rows });
          onDone();
        },
      },
    );
  const count = selected.length;
  return (
    <div className="actions" role="group" aria-label="Selected instances">
      <span>{count} selected</span>
      <button type="button" disabled={count === 0 || bulk.isPending} onClick={() => run('Stop')}>
        Stop selected
      </button>
      <ConfirmButton label="Delete" subject={`${count} selected instances`} disabled={count === 0 || bulk.isPending} onConfirm={() => run('Delete')} />
      {outcomes && (
        <div role="status">
          {outcomes.action} of {outcomes.rows.length} instances:
          <ul aria-label={`Results of ${outcomes.action.toLowerCase()}`}>
            {outcomes.rows.map((row) => (
              <li key={row.name}>
                {row.name}: {row.result}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

import type { Server } from '../../api/compute';
import { api } from '../../api/client';
import { useAction } from '../../api/hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';

/** Nova's actions that each status allows (its vm_state checks), as the label and the action body. */
const ACTIONS_BY_STATUS: Record<string, [string, unknown][]> = {
  ACTIVE: [
    ['Stop', { 'os-stop': null }],
    ['Reboot', { reboot: { type: 'SOFT' } }],
    ['Pause', { pause: null }],
    ['Suspend', { suspend: null }],
  ],
  SHUTOFF: [['Start', { 'os-start': null }]],
  PAUSED: [['Unpause', { unpause: null }]],
  SUSPENDED: [['Resume', { resume: null }]],
  ERROR: [['Hard reboot', { reboot: { type: 'HARD' } }]],
};

type Action = { server: Server; body: unknown } | { server: Server; remove: true };

/** The actions Nova allows in the server's state; none while a task runs but delete. */
export function ServerActions({ server }: { server: Server }) {
  const action = useAction<Action>(['compute'], (session, input) =>
    'remove' in input
      ? api(session, 'compute', `/servers/${input.server.id}`, { method: 'DELETE' })
      : api(session, 'compute', `/servers/${input.server.id}/action`, { method: 'POST', body: input.body }),
  );
  const busy = Boolean(server['OS-EXT-STS:task_state']) || action.isPending;
  const run = (label: string, body: unknown) => (
    <button key={label} type="button" disabled={busy} onClick={() => action.mutate({ server, body })} aria-label={`${label} ${server.name}`}>
      {label}
    </button>
  );
  return (
    <div className="actions">
      {(ACTIONS_BY_STATUS[server.status] ?? []).map(([label, body]) => run(label, body))}
      <ConfirmButton label="Delete" subject={server.name} disabled={action.isPending} onConfirm={() => action.mutate({ server, remove: true })} />
      <ErrorNotice error={action.error} />
    </div>
  );
}

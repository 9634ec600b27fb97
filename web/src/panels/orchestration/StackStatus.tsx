import { inProgress, type Stack } from '../../api/orchestration';
import { Status } from '../../components/Status';

/** A stack's status, with Heat's reason under a failure (the reason is the message the user needs). */
export function StackStatus({ stack }: { stack: Pick<Stack, 'stack_status' | 'stack_status_reason'> }) {
  return (
    <>
      <Status value={stack.stack_status} busy={inProgress(stack.stack_status)} />
      {stack.stack_status.endsWith('_FAILED') && <div className="hint">{stack.stack_status_reason}</div>}
    </>
  );
}

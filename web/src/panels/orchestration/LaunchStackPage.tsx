import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { useAction } from '../../api/hooks';
import { stackPath } from '../../api/orchestration';
import { StackForm, type StackBody } from './StackForm';

export default function LaunchStackPage() {
  const navigate = useNavigate();
  const launch = useAction<StackBody, { stack: { id: string } }>(['orchestration'], (session, body) =>
    api(session, 'orchestration', '/stacks', { method: 'POST', body }),
  );
  return (
    <section>
      <h1>Launch stack</h1>
      <StackForm
        askName
        submitLabel="Launch"
        pending={launch.isPending}
        error={launch.error}
        onSubmit={(body) => launch.mutate(body, { onSuccess: ({ stack }) => void navigate(stackPath({ stack_name: String(body.stack_name), id: stack.id })) })}
      />
    </section>
  );
}
